/** Group commit: appends waiting at one moment go to the database in one call, each with its own checks and result. */
import { CompiledQuery, Kysely } from 'kysely'
import type { EventDatabase } from './postgres-connection.js'
import { pgliteAppendStatement, pglitePrepared } from './pglite-append.js'
import type { TextRows } from './pglite-protocol.js'
import type { SchemaNames } from './postgres-migrations.js'

// model

/** One append, encoded for the database. */
export interface EncodedAppend {
  readonly streamId: string
  /** -1 any, -2 no-stream, -3 exists, n >= 0 exact. */
  readonly expected: number
  readonly idempotencyKey: string | null
  /** SHA-256 of the request (see `requestDigest`), kept with the key to tell a retry from another request. */
  readonly digest: Uint8Array
  /** The contract the events belong to (`AppendOptions.contractId`), or null. */
  readonly contractId?: string | null
  readonly events: ReadonlyArray<{
    readonly eventId: string
    readonly type: string
    readonly schemaVersion: number
    readonly data: string
    readonly metadata: string
  }>
}

/** What the database said about one append. */
export type AppendOutcome =
  | { readonly status: 'appended' | 'replayed'; readonly fromVersion: number; readonly toVersion: number; readonly fromPosition: number; readonly toPosition: number; readonly eventIds: ReadonlyArray<string> }
  | { readonly status: 'wrong-version'; readonly actual: number }
  | { readonly status: 'key-reused'; readonly firstStreamId: string }
  | { readonly status: 'key-mismatch'; readonly differs: 'expected-version' | 'event-count' | 'events' }

/**
 * How concurrent appends are gathered into one transaction (group commit): fewer commits under load, the same result
 * for each append.
 */
export interface GroupCommitOptions {
  /** Most appends per call; default 256. */
  readonly maxBatch?: number
  /** Calls in flight at once; appends arriving meanwhile wait and go together. Default 1. */
  readonly maxInFlight?: number
}

export interface AppendBatcher {
  readonly append: (append: EncodedAppend) => Promise<AppendOutcome>
}

interface Pending {
  readonly append: EncodedAppend
  readonly resolve: (o: AppendOutcome) => void
  readonly reject: (e: unknown) => void
}

interface OutcomeRow {
  readonly idx: number
  readonly status: number
  readonly actual: string | number | null
  readonly from_version: string | number | null
  readonly to_version: string | number | null
  readonly from_position: string | number | null
  readonly to_position: string | number | null
  readonly event_ids: ReadonlyArray<string> | string | null
  readonly first_stream_id: string | null
}

// constructors

/**
 * Sends appends as they come while fewer than `maxInFlight` calls are running; the rest queue
 * and leave together when a call returns. A call the server refused as a whole (a duplicate
 * event id) is retried one append per call, so one bad append fails only itself. A call whose
 * outcome is unknown (the connection was lost, perhaps after the commit) is not retried: every
 * append in it fails with that error, and a retry with its idempotency key tells what happened.
 */
export const appendBatcher = (
  db: AppendTarget,
  names: SchemaNames,
  notify: boolean,
  options: GroupCommitOptions | false = {},
  flush = true,
): AppendBatcher => {
  const maxBatch = options === false ? 1 : Math.max(1, options.maxBatch ?? 256)
  const maxInFlight = options === false ? Number.POSITIVE_INFINITY : Math.max(1, options.maxInFlight ?? 1)
  const queue: Pending[] = []
  let inFlight = 0
  // After a batch of several returns, its callers' next appends are still a few promise hops
  // away; waiting one turn of the event loop lets them join the next batch instead of
  // splitting it into a lone append and the rest.
  let settling = false

  const pump = () => {
    if (settling) return
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxBatch)
      inFlight++
      void send(batch).finally(() => {
        inFlight--
        if (batch.length > 1 && queue.length < maxBatch) {
          settling = true
          setImmediate(() => {
            settling = false
            pump()
          })
        } else pump()
      })
    }
  }

  const send = async (batch: ReadonlyArray<Pending>) => {
    try {
      const outcomes = await callAppend(db, names, notify, batch.map((p) => p.append), flush)
      batch.forEach((p, i) => {
        const o = outcomes[i]
        if (o) p.resolve(o)
        else p.reject(new Error('append_events returned no result'))
      })
    } catch (e) {
      const [only] = batch
      if ((only && batch.length === 1) || !refusedBeforeCommit(e)) {
        for (const p of batch) p.reject(e)
        return
      }
      for (const p of batch) {
        await callAppend(db, names, notify, [p.append], flush).then(
          ([o]) => (o ? p.resolve(o) : p.reject(new Error('append_events returned no result'))),
          (err: unknown) => p.reject(err),
        )
      }
    }
  }

  return {
    append: (append) =>
      new Promise<AppendOutcome>((resolve, reject) => {
        queue.push({ append, resolve, reject })
        pump()
      }),
  }
}

// operations

/** Where an append call runs: a database (prepared statements when it offers them) or a Kysely instance or transaction. */
export type AppendTarget = Kysely<unknown> | EventDatabase

/**
 * One call of the append function for a batch of appends; outcomes in the order given. With
 * `flush` false the call's commit does not wait for its flush to disk, unless the call runs in a
 * caller's transaction, whose commit is the caller's (docs/decisions/0117).
 */
export const callAppend = async (
  target: AppendTarget,
  names: SchemaNames,
  notify: boolean,
  appends: ReadonlyArray<EncodedAppend>,
  flush = true,
): Promise<ReadonlyArray<AppendOutcome>> => {
  const unflushed = !flush && !(target instanceof Kysely ? target : target.db).isTransaction
  const from = unflushed ? UNFLUSHED : ''
  const mode = unflushed ? '_unflushed' : ''
  const [only] = appends
  if (only !== undefined && appends.length === 1) {
    const evs = only.events
    const [ev] = evs
    // Most appends are one event: scalar parameters, which the driver sends as they are, where
    // arrays are escaped element by element here and parsed again on the server.
    // On PGlite, a lone event goes as one prepared plain statement rather than through the function (pglite-append.ts).
    const onPGlite = ev !== undefined && evs.length === 1 && !unflushed && !(target instanceof Kysely) ? pglitePrepared.get(target) : undefined
    const rows = onPGlite !== undefined && ev !== undefined
      ? outcomeRows(await onPGlite(`${names.schema}_pglite_append_single_1`, pgliteAppendStatement(names), [
          only.streamId, only.expected, only.idempotencyKey, only.digest, only.contractId ?? null,
          ev.eventId, ev.type, ev.schemaVersion, ev.data, ev.metadata,
          notify,
        ]))
      : ev !== undefined && evs.length === 1
      ? await run(target, `${names.schema}_append_single_3${mode}`, appendSingleStatement(names, from), [
          only.streamId, only.expected, only.idempotencyKey, only.digest, only.contractId ?? null,
          ev.eventId, ev.type, ev.schemaVersion, ev.data, ev.metadata,
          notify,
        ])
      : await run(target, `${names.schema}_append_lone_3${mode}`, appendOneStatement(names, from), [
          only.streamId, only.expected, only.idempotencyKey, only.digest, only.contractId ?? null,
          evs.map((e) => e.eventId), evs.map((e) => e.type), evs.map((e) => e.schemaVersion), evs.map((e) => e.data), evs.map((e) => e.metadata),
          notify,
        ])
    const [row] = rows
    if (row === undefined || rows.length !== 1) throw new Error(`append_to_stream returned ${rows.length} rows`)
    return [toOutcome(row, only)]
  }
  const events = appends.flatMap((a) => a.events)
  const rows = await run(target, `${names.schema}_append_batch_3${mode}`, appendManyStatement(names, from), [
    appends.map((a) => a.streamId), appends.map((a) => a.expected), appends.map((a) => a.idempotencyKey), appends.map((a) => a.digest),
    appends.map((a) => a.events.length), appends.map((a) => a.contractId ?? null),
    events.map((e) => e.eventId), events.map((e) => e.type), events.map((e) => e.schemaVersion), events.map((e) => e.data), events.map((e) => e.metadata),
    notify,
  ])
  const outcomes: AppendOutcome[] = new Array<AppendOutcome>(appends.length)
  for (const row of rows) {
    const i = Number(row.idx) - 1
    const append = appends[i]
    if (append !== undefined) outcomes[i] = toOutcome(row, append)
  }
  if (outcomes.some((o) => o === undefined) || rows.length !== appends.length) {
    throw new Error(`append_events returned ${rows.length} results for ${appends.length} appends`)
  }
  return outcomes
}

// The statements, fixed per schema so that a connection prepares each once (docs/decisions/0105).
// The names carry the migration that gave the functions their arguments. Each returns the event
// ids only where the caller does not have them: a replay's are the first request's
// (docs/decisions/0116).
const OUTCOME_COLUMNS = 'status, actual, from_version, to_version, from_position, to_position, ' +
  'CASE WHEN status = 0 THEN NULL ELSE event_ids END AS event_ids, first_stream_id'
// Turns the flush off for the commit of the statement's own transaction only (SET LOCAL).
const UNFLUSHED = `(SELECT set_config('synchronous_commit', 'off', true) OFFSET 0) AS unflushed, `
const appendSingleStatement = (names: SchemaNames, from: string) =>
  `SELECT ${OUTCOME_COLUMNS} FROM ${from}${names.q}.append_to_stream($1, $2, $3, $4::bytea, $5::text, ` +
  `ARRAY[$6::uuid], ARRAY[$7::text], ARRAY[$8::integer], ARRAY[$9::json], ARRAY[$10::json], $11)`
const appendOneStatement = (names: SchemaNames, from: string) =>
  `SELECT ${OUTCOME_COLUMNS} FROM ${from}${names.q}.append_to_stream($1, $2, $3, $4::bytea, $5::text, ` +
  `$6::uuid[], $7::text[], $8::integer[], $9::json[], $10::json[], $11)`
const appendManyStatement = (names: SchemaNames, from: string) =>
  `SELECT idx, ${OUTCOME_COLUMNS} FROM ${from}${names.q}.append_events($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::integer[], $6::text[], ` +
  `$7::uuid[], $8::text[], $9::integer[], $10::json[], $11::json[], $12)`

const run = async (target: AppendTarget, name: string, text: string, values: ReadonlyArray<unknown>): Promise<ReadonlyArray<OutcomeRow>> => {
  try {
    if (target instanceof Kysely) return (await target.executeQuery(CompiledQuery.raw(text, [...values]))).rows as ReadonlyArray<OutcomeRow>
    if (target.prepared) return (await target.prepared(name, text, values)) as ReadonlyArray<OutcomeRow>
    return (await target.db.executeQuery(CompiledQuery.raw(text, [...values]))).rows as ReadonlyArray<OutcomeRow>
  } catch (e) {
    // Under a REPEATABLE READ or SERIALIZABLE default, the statement's snapshot predates the
    // stream locks it waited for, so it may have decided on state another append had changed,
    // and nothing was written. Once more in a READ COMMITTED transaction, whose statements in
    // the function see what committed before the locks were granted (docs/decisions/0108). A
    // caller's own transaction cannot be run again: the conflict is theirs to retry.
    const db = target instanceof Kysely ? target : target.db
    if (!staleSnapshotConflict(e) || db.isTransaction) throw e
    return await db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (trx) => (await trx.executeQuery(CompiledQuery.raw(text, [...values]))).rows as ReadonlyArray<OutcomeRow>)
  }
}

// The constraints an append breaks only when its snapshot is older than its locks.
const STALE_CONSTRAINTS = /^(streams_pkey|events_pkey|events_stream_id_stream_version_key|idempotency_keys_pkey)$/

/** A serialization failure, or a duplicate that only a snapshot older than the append's locks can produce. */
export const staleSnapshotConflict = (e: unknown): boolean => {
  const { code, constraint } = (e ?? {}) as { code?: unknown; constraint?: unknown }
  return code === '40001' || (code === '23505' && typeof constraint === 'string' && STALE_CONSTRAINTS.test(constraint))
}

/**
 * Whether the server answered with an error that rolled the call back: bad data (22), a broken
 * constraint (23), a rollback (40), a statement it could not run (42), a PL/pgSQL error (P0), a
 * cancelled statement. Anything else, above all a connection lost or ended by the server while
 * the call ran, leaves the outcome unknown: it may have committed.
 */
export const refusedBeforeCommit = (e: unknown): boolean => {
  const { code } = (e ?? {}) as { code?: unknown }
  return typeof code === 'string' && /^(22|23|40|42|P0)[0-9A-Z]{3}$|^57014$/.test(code)
}

/** An outcome from a result row; an appended row leaves out the event ids, which are the append's own. */
const toOutcome = (row: OutcomeRow, append: EncodedAppend): AppendOutcome => {
  switch (Number(row.status)) {
    case 0:
    case 1:
      return {
        status: Number(row.status) === 0 ? 'appended' : 'replayed',
        fromVersion: Number(row.from_version),
        toVersion: Number(row.to_version),
        fromPosition: Number(row.from_position),
        toPosition: Number(row.to_position),
        eventIds: Number(row.status) === 0 ? append.events.map((e) => e.eventId.toLowerCase()) : uuidArray(row.event_ids),
      }
    case 2:
      return { status: 'wrong-version', actual: Number(row.actual) }
    case 3:
      return { status: 'key-reused', firstStreamId: row.first_stream_id ?? '' }
    case 4:
      return { status: 'key-mismatch', differs: 'expected-version' }
    case 5:
      return { status: 'key-mismatch', differs: 'event-count' }
    case 6:
      return { status: 'key-mismatch', differs: 'events' }
    default:
      throw new Error(`append returned unknown status ${row.status}`)
  }
}

/** Rows of the outcome columns in text, in their order, as the protocol path gives them. */
const outcomeRows = (rows: TextRows): ReadonlyArray<OutcomeRow> =>
  rows.map(([status, actual, fromVersion, toVersion, fromPosition, toPosition, eventIds, firstStreamId]) => ({
    idx: 1,
    status: Number(status),
    actual: actual ?? null,
    from_version: fromVersion ?? null,
    to_version: toVersion ?? null,
    from_position: fromPosition ?? null,
    to_position: toPosition ?? null,
    event_ids: eventIds ?? null,
    first_stream_id: firstStreamId ?? null,
  }))

// Drivers without a parser for uuid[] hand back the array literal itself.
const uuidArray = (v: ReadonlyArray<string> | string | null): ReadonlyArray<string> =>
  v === null ? [] : typeof v === 'string' ? v.replace(/^\{|\}$/g, '').split(',').filter((s) => s.length > 0) : v
