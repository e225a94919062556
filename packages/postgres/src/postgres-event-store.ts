/** The PostgreSQL EventStore: appends in one call, a fenced global read, LISTEN/NOTIFY wake-ups; on a server or on PGlite. */
import {
  instantOf,
  legacyMetadataTimeKey,
  catchUpSubscription,
  describeIssues,
  storeUnavailable,
  contractOfAppend,
  validateAppend,
  type AppendError,
  type DecodeIssue,
  type DomainEvent,
  type EventCatalog,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type GlobalPage,
  type Instant,
  type ReadError,
  type RecordedEvent,
  type StoredEvent,
  type StoreFor,
  type StreamSlice,
  type WakeSource,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { CompiledQuery, sql } from 'kysely'
import { createHash } from 'node:crypto'
import { appendBatcher, type AppendBatcher, type EncodedAppend, type GroupCommitOptions } from './postgres-append-batcher.js'
import { retryWhenConnectionLost, type EventDatabase } from './postgres-connection.js'
import { newEventIdV7, storedMetadataJson } from './postgres-event-encoding.js'
import { schemaNames, type SchemaNames } from './postgres-migrations.js'

// model

/** How the store uses its database. Stores for different catalogs share one storage, and with it the group commit. */
export interface PostgresStorageOptions {
  readonly database: EventDatabase
  /** The schema `migrate` created; default `support_ledger`. */
  readonly schema?: string
  /** Send a notification from each append; default true. Off behind proxies that drop LISTEN, or to spare commits the notify queue lock. */
  readonly notify?: boolean
  /** How often subscriptions read without a wake-up; default 1000 ms when listening, 200 ms otherwise. */
  readonly pollMs?: number
  /** Group commit settings, or `false` for one call per append. */
  readonly groupCommit?: GroupCommitOptions | false
  /**
   * Whether an append returns only once its commit is flushed to disk; default true. `false`
   * commits the store's own appends with `synchronous_commit` off, which saves the wait for the
   * flush, and gives up this: after a crash of the database server or its machine (not of the
   * application), the appends of about the last 600 ms (three `wal_writer_delay`) may be
   * gone although their callers were told they were written, and their idempotency keys with
   * them. The log stays whole (what is lost is its tail, never part of an append) and anything
   * written with a flushed commit after reading an event, such as a consumer's checkpoint,
   * makes that event durable too. Appends in your own transaction commit as it does.
   */
  readonly durableCommits?: boolean
  /** Event ids when the caller gives none; default uuid v7. */
  readonly newEventId?: () => string
  /** When events are recorded (`metadata.recordedAt`); default this process's clock. */
  readonly clock?: () => Instant
}

/** A configured storage: the database, the schema's names, the batcher and the in-process wake-ups. */
export interface PostgresStorage {
  readonly database: EventDatabase
  readonly names: SchemaNames
  readonly batcher: AppendBatcher
  /** Gives the id of each event appended without one. */
  readonly newEventId: () => string
  /** Gives the `recordedAt` of each appended event. */
  readonly clock: () => Instant
  /** The wake source subscriptions and consumers use: notifications, in-process appends, and polling. */
  readonly wake: WakeSource
  /** Tells in-process subscribers that this process appended. */
  readonly appended: () => void
  /** Stops listening. Does not close the database. */
  readonly close: () => Promise<void>
}

/** One row of the events table, as drivers return it (pg gives int8 as strings, PGlite as numbers). */
export interface EventRow {
  readonly global_position: string | number
  readonly stream_id: string
  readonly stream_version: string | number
  readonly event_id: string
  readonly type: string
  readonly schema_version: number
  readonly data: unknown
  readonly metadata: unknown
}

// constructors

/**
 * Prepares a storage on a migrated database; the stores of every catalog share it (and its group commit). Call
 * `migrate` first.
 *
 * @example
 * const database = postgresDatabase(new pg.Pool({ connectionString: process.env.DATABASE_URL }))
 * await migrate(database.db)
 * const storage = createPostgresStorage({ database })
 * const tickets = postgresEventStore(ticketEvents, storage)
 */
export const createPostgresStorage = (options: PostgresStorageOptions): PostgresStorage => {
  const names = schemaNames(options.schema)
  const notify = options.notify ?? true
  const { database } = options
  const listeners = new Set<() => void>()
  let unlisten: Promise<(() => Promise<void>) | undefined> | undefined
  const wakeAll = () => {
    for (const l of listeners) l()
  }
  const ensureListening = () => {
    if (unlisten || !database.listen) return
    unlisten = database.listen(names.channel, wakeAll).catch(() => {
      // Polling still delivers; try listening again with the next subscriber.
      unlisten = undefined
      return undefined
    })
  }
  const pollMs = options.pollMs ?? (database.listen && notify ? 1000 : 200)
  return {
    database,
    names,
    batcher: appendBatcher(database, names, notify, options.groupCommit ?? {}, options.durableCommits ?? true),
    newEventId: options.newEventId ?? newEventIdV7,
    clock: options.clock ?? (() => instantOf(Date.now())),
    wake: {
      pollMs,
      onAppend: (listener) => {
        listeners.add(listener)
        if (notify) ensureListening()
        return () => {
          listeners.delete(listener)
        }
      },
    },
    appended: wakeAll,
    close: async () => {
      listeners.clear()
      const u = await unlisten
      unlisten = undefined
      await u?.()
    },
  }
}

/** An EventStore for one catalog over a storage. Run `migrate` on the database first. */
export const postgresEventStore = <Ev extends DomainEvent>(catalog: EventCatalog<Ev>, storage: PostgresStorage): EventStore<Ev> => {
  const { db } = storage.database
  const { q } = storage.names

  const append: EventStore<Ev>['append'] = (streamId, events, options = {}) => async () => {
    const invalid = validateAppend(streamId, events.length, options)
    if (invalid) return E.left<AppendError>(invalid)
    const contractId = contractOfAppend(streamId, options)
    if (E.isLeft(contractId)) return contractId
    const encoded: Array<EncodedAppend['events'][number]> = []
    const given: Array<string | null> = []
    const recordedAt = storage.clock()
    // Events of one append usually share their metadata object: encode it once.
    let lastMeta: EventMetadata | undefined
    let lastMetaJson = ''
    for (const [i, e] of events.entries()) {
      const enc = catalog.encode(e.event, streamId, i)
      if (E.isLeft(enc)) return E.left<AppendError>(enc.left)
      const eventId = e.eventId ?? storage.newEventId()
      if (!UUID.test(eventId)) return E.left<AppendError>({ _tag: 'InvalidAppend', message: `event ${i} for stream ${streamId}: event id ${eventId} is not a UUID`, streamId })
      given.push(e.eventId === undefined ? null : eventId.toLowerCase())
      encoded.push({
        eventId,
        type: enc.right.type,
        schemaVersion: enc.right.schemaVersion,
        data: JSON.stringify(enc.right.data),
        metadata: e.metadata === lastMeta ? lastMetaJson : (lastMetaJson = storedMetadataJson((lastMeta = e.metadata), recordedAt)),
      })
    }
    const expected: ExpectedVersion = options.expectedVersion ?? 'any'
    const expectedCode = expected === 'any' ? -1 : expected === 'no-stream' ? -2 : expected === 'exists' ? -3 : expected
    const idempotencyKey = options.idempotencyKey ?? null
    try {
      const outcome = await storage.batcher.append({
        streamId,
        expected: expectedCode,
        idempotencyKey,
        digest: idempotencyKey === null ? EMPTY_DIGEST : requestDigest(streamId, expectedCode, encoded, given),
        contractId: contractId.right ?? null,
        events: encoded,
      })
      switch (outcome.status) {
        case 'wrong-version':
          return E.left<AppendError>({
            _tag: 'WrongExpectedVersion',
            message: `stream ${streamId}: expected version ${String(expected)}, actual ${outcome.actual}`,
            streamId,
            expected,
            actual: outcome.actual,
          })
        case 'key-reused':
          return E.left<AppendError>({
            _tag: 'IdempotencyKeyReused',
            message: `idempotency key ${options.idempotencyKey ?? ''} was first used for stream ${outcome.firstStreamId}, not ${streamId}`,
            idempotencyKey: options.idempotencyKey ?? '',
            streamId,
            firstStreamId: outcome.firstStreamId,
            differs: 'stream',
          })
        case 'key-mismatch':
          return E.left<AppendError>({
            _tag: 'IdempotencyKeyReused',
            message: `idempotency key ${options.idempotencyKey ?? ''} was first used for another request to stream ${streamId} (its ${outcome.differs} differs)`,
            idempotencyKey: options.idempotencyKey ?? '',
            streamId,
            firstStreamId: streamId,
            differs: outcome.differs,
          })
        default:
          if (outcome.status === 'appended') storage.appended()
          return E.right({
            streamId,
            fromVersion: outcome.fromVersion,
            toVersion: outcome.toVersion,
            fromPosition: outcome.fromPosition,
            toPosition: outcome.toPosition,
            eventIds: outcome.eventIds,
            replayed: outcome.status === 'replayed',
          })
      }
    } catch (e) {
      return E.left<AppendError>(appendFailure(streamId, e))
    }
  }

  const readStream: EventStore<Ev>['readStream'] = (streamId, options = {}) => async () => {
    const from = Math.max(1, Math.floor(options.fromVersion ?? 1))
    try {
      const result = await sql<EventRow & { head: string | number | null }>`
        SELECT (SELECT st.version FROM ${sql.raw(q)}.streams st WHERE st.stream_id = ${streamId}) AS head,
          e.global_position, e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version, e.data, e.metadata
        FROM (SELECT 1) AS one
        LEFT JOIN ${sql.raw(q)}.events e ON e.stream_id = ${streamId} AND e.stream_version >= ${from}
        ORDER BY e.stream_version`.execute(db)
      const head = Number(result.rows[0]?.head ?? 0)
      const rows = result.rows.filter((r) => r.global_position !== null)
      return E.map((events: RecordedEvent<Ev>[]): StreamSlice<Ev> => ({ streamId, version: head, events }))(decodeRows(catalog, rows))
    } catch (e) {
      return E.left<ReadError>(storeUnavailable(e))
    }
  }

  const readAll: EventStore<Ev>['readAll'] = ({ after, limit = 1000 }) => async () => {
    try {
      const rows = await readCommittedAfter(storage, after, limit)
      return E.map((events: RecordedEvent<Ev>[]): GlobalPage<Ev> => ({
        events,
        next: events[events.length - 1]?.globalPosition ?? after,
      }))(decodeRows(catalog, rows))
    } catch (e) {
      return E.left<ReadError>(storeUnavailable(e))
    }
  }

  const readContract: EventStore<Ev>['readContract'] = (contractId, { after, limit = 1000 }) => async () => {
    try {
      const rows = await readContractAfter(storage, contractId, after, limit)
      return E.map((events: RecordedEvent<Ev>[]): GlobalPage<Ev> => ({
        events,
        next: events[events.length - 1]?.globalPosition ?? after,
      }))(decodeRows(catalog, rows))
    } catch (e) {
      return E.left<ReadError>(storeUnavailable(e))
    }
  }

  // A subscription outlives connections: a read the server cut off is tried again (postgres-connection.ts).
  const subscribe: EventStore<Ev>['subscribe'] = (options) => catchUpSubscription(retryWhenConnectionLost(readAll), options, storage.wake)

  return { append, readStream, readAll, readContract, subscribe }
}

// operations

// What EventMetadata and the recording time require, checked by hand: this runs for every event
// read, and the full codec would cost more than the rest of the read (the append checked it already).
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const isParty = (p: unknown): boolean => p === 'supplier' || p === 'customer' || p === 'system'
const isInstantText = (v: unknown): boolean => typeof v === 'string' && ISO_INSTANT.test(v)
const isOptionalText = (v: unknown): boolean => v === undefined || typeof v === 'string'

/** Whether stored metadata is sound: the common case, answered without building anything. */
const storedMetadataSound = (m: unknown): boolean => {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false
  const r = m as Record<string, unknown>
  const actor = r.actor as Record<string, unknown> | null | undefined
  if (typeof actor !== 'object' || actor === null || !isParty(actor.party) || typeof actor.id !== 'string') return false
  const at = r.at === undefined && r[legacyMetadataTimeKey] !== undefined ? r[legacyMetadataTimeKey] : r.at
  return isInstantText(at) && isInstantText(r.recordedAt) && isOptionalText(r.correlationId) && isOptionalText(r.causationId)
}

/** What is wrong with stored metadata that `storedMetadataSound` refused. */
const storedMetadataIssues = (m: unknown): ReadonlyArray<DecodeIssue> => {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return [{ path: 'metadata', message: 'expected an object' }]
  const r = m as Record<string, unknown>
  const issues: DecodeIssue[] = []
  const actor = r.actor as Record<string, unknown> | null | undefined
  if (typeof actor !== 'object' || actor === null) issues.push({ path: 'metadata.actor', message: 'expected an actor' })
  else {
    if (!isParty(actor.party)) issues.push({ path: 'metadata.actor.party', message: 'expected customer, supplier or system' })
    if (typeof actor.id !== 'string') issues.push({ path: 'metadata.actor.id', message: 'expected a string' })
  }
  // Events recorded before "when it happened" was named `at` carry `occurredAt`; the catalog reads either.
  const atKey = r.at === undefined && r[legacyMetadataTimeKey] !== undefined ? legacyMetadataTimeKey : 'at'
  for (const key of [atKey, 'recordedAt']) {
    if (!isInstantText(r[key])) issues.push({ path: `metadata.${key}`, message: 'expected an ISO-8601 UTC instant' })
  }
  for (const key of ['correlationId', 'causationId']) {
    if (!isOptionalText(r[key])) issues.push({ path: `metadata.${key}`, message: 'expected a string' })
  }
  return issues
}

/**
 * The request an idempotency key stands for, as SHA-256: the stream, the expected version and,
 * per event, type, schema version, encoded data and the event id the caller gave (generated ids
 * differ on every try and metadata records when and by whom, so neither is part of it).
 */
export const requestDigest = (
  streamId: string,
  expected: number,
  events: ReadonlyArray<EncodedAppend['events'][number]>,
  givenIds: ReadonlyArray<string | null>,
): Uint8Array => {
  const h = createHash('sha256').update(JSON.stringify([streamId, expected, events.length]))
  events.forEach((e, i) => h.update(JSON.stringify([e.type, e.schemaVersion, givenIds[i] ?? null])).update(e.data))
  return h.digest()
}
const EMPTY_DIGEST = new Uint8Array(0)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Events after `after` in global order, up to the fence: only events whose transaction id is
 * below the oldest transaction still running, so that none can commit later at a lower position
 * (docs/decisions/0100). With `partitions`, each row also says which partition its stream hashes to.
 */
export const readCommittedAfter = async (
  storage: PostgresStorage,
  after: number,
  limit: number,
  partitions = 1,
): Promise<ReadonlyArray<EventRow & { readonly partition?: number }>> => {
  const { schema, q } = storage.names
  const position = Math.max(0, Math.floor(after))
  const most = Math.max(1, Math.floor(limit))
  return partitions <= 1
    ? await runRead(storage, `${schema}_read_after_1`, readAfterStatement(q, ''), [position, most])
    : await runRead(storage, `${schema}_read_after_partitioned_1`, readAfterStatement(q, PARTITION_COLUMN), [position, most, partitions])
}

/**
 * One contract's events after `after`, in global order, up to the same fence as
 * `readCommittedAfter`: a reader that pages through a contract never passes an event that
 * commits later at a lower position. The index on (contract_id, global_position) serves it.
 */
export const readContractAfter = async (
  storage: PostgresStorage,
  contractId: string,
  after: number,
  limit: number,
): Promise<ReadonlyArray<EventRow>> => {
  const { schema, q } = storage.names
  return await runRead(storage, `${schema}_read_contract_after_1`, readContractStatement(q), [
    contractId, Math.max(0, Math.floor(after)), Math.max(1, Math.floor(limit)),
  ])
}

// The reads, fixed per schema so that a connection prepares each once: a catch-up read is many
// pages of the same statement, and parsing and planning it again was a measurable part of a page.
const EVENT_COLUMNS = 'global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata'
const FENCE = 'transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))'
const PARTITION_COLUMN = ', mod(hashtext(stream_id)::bigint + 2147483648, $3)::integer AS partition'
const readAfterStatement = (q: string, partition: string) =>
  `SELECT ${EVENT_COLUMNS}${partition} FROM ${q}.events WHERE global_position > $1 AND ${FENCE} ORDER BY global_position LIMIT $2`
const readContractStatement = (q: string) =>
  `SELECT ${EVENT_COLUMNS} FROM ${q}.events WHERE contract_id = $1 AND global_position > $2 AND ${FENCE} ORDER BY global_position LIMIT $3`

/** Runs a read as a prepared statement where the database offers them, else through Kysely (a transaction, a proxy). */
const runRead = async <R>(storage: PostgresStorage, name: string, text: string, values: ReadonlyArray<unknown>): Promise<ReadonlyArray<R>> => {
  const { database } = storage
  if (database.prepared) return (await database.prepared(name, text, values)) as ReadonlyArray<R>
  return (await database.db.executeQuery<R>(CompiledQuery.raw(text, [...values]))).rows
}

/** Decodes rows with a catalog; the first row that does not decode is the error. */
export const decodeRows = <Ev extends DomainEvent>(
  catalog: EventCatalog<Ev>,
  rows: ReadonlyArray<EventRow>,
): E.Either<ReadError, RecordedEvent<Ev>[]> => {
  const out: RecordedEvent<Ev>[] = new Array<RecordedEvent<Ev>>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    const stored: StoredEvent = {
      streamId: row.stream_id,
      streamVersion: Number(row.stream_version),
      globalPosition: Number(row.global_position),
      eventId: row.event_id,
      type: row.type,
      schemaVersion: Number(row.schema_version),
      data: row.data,
      metadata: row.metadata as StoredEvent['metadata'],
    }
    if (!storedMetadataSound(row.metadata)) {
      const metaIssues = storedMetadataIssues(row.metadata)
      return E.left({
        _tag: 'EventDecodeFailed',
        message: `stream ${stored.streamId} version ${stored.streamVersion} (${stored.type} v${stored.schemaVersion}): metadata is invalid: ${describeIssues(metaIssues)}`,
        streamId: stored.streamId,
        streamVersion: stored.streamVersion,
        globalPosition: stored.globalPosition,
        type: stored.type,
        schemaVersion: stored.schemaVersion,
        reason: 'invalid-data',
        issues: metaIssues,
      })
    }
    const d = catalog.decode(stored)
    if (E.isLeft(d)) return d
    out[i] = d.right
  }
  return E.right(out)
}

const appendFailure = (streamId: string, e: unknown): AppendError => {
  const code = (e as { code?: unknown } | null)?.code
  const detail = e instanceof Error ? e.message : String(e)
  if (code === '23505' && /event_id/.test(`${(e as { constraint?: string }).constraint ?? ''} ${detail}`)) {
    return { _tag: 'InvalidAppend', message: `stream ${streamId}: an event id is already recorded (${detail})`, streamId }
  }
  if (code === '22P05' || code === '22P02' || code === '22021') {
    return { _tag: 'InvalidAppend', message: `stream ${streamId}: event data cannot be stored (${detail})`, streamId }
  }
  return storeUnavailable(e)
}

/**
 * A store per catalog over one PostgreSQL storage (a server, or PGlite from `./embedded`): what
 * `contractLedger({ storeFor: postgresStores(storage), calendars })` is built on.
 */
export const postgresStores =
  (storage: PostgresStorage): StoreFor =>
  (catalog) =>
    postgresEventStore(catalog, storage)
