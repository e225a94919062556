/** The obligation schedule in PostgreSQL: tables a leased consumer keeps in the transaction of its checkpoint. */
import {
  ledgerEvents,
  scheduleOfSource,
  scheduleSourceOf,
  sourceKey,
  validateScheduleQuery,
  ScheduledObligation,
  compareAlarms,
  compareScheduled,
  storeUnavailable,
  subjectKey,
  type ScheduleDeps,
  type LedgerEvent,
  type ObligationSchedule,
  type ScheduleSource,
  type RecordedEvent,
  type ScheduleAlarm,
  type ScheduleProblem,
  type BasisPoints,
  type Instant,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql, type Transaction } from 'kysely'
import { startConsumer, type Consumer, type ConsumerOptions } from './postgres-consumer.js'
import type { PostgresStorage } from './postgres-event-store.js'

// model

export interface PostgresObligationScheduleOptions extends ScheduleDeps {
  /** The consumer's name, under which its checkpoint is kept; default `obligation-schedule`. */
  readonly name?: string
}

export interface PostgresObligationSchedule extends ObligationSchedule {
  readonly name: string
  /** Updates the schedule for a batch inside `tx`: pass it as a consumer's `handle`, or call it from your own. */
  readonly handle: (events: ReadonlyArray<RecordedEvent<LedgerEvent>>, tx: Transaction<unknown>) => Promise<void>
  /** Starts the consumer that keeps the schedule; options as for `startConsumer` (name, catalog and handle are set). */
  readonly start: (options?: Omit<ConsumerOptions<LedgerEvent>, 'name' | 'catalog' | 'handle'>) => Consumer
  /** Empties the schedule and moves its checkpoint back to 0, in one transaction; the next `start` replays the log. Stop every instance first. */
  readonly reset: () => TaskEither<ReturnType<typeof storeUnavailable>, void>
  /** Sources left out because their obligations could not be computed. */
  readonly problems: () => TaskEither<ReturnType<typeof storeUnavailable>, ReadonlyArray<ScheduleProblem>>
}

// constructors

/** The window query: one range scan of the alarms by instant, joined to their rows by primary key. */
export const alarmsQuery = (storage: PostgresStorage, from: Instant, to: Instant) => {
  const q = sql.raw(storage.names.q)
  return sql<{ at: Instant; kind: 'due' | 'warning'; bps: number | null; scheduled: unknown }>`
    SELECT to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, a.kind, a.bps, s.scheduled
    FROM ${q}.obligation_schedule_alarms a JOIN ${q}.obligation_schedule s USING (subject_key, obligation)
    WHERE a.at >= ${from}::timestamptz AND a.at < ${to}::timestamptz
    ORDER BY a.at`
}

/**
 * The obligation schedule kept in PostgreSQL by a consumer of the log, so that alarms and due instants are queried
 * without folding the log.
 */
export const postgresObligationSchedule = (storage: PostgresStorage, options: PostgresObligationScheduleOptions): PostgresObligationSchedule => {
  const { db } = storage.database
  const q = sql.raw(storage.names.q)
  const name = options.name ?? 'obligation-schedule'

  const attempt = async <A>(work: () => Promise<A>): Promise<E.Either<ReturnType<typeof storeUnavailable>, A>> => {
    try {
      return E.right(await work())
    } catch (e) {
      return E.left(storeUnavailable(e))
    }
  }

  const handle = async (events: ReadonlyArray<RecordedEvent<LedgerEvent>>, tx: Transaction<unknown>) => {
    const batch = new Map<string, { source: ScheduleSource; events: Array<RecordedEvent<LedgerEvent>> }>()
    for (const e of events) {
      const source = scheduleSourceOf(e)
      if (source === undefined) continue
      const key = sourceKey(source)
      const entry = batch.get(key) ?? { source, events: [] }
      entry.events.push(e)
      batch.set(key, entry)
    }
    if (batch.size === 0) return
    const keys = [...batch.keys()]
    // Locked: a contract's deliveries come from two streams, which two partitions may handle at once.
    const stored = await sql<{ subject_key: string; events: ReadonlyArray<RecordedEvent<LedgerEvent>> }>`
      SELECT subject_key, events FROM ${q}.obligation_schedule_subjects WHERE subject_key = ANY(${keys}::text[]) FOR UPDATE`.execute(tx)
    const before = new Map(stored.rows.map((r) => [r.subject_key, r.events]))
    await sql`DELETE FROM ${q}.obligation_schedule WHERE source_key = ANY(${keys}::text[])`.execute(tx)
    for (const [key, entry] of batch) {
      const all = [...(before.get(key) ?? []), ...entry.events]
      const rows = scheduleOfSource(entry.source, all, options)
      const problem = E.isLeft(rows) ? rows.left.message : null
      await sql`
        INSERT INTO ${q}.obligation_schedule_subjects (subject_key, events, problem) VALUES (${key}, ${JSON.stringify(all)}::jsonb, ${problem})
        ON CONFLICT (subject_key) DO UPDATE SET events = EXCLUDED.events, problem = EXCLUDED.problem`.execute(tx)
      if (E.isLeft(rows) || rows.right.length === 0) continue
      const rowKeys = rows.right.map((o) => subjectKey(o.subject))
      await sql`
        INSERT INTO ${q}.obligation_schedule (source_key, subject_key, obligation, contract_id, due_at, scheduled)
        SELECT ${key}, k, o, c, d, s FROM unnest(${rowKeys}::text[], ${rows.right.map((o) => o.obligation)}::text[], ${rows.right.map((o) => o.contractId)}::text[],
          ${rows.right.map((o) => o.dueAt ?? null)}::timestamptz[], ${rows.right.map((o) => JSON.stringify(o))}::jsonb[]) AS u(k, o, c, d, s)`.execute(tx)
      const alarms = rows.right.flatMap((o, i) => [
        ...o.warnings.map((w) => ({ at: w.at as string, kind: 'warning', bps: w.bps as number | null, subject: rowKeys[i]!, obligation: o.obligation as string })),
        ...(o.dueAt === undefined ? [] : [{ at: o.dueAt as string, kind: 'due', bps: null, subject: rowKeys[i]!, obligation: o.obligation as string }]),
      ])
      if (alarms.length === 0) continue
      await sql`
        INSERT INTO ${q}.obligation_schedule_alarms (at, kind, bps, subject_key, obligation)
        SELECT * FROM unnest(${alarms.map((a) => a.at)}::timestamptz[], ${alarms.map((a) => a.kind)}::text[], ${alarms.map((a) => a.bps)}::integer[],
          ${alarms.map((a) => a.subject)}::text[], ${alarms.map((a) => a.obligation)}::text[])`.execute(tx)
    }
  }

  const decode = (u: unknown): ScheduledObligation => {
    const d = ScheduledObligation.decode(u)
    if (E.isLeft(d)) throw new Error('a stored schedule row does not decode: rebuild the schedule')
    return d.right
  }

  return {
    name,
    handle,
    start: (consumer = {}) => startConsumer(storage, { ...consumer, name, catalog: ledgerEvents, handle }),
    reset: () => () =>
      attempt(() =>
        db.transaction().execute(async (tx) => {
          await sql`DELETE FROM ${q}.obligation_schedule_alarms`.execute(tx)
          await sql`DELETE FROM ${q}.obligation_schedule`.execute(tx)
          await sql`DELETE FROM ${q}.obligation_schedule_subjects`.execute(tx)
          await sql`UPDATE ${q}.consumer_checkpoints SET position = 0, updated_at = statement_timestamp() WHERE consumer = ${name}`.execute(tx)
        }),
      ),
    problems: () => () =>
      attempt(async () => {
        const rows = await sql<{ subject_key: string; problem: string }>`
          SELECT subject_key, problem FROM ${q}.obligation_schedule_subjects WHERE problem IS NOT NULL ORDER BY subject_key`.execute(db)
        return rows.rows.map((r): ScheduleProblem => {
          const [kind, ...id] = r.subject_key.split(':')
          return { source: { kind: kind === 'incident' ? 'incident' : kind === 'deliveries' ? 'deliveries' : 'ticket', id: id.join(':') }, message: r.problem }
        })
      }),
    openOf: (contractId) => async () => {
      const bad = validateScheduleQuery({ contractId })
      if (bad !== undefined) return E.left(bad)
      return attempt(async () => {
        const rows = await sql<{ scheduled: unknown }>`SELECT scheduled FROM ${q}.obligation_schedule WHERE contract_id = ${contractId}`.execute(db)
        return rows.rows.map((r) => decode(r.scheduled)).sort(compareScheduled)
      })
    },
    alarmsBetween: ({ from, to }) => async () => {
      const bad = validateScheduleQuery({ from, to })
      if (bad !== undefined) return E.left(bad)
      return attempt(async () => {
        const rows = await alarmsQuery(storage, from, to).execute(db)
        return rows.rows
          .map((r): ScheduleAlarm => ({ at: r.at, kind: r.kind, ...(r.bps === null ? {} : { bps: r.bps as BasisPoints }), obligation: decode(r.scheduled) }))
          .sort(compareAlarms)
      })
    },
  }
}
