/** Tamper evidence: each stream's events are chained by sha256, and verification reports any altered, inserted or removed event. */
import { storeUnavailable, type StoreUnavailable } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql } from 'kysely'
import type { PostgresStorage } from './postgres-event-store.js'
import { checkSeals, type LogProblem, type SealCoverage } from './postgres-log-seal.js'

// model

/**
 * What verification found at one place. `altered`: the event's hash does not cover its content
 * and its predecessor's hash. `missing`: versions are absent before this one. `head-mismatch`: the
 * stream's recorded head (version and hash) is not its last event: events were removed from or
 * added to its end.
 */
export interface ChainProblem {
  readonly streamId: string
  readonly streamVersion: number
  readonly kind: 'altered' | 'missing' | 'head-mismatch'
  readonly message: string
}

/** What a verification covered and what it found. */
export interface ChainReport {
  readonly streams: number
  readonly events: number
  /** Empty when every chain verifies. */
  readonly problems: ReadonlyArray<ChainProblem>
}

/** What `verifyAll` covered and found: every stream's chain and every log seal (docs/decisions/0113). */
export interface LogReport {
  readonly streams: number
  readonly events: number
  /** How far the seals reach; the unsealed tail is protected by the stream chains alone. */
  readonly seals: Omit<SealCoverage, 'problems'>
  /** Empty when every chain and every seal verifies. */
  readonly problems: ReadonlyArray<ChainProblem | LogProblem>
}

/** A stream's head: anchor it outside the database (a signed report, another system) to detect a rewritten chain. */
export interface StreamHead {
  readonly streamId: string
  readonly version: number
  /** The last event's hash, hex. */
  readonly hash: string
}

interface ProblemRow {
  readonly stream_id: string
  readonly stream_version: string | number
  readonly kind: ChainProblem['kind']
  readonly detail: string | number | null
}

// operations

/** Verifies one stream's chain. */
export const verifyStream = (storage: PostgresStorage, streamId: string): TaskEither<StoreUnavailable, ChainReport> =>
  verify(storage, streamId)

/**
 * Verifies every stream's chain (one pass over the events table) and every log seal: events
 * moved to other positions, or whole streams removed, are found wherever a seal covers them.
 */
export const verifyAll = (storage: PostgresStorage): TaskEither<StoreUnavailable, LogReport> => async () => {
  const chains = await verify(storage, undefined)()
  if (E.isLeft(chains)) return chains
  try {
    const { problems, ...seals } = await checkSeals(storage)
    return E.right({ ...chains.right, seals, problems: [...chains.right.problems, ...problems] })
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}

/** The head of a stream's chain, or undefined for a stream with no events. */
export const streamHead = (storage: PostgresStorage, streamId: string): TaskEither<StoreUnavailable, StreamHead | undefined> => async () => {
  try {
    const r = await sql<{ version: string | number; hash: string }>`
      SELECT version, encode(head_hash, 'hex') AS hash FROM ${sql.raw(storage.names.q)}.streams
      WHERE stream_id = ${streamId} AND version > 0`.execute(storage.database.db)
    const row = r.rows[0]
    return E.right(row === undefined ? undefined : { streamId, version: Number(row.version), hash: row.hash })
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}

const verify = (storage: PostgresStorage, streamId: string | undefined): TaskEither<StoreUnavailable, ChainReport> => async () => {
  const q = sql.raw(storage.names.q)
  const onEvents = streamId === undefined ? sql`` : sql`WHERE e.stream_id = ${streamId}`
  const onStreams = streamId === undefined ? sql`` : sql`AND st.stream_id = ${streamId}`
  try {
    const problems = await sql<ProblemRow>`
      WITH chained AS (
        SELECT e.stream_id, e.stream_version, e.hash,
          lag(e.stream_version, 1, 0::bigint) OVER w AS prev_version,
          ${q}.event_hash(lag(e.hash, 1, '\\x'::bytea) OVER w, e.stream_id, e.stream_version, e.event_id, e.type,
            e.schema_version, e.data, e.metadata) AS expected
        FROM ${q}.events e ${onEvents}
        WINDOW w AS (PARTITION BY e.stream_id ORDER BY e.stream_version)
      )
      SELECT stream_id, stream_version,
        CASE WHEN stream_version <> prev_version + 1 THEN 'missing' ELSE 'altered' END AS kind,
        prev_version AS detail
      FROM chained WHERE stream_version <> prev_version + 1 OR hash <> expected
      UNION ALL
      SELECT coalesce(st.stream_id, last.stream_id), coalesce(st.version, 0), 'head-mismatch', last.stream_version
      FROM ${q}.streams st
      FULL JOIN (
        SELECT DISTINCT ON (e.stream_id) e.stream_id, e.stream_version, e.hash
        FROM ${q}.events e ${onEvents} ORDER BY e.stream_id, e.stream_version DESC
      ) last ON last.stream_id = st.stream_id
      WHERE NOT (coalesce(st.version, 0) = 0 AND last.stream_id IS NULL)
        AND (last.stream_version IS DISTINCT FROM st.version OR last.hash IS DISTINCT FROM st.head_hash)
        ${streamId === undefined ? sql`` : sql`AND coalesce(st.stream_id, last.stream_id) = ${streamId}`}
      ORDER BY 1, 2`.execute(storage.database.db)
    const counts = await sql<{ streams: string | number; events: string | number }>`
      SELECT (SELECT count(*) FROM ${q}.streams st WHERE st.version > 0 ${onStreams}) AS streams,
        (SELECT count(*) FROM ${q}.events e ${onEvents}) AS events`.execute(storage.database.db)
    return E.right({
      streams: Number(counts.rows[0]?.streams ?? 0),
      events: Number(counts.rows[0]?.events ?? 0),
      problems: problems.rows.map((r) => ({
        streamId: r.stream_id,
        streamVersion: Number(r.stream_version),
        kind: r.kind,
        message: describe(r),
      })),
    })
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}

const describe = (r: ProblemRow): string => {
  const v = Number(r.stream_version)
  switch (r.kind) {
    case 'missing':
      return `stream ${r.stream_id}: versions ${Number(r.detail) + 1} to ${v - 1} are missing before version ${v}`
    case 'altered':
      return `stream ${r.stream_id} version ${v}: the hash does not match the event's content and its predecessor`
    default:
      return `stream ${r.stream_id}: the recorded head is version ${v}, the last event is ${r.detail === null ? 'none' : `version ${Number(r.detail)}`} (or its hash differs)`
  }
}
