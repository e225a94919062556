/** The reader fence: the oldest running transaction, which global readers wait for, and the session that holds it. */
import { storeUnavailable, type StoreUnavailable } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql } from 'kysely'
import type { PostgresStorage } from './postgres-event-store.js'

// model

/** A session (or prepared transaction) whose open transaction keeps global readers from moving on. */
export interface FenceHolder {
  /** Backend process id; absent for a prepared transaction, which no session holds. */
  readonly pid?: number
  readonly user?: string
  readonly application?: string
  readonly clientAddress?: string
  /** e.g. `idle in transaction`, `active`, or `prepared`. */
  readonly state: string
  /** When its transaction began (ISO-8601), if known. */
  readonly transactionStartedAt?: string
  /** The last statement it ran, cut to 500 characters. */
  readonly query?: string
  /** Its transaction id (32-bit, as pg_stat_activity shows it). */
  readonly transactionId: string
}

/**
 * Where global readers stand. They return only events whose transaction id is below `xmin`, the
 * oldest transaction still running anywhere in the cluster; `holders` names who runs it.
 */
export interface ReaderFence {
  /** The fence, a 64-bit transaction id as text. */
  readonly xmin: string
  /** Committed events among the newest 10,000 that readers cannot return yet. */
  readonly eventsHeldBack: number
  /** Normally one session; empty when nothing is running. */
  readonly holders: ReadonlyArray<FenceHolder>
}

interface FenceRow {
  readonly xmin: string
  readonly held_back: string | number
}

interface HolderRow {
  readonly pid: number | null
  readonly usename: string | null
  readonly application_name: string | null
  readonly client_addr: string | null
  readonly state: string | null
  readonly xact_start: string | null
  readonly query: string | null
  readonly xid: string
}

// operations

/** Says what holds global readers back: the fence, how many committed events wait behind it, and whose transaction it is. */
export const whoHoldsReadersBack = (storage: PostgresStorage): TaskEither<StoreUnavailable, ReaderFence> => async () => {
  const { db } = storage.database
  const q = sql.raw(storage.names.q)
  try {
    const fence = await sql<FenceRow>`
      WITH f AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
      SELECT f.xmin::text AS xmin,
        (SELECT count(*) FROM (SELECT e.transaction_id FROM ${q}.events e ORDER BY e.global_position DESC LIMIT 10000) t
         WHERE t.transaction_id >= f.xmin) AS held_back
      FROM f`.execute(db)
    const row = fence.rows[0]
    if (row === undefined) return E.left(storeUnavailable(new Error('no fence row')))
    const xid32 = (BigInt(row.xmin) % 4294967296n).toString()
    const holders = await sql<HolderRow>`
      SELECT a.pid, a.usename::text AS usename, a.application_name, a.client_addr::text AS client_addr, a.state,
        to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS xact_start,
        left(a.query, 500) AS query, a.backend_xid::text AS xid
      FROM pg_stat_activity a WHERE a.backend_xid::text = ${xid32}
      UNION ALL
      SELECT NULL, p.owner::text, NULL, NULL, 'prepared',
        to_char(p.prepared AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), p.gid, p.transaction::text
      FROM pg_prepared_xacts p WHERE p.transaction::text = ${xid32}`.execute(db)
    return E.right({
      xmin: row.xmin,
      eventsHeldBack: Number(row.held_back),
      holders: holders.rows.map((h) => ({
        ...(h.pid === null ? {} : { pid: h.pid }),
        ...(h.usename === null ? {} : { user: h.usename }),
        ...(h.application_name === null || h.application_name === '' ? {} : { application: h.application_name }),
        ...(h.client_addr === null ? {} : { clientAddress: h.client_addr }),
        state: h.state ?? 'unknown',
        ...(h.xact_start === null ? {} : { transactionStartedAt: h.xact_start }),
        ...(h.query === null ? {} : { query: h.query }),
        transactionId: h.xid,
      })),
    })
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}
