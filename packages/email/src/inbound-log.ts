/**
 * The record of every message taken in, keyed by its `Message-ID`: what makes a message seen twice file once,
 * and where a message kept aside stays, with its reason, for a person to read.
 */
import type { Instant } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { InboundOutcome, SetAsideReason } from './inbound-mail.js'

// model

/** `pending`: read and being filed (a crash leaves it so; the next reading finishes it). */
export type InboundStatus = 'pending' | 'filed' | 'answered' | 'set-aside'

/** A message taken in, by its `Message-ID`: what it was read as and how it was settled. */
export interface InboundRecord {
  readonly messageId: string
  readonly status: InboundStatus
  readonly outcome: InboundOutcome
  readonly takenAt: Instant
  readonly reason?: SetAsideReason
  readonly detail?: string
  readonly settledAt?: Instant
}

/** The inbound log's storage failed; the message is taken in again on a later poll. */
export interface InboundLogFailed {
  readonly _tag: 'InboundLogFailed'
  readonly message: string
  readonly cause: unknown
}

/** The record of every message taken in, so that the same message is filed once however often it is read. */
export interface InboundLog {
  /** Writes a pending record unless one exists for the `Message-ID`; returns the record that is there now. */
  readonly begin: (record: Omit<InboundRecord, 'status'>) => TaskEither<InboundLogFailed, { readonly first: boolean; readonly record: InboundRecord }>
  /** Settles a record: filed, answered, or set aside with a reason. */
  readonly settle: (
    messageId: string,
    status: Exclude<InboundStatus, 'pending'>,
    at: Instant,
    setAside?: { readonly reason: SetAsideReason; readonly detail: string },
  ) => TaskEither<InboundLogFailed, void>
  /** Messages kept aside, oldest first. */
  readonly setAside: () => TaskEither<InboundLogFailed, ReadonlyArray<InboundRecord>>
  /** The record of a `Message-ID`, if the message was taken in. */
  readonly find: (messageId: string) => TaskEither<InboundLogFailed, InboundRecord | undefined>
}

// constructors

/** An inbound log in memory, for tests and demos: forgotten with the process. */
export const inMemoryInboundLog = (): InboundLog => {
  const records = new Map<string, InboundRecord>()
  return {
    begin: (record) => async () => {
      const existing = records.get(record.messageId)
      if (existing !== undefined) return E.right({ first: false, record: existing })
      const created: InboundRecord = { ...record, status: 'pending' }
      records.set(record.messageId, created)
      return E.right({ first: true, record: created })
    },
    settle: (messageId, status, at, setAside) => async () => {
      const existing = records.get(messageId)
      if (existing === undefined) return E.left({ _tag: 'InboundLogFailed', message: `no record of ${messageId}`, cause: undefined })
      records.set(messageId, { ...existing, status, settledAt: at, ...(setAside === undefined ? {} : setAside) })
      return E.right(undefined)
    },
    setAside: () => async () => E.right([...records.values()].filter((r) => r.status === 'set-aside')),
    find: (messageId) => async () => E.right(records.get(messageId)),
  }
}

/** The part of a `pg` client or pool the PostgreSQL log calls. */
export interface SqlClient {
  /** Runs one statement with positional parameters (`$1`, `$2`, ...). */
  query(text: string, values?: ReadonlyArray<unknown>): Promise<{ readonly rows: ReadonlyArray<Record<string, unknown>> }>
}

const failed = (what: string, cause: unknown): InboundLogFailed => ({
  _tag: 'InboundLogFailed',
  message: `${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
  cause,
})

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

/** Creates the log's table in `schema` if it is missing. */
export const createInboundLogTable = async (client: SqlClient, schema = 'public'): Promise<void> => {
  await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.inbound_mail (
    message_id text PRIMARY KEY,
    status text NOT NULL CHECK (status IN ('pending', 'filed', 'answered', 'set-aside')),
    outcome jsonb NOT NULL,
    reason text,
    detail text,
    taken_at timestamptz NOT NULL,
    settled_at timestamptz
  )`)
  await client.query(`CREATE INDEX IF NOT EXISTS inbound_mail_set_aside ON ${quoteIdent(schema)}.inbound_mail (taken_at) WHERE status = 'set-aside'`)
}

const recordOf = (row: Record<string, unknown>): InboundRecord => ({
  messageId: row.message_id as string,
  status: row.status as InboundStatus,
  outcome: row.outcome as InboundOutcome,
  takenAt: new Date(row.taken_at as string).toISOString() as Instant,
  ...(row.reason === null ? {} : { reason: row.reason as SetAsideReason }),
  ...(row.detail === null ? {} : { detail: row.detail as string }),
  ...(row.settled_at === null ? {} : { settledAt: new Date(row.settled_at as string).toISOString() as Instant }),
})

/** The log in a PostgreSQL table (see `createInboundLogTable`): one row per `Message-ID`, shared by every instance. */
export const postgresInboundLog = (client: SqlClient, schema = 'public'): InboundLog => {
  const table = `${quoteIdent(schema)}.inbound_mail`
  const find: InboundLog['find'] = (messageId) => async () => {
    try {
      const { rows } = await client.query(`SELECT * FROM ${table} WHERE message_id = $1`, [messageId])
      return E.right(rows[0] === undefined ? undefined : recordOf(rows[0]))
    } catch (e) {
      return E.left(failed('inbound log read', e))
    }
  }
  return {
    find,
    begin: (record) => async () => {
      try {
        const { rows } = await client.query(
          `INSERT INTO ${table} (message_id, status, outcome, taken_at) VALUES ($1, 'pending', $2, $3)
           ON CONFLICT (message_id) DO NOTHING RETURNING *`,
          [record.messageId, JSON.stringify(record.outcome), record.takenAt],
        )
        if (rows[0] !== undefined) return E.right({ first: true, record: recordOf(rows[0]) })
        const existing = await find(record.messageId)()
        if (E.isLeft(existing)) return existing
        return existing.right === undefined ? E.left(failed('inbound log', `record of ${record.messageId} vanished`)) : E.right({ first: false, record: existing.right })
      } catch (e) {
        return E.left(failed('inbound log write', e))
      }
    },
    settle: (messageId, status, at, setAside) => async () => {
      try {
        await client.query(`UPDATE ${table} SET status = $2, settled_at = $3, reason = $4, detail = $5 WHERE message_id = $1`, [
          messageId,
          status,
          at,
          setAside?.reason ?? null,
          setAside?.detail ?? null,
        ])
        return E.right(undefined)
      } catch (e) {
        return E.left(failed('inbound log write', e))
      }
    },
    setAside: () => async () => {
      try {
        const { rows } = await client.query(`SELECT * FROM ${table} WHERE status = 'set-aside' ORDER BY taken_at, message_id`)
        return E.right(rows.map(recordOf))
      } catch (e) {
        return E.left(failed('inbound log read', e))
      }
    },
  }
}
