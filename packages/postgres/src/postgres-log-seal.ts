/** Tamper evidence for the whole log: seals chain sha256 digests over committed positions, and a kept seal proves what the log held. */
import { storeUnavailable, type DomainError, type StoreUnavailable } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql } from 'kysely'
import { sign, verify, type KeyObject } from 'node:crypto'
import type { PostgresStorage } from './postgres-event-store.js'
import type { Migration, SchemaNames } from './postgres-migrations.js'

// model

/**
 * One seal: the digest of every event at positions up to `throughPosition`, chained over the
 * seals before it. Keep it outside the database (print `sealText`, sign it, send it to the other
 * party) and `verifyAgainstSeal` later proves the log still holds exactly those events there.
 */
export interface LogSeal {
  readonly sealNo: number
  readonly throughPosition: number
  /** Events at positions up to `throughPosition`, all seals together. */
  readonly events: number
  /** sha256, hex: over the previous seal's digest and each event's position and hash (docs/decisions/0113). */
  readonly digest: string
  /** When the seal was made, ISO-8601 UTC. */
  readonly sealedAt: string
}

/**
 * What log-wide verification found. `seal-missing`: seals are absent before this one (or the
 * kept one is absent). `seal-broken`: the events now at the seal's positions are not the ones it
 * sealed (altered, removed, added, moved to other positions). `seal-differs`: the database's seal
 * of that number is not the seal that was kept.
 */
export interface LogProblem {
  readonly kind: 'seal-missing' | 'seal-broken' | 'seal-differs'
  readonly sealNo: number
  readonly throughPosition: number
  readonly message: string
}

/** What the seals cover. */
export interface SealCoverage {
  readonly seals: number
  /** The last seal's position; 0 without seals. */
  readonly sealedThrough: number
  /** Events after it: no seal covers them yet, and whoever can write the tables can change them unseen. */
  readonly unsealedEvents: number
  readonly problems: ReadonlyArray<LogProblem>
}

/** Seals made on a timer; see `startSealing`. */
export interface Sealer {
  /** The last seal this sealer made or found, if any. */
  readonly latest: () => LogSeal | undefined
  /** Stops after the seal in hand. */
  readonly stop: () => Promise<void>
}

/** A seal as printed could not be read: `field` says which part. */
export interface InvalidSeal extends DomainError<'InvalidSeal'> {
  readonly field: 'sealNo' | 'throughPosition' | 'events' | 'sealedAt' | 'digest' | 'text'
}

interface SealRow {
  readonly seal_no: string | number
  readonly through_position: string | number
  readonly events_through: string | number
  readonly digest: string
  readonly sealed_at: string
}

// constructors

/** The table of seals. Appends never touch it: a seal is made by `sealLog`, over committed positions. */
export const logSealMigration: Migration = {
  version: 3,
  name: 'log seals',
  statements: (s: SchemaNames) => [
    `CREATE TABLE ${s.q}.log_seals (
      seal_no bigint PRIMARY KEY CHECK (seal_no >= 1),
      after_position bigint NOT NULL,
      through_position bigint NOT NULL,
      events_through bigint NOT NULL,
      digest bytea NOT NULL,
      sealed_at timestamptz NOT NULL DEFAULT statement_timestamp(),
      CHECK (through_position > after_position)
    )`,
  ],
}

const TEXT = /^support-ledger log seal (\S+) through position (\S+) \((\S+) events\) sealed (\S+) sha256 (\S+)$/

/** The seal as one printable line, the form to keep, sign or put in a report. `parseSeal` reads it back. */
export const sealText = (seal: LogSeal): string =>
  `support-ledger log seal ${seal.sealNo} through position ${seal.throughPosition} (${seal.events} events) sealed ${seal.sealedAt} sha256 ${seal.digest}`

/** Reads a line written by `sealText`. */
export const parseSeal = (text: string): E.Either<InvalidSeal, LogSeal> => {
  const bad = (field: InvalidSeal['field'], why: string): E.Either<InvalidSeal, LogSeal> =>
    E.left({ _tag: 'InvalidSeal', field, message: `seal ${field}: ${why}` })
  const m = TEXT.exec(text.trim())
  if (m === null) return bad('text', 'expected "support-ledger log seal N through position P (K events) sealed INSTANT sha256 HEX"')
  const [, no, through, events, sealedAt, digest] = m
  const count = (v: string | undefined) => (v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined)
  const sealNo = count(no)
  const throughPosition = count(through)
  const eventCount = count(events)
  if (sealNo === undefined || sealNo < 1) return bad('sealNo', `${no ?? ''} is not a seal number`)
  if (throughPosition === undefined || throughPosition < 1) return bad('throughPosition', `${through ?? ''} is not a position`)
  if (eventCount === undefined || eventCount < 1) return bad('events', `${events ?? ''} is not a count of events`)
  if (sealedAt === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(sealedAt) || Number.isNaN(Date.parse(sealedAt))) {
    return bad('sealedAt', `${sealedAt ?? ''} is not an ISO-8601 UTC instant`)
  }
  if (digest === undefined || !/^[0-9a-f]{64}$/.test(digest)) return bad('digest', 'expected 64 lower-case hex digits')
  return E.right({ sealNo, throughPosition, events: eventCount, digest, sealedAt })
}

/** Signs the printed seal (Ed25519 keys: `generateKeyPairSync('ed25519')`); the signature is base64. */
export const signSeal = (seal: LogSeal, privateKey: KeyObject): string => sign(null, Buffer.from(sealText(seal)), privateKey).toString('base64')

/** Whether `signature` is the signature of this seal by the holder of `publicKey`. */
export const sealSignatureValid = (seal: LogSeal, signature: string, publicKey: KeyObject): boolean => {
  try {
    return verify(null, Buffer.from(sealText(seal)), publicKey, Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}

// operations

/**
 * The digest of one seal, as one SQL expression used by sealing and by verification alike:
 * sha256 over the previous seal's digest, this seal's number and last position, and each event's
 * position and hash in position order. The event's hash covers its stream, version and content
 * (docs/decisions/0103); the position is what the stream chains do not cover.
 */
const sealDigest = (prev: string, sealNo: string, through: string, events: string): string =>
  `sha256(${prev} || int8send(${sealNo}) || int8send(${through}) || ` +
  `coalesce(string_agg(int8send(${events}.global_position) || ${events}.hash, ''::bytea ORDER BY ${events}.global_position), ''::bytea))`

const toSeal = (r: SealRow): LogSeal => ({
  sealNo: Number(r.seal_no),
  throughPosition: Number(r.through_position),
  events: Number(r.events_through),
  digest: r.digest,
  sealedAt: r.sealed_at,
})

const sealColumns = sql`seal_no, through_position, events_through, encode(digest, 'hex') AS digest,
  to_char(sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS sealed_at`

/**
 * Seals the committed events after the last seal: those the reader fence lets through, which no
 * later commit can precede (docs/decisions/0100). Makes one seal per `maxEvents` events (default
 * 10,000), each in its own short transaction, and returns the latest seal (undefined if none).
 * Run it on a schedule (daily) and before each report; concurrent callers take turns.
 */
export const sealLog = (storage: PostgresStorage, options: { readonly maxEvents?: number } = {}): TaskEither<StoreUnavailable, LogSeal | undefined> => async () => {
  const q = sql.raw(storage.names.q)
  const limit = Math.max(1, Math.floor(options.maxEvents ?? 10_000))
  try {
    for (;;) {
      const made = await storage.database.db.transaction().execute(async (tx) => {
        // One sealer at a time; appends and readers never touch this table.
        await sql`LOCK TABLE ${q}.log_seals IN EXCLUSIVE MODE`.execute(tx)
        return (await sql<SealRow & { readonly sealed: string | number }>`
          WITH last AS (
            SELECT coalesce(max(seal_no), 0) AS seal_no,
              coalesce((SELECT through_position FROM ${q}.log_seals ORDER BY seal_no DESC LIMIT 1), 0) AS through_position,
              coalesce((SELECT events_through FROM ${q}.log_seals ORDER BY seal_no DESC LIMIT 1), 0) AS events_through,
              coalesce((SELECT digest FROM ${q}.log_seals ORDER BY seal_no DESC LIMIT 1), '\\x'::bytea) AS digest
            FROM ${q}.log_seals
          ), picked AS (
            -- A scalar bound, so that the scan starts at the last seal instead of at position 1.
            SELECT e.global_position, e.hash FROM ${q}.events e
            -- The reader fence, as readCommittedAfter has it: keep the two the same.
            WHERE e.global_position > (SELECT through_position FROM last)
              AND e.transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
            ORDER BY e.global_position LIMIT ${limit}
          ), sealed AS (
            INSERT INTO ${q}.log_seals (seal_no, after_position, through_position, events_through, digest)
            SELECT last.seal_no + 1, last.through_position, max(p.global_position), last.events_through + count(*),
              ${sql.raw(sealDigest('last.digest', 'last.seal_no + 1', 'max(p.global_position)', 'p'))}
            FROM last, picked p
            GROUP BY last.seal_no, last.through_position, last.events_through, last.digest
            RETURNING *
          )
          SELECT ${sealColumns}, (SELECT count(*) FROM picked) AS sealed FROM sealed`.execute(tx)).rows[0]
      })
      if (made === undefined || Number(made.sealed) < limit) break
    }
    return E.right(await latest(storage))
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}

/**
 * Runs `sealLog` every `everyMs` (default one day), the first time at once, and hands each new
 * seal to `onSeal`: the place to print, sign or send it to the other party. A failed run goes to
 * `onError` (default `console.warn`) and the next run tries again.
 */
export const startSealing = (
  storage: PostgresStorage,
  options: {
    readonly everyMs?: number
    readonly maxEvents?: number
    readonly onSeal?: (seal: LogSeal) => void | Promise<void>
    readonly onError?: (error: StoreUnavailable) => void
  } = {},
): Sealer => {
  const everyMs = Math.max(10, options.everyMs ?? 86_400_000)
  const onError = options.onError ?? ((e: StoreUnavailable) => console.warn(`[support-ledger sealer] ${e.message}`))
  let latestSeal: LogSeal | undefined
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> = Promise.resolve()
  const run = async () => {
    const made = await sealLog(storage, options.maxEvents === undefined ? {} : { maxEvents: options.maxEvents })()
    if (E.isLeft(made)) onError(made.left)
    else if (made.right !== undefined && made.right.sealNo !== latestSeal?.sealNo) {
      latestSeal = made.right
      try {
        await options.onSeal?.(made.right)
      } catch (e) {
        onError(storeUnavailable(e))
      }
    }
  }
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = run().finally(() => {
        if (!stopped) schedule(everyMs)
      })
    }, ms)
  }
  schedule(0)
  return {
    latest: () => latestSeal,
    stop: async () => {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      await running
    },
  }
}

/** The last seal made, or undefined before the first. */
export const latestSeal = (storage: PostgresStorage): TaskEither<StoreUnavailable, LogSeal | undefined> => async () => {
  try {
    return E.right(await latest(storage))
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}

const latest = async (storage: PostgresStorage): Promise<LogSeal | undefined> => {
  const r = await sql<SealRow>`SELECT ${sealColumns} FROM ${sql.raw(storage.names.q)}.log_seals ORDER BY seal_no DESC LIMIT 1`.execute(storage.database.db)
  const row = r.rows[0]
  return row === undefined ? undefined : toSeal(row)
}

/**
 * Checks every seal (up to `throughSeal`) against the events now in the table: each one's
 * digest is computed again over the positions it covers, from the seal before it.
 */
export const checkSeals = async (storage: PostgresStorage, throughSeal?: number): Promise<SealCoverage> => {
  const q = sql.raw(storage.names.q)
  const upTo = throughSeal === undefined ? sql`` : sql`WHERE seal_no <= ${throughSeal}`
  const rows = (await sql<{
    seal_no: string | number
    after_position: string | number
    through_position: string | number
    events_through: string | number
    prev_no: string | number
    prev_through: string | number
    prev_events: string | number
    found: string | number
    matches: boolean
  }>`
    WITH s AS (
      SELECT seal_no, after_position, through_position, events_through, digest,
        lag(seal_no, 1, 0::bigint) OVER w AS prev_no,
        lag(through_position, 1, 0::bigint) OVER w AS prev_through,
        lag(events_through, 1, 0::bigint) OVER w AS prev_events,
        lag(digest, 1, '\\x'::bytea) OVER w AS prev_digest
      FROM ${q}.log_seals ${upTo}
      WINDOW w AS (ORDER BY seal_no)
    )
    SELECT s.seal_no, s.after_position, s.through_position, s.events_through, s.prev_no, s.prev_through, s.prev_events,
      seg.found, seg.expected = s.digest AS matches
    FROM s CROSS JOIN LATERAL (
      SELECT count(*) AS found, ${sql.raw(sealDigest('s.prev_digest', 's.seal_no', 's.through_position', 'e'))} AS expected
      FROM ${q}.events e WHERE e.global_position > s.after_position AND e.global_position <= s.through_position
    ) seg
    ORDER BY s.seal_no`.execute(storage.database.db)).rows
  const problems: LogProblem[] = []
  for (const r of rows) {
    const sealNo = Number(r.seal_no)
    const throughPosition = Number(r.through_position)
    const prevNo = Number(r.prev_no)
    if (sealNo !== prevNo + 1) {
      problems.push({ kind: 'seal-missing', sealNo, throughPosition, message: `seals ${prevNo + 1} to ${sealNo - 1} are missing before seal ${sealNo}` })
    }
    const sealed = Number(r.events_through) - Number(r.prev_events)
    const found = Number(r.found)
    if (!r.matches || Number(r.after_position) !== Number(r.prev_through) || found !== sealed) {
      problems.push({
        kind: 'seal-broken',
        sealNo,
        throughPosition,
        message: `seal ${sealNo}: the events at positions ${Number(r.after_position) + 1} to ${throughPosition} are not the ones sealed ` +
          `(${sealed} sealed, ${found} there now${found === sealed ? ', with other content or positions' : ''})`,
      })
    }
  }
  const last = rows[rows.length - 1]
  const sealedThrough = last === undefined ? 0 : Number(last.through_position)
  const tail = await sql<{ n: string | number }>`SELECT count(*) AS n FROM ${q}.events WHERE global_position > ${sealedThrough}`.execute(storage.database.db)
  return { seals: rows.length, sealedThrough, unsealedEvents: Number(tail.rows[0]?.n ?? 0), problems }
}

/**
 * Checks the log against a seal kept outside the database: the database's seal of that number
 * must be the kept one, and every seal up to it must still match the events. Clean, this proves
 * the events at positions up to `kept.throughPosition` are exactly those there when it was made.
 */
export const verifyAgainstSeal = (storage: PostgresStorage, kept: LogSeal): TaskEither<StoreUnavailable, SealCoverage> => async () => {
  try {
    const coverage = await checkSeals(storage, kept.sealNo)
    const r = await sql<SealRow>`SELECT ${sealColumns} FROM ${sql.raw(storage.names.q)}.log_seals WHERE seal_no = ${kept.sealNo}`.execute(storage.database.db)
    const row = r.rows[0]
    const stored = row === undefined ? undefined : toSeal(row)
    const problems = [...coverage.problems]
    if (stored === undefined) {
      problems.push({ kind: 'seal-missing', sealNo: kept.sealNo, throughPosition: kept.throughPosition, message: `seal ${kept.sealNo}, which was kept, is not in the database` })
    } else if (stored.digest !== kept.digest || stored.throughPosition !== kept.throughPosition || stored.events !== kept.events) {
      problems.push({
        kind: 'seal-differs',
        sealNo: kept.sealNo,
        throughPosition: kept.throughPosition,
        message: `seal ${kept.sealNo} in the database (through position ${stored.throughPosition}, ${stored.events} events, sha256 ${stored.digest}) is not the kept one (through position ${kept.throughPosition}, ${kept.events} events, sha256 ${kept.digest})`,
      })
    }
    return E.right({ ...coverage, problems })
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}
