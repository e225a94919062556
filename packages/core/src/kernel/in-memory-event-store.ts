/** The in-memory EventStore: for tests, the quickstart and single-process tools. Nothing survives the process. */
import { EventEmitter } from 'eventemitter3'
import * as E from 'fp-ts/lib/Either.js'
import { v7 as uuidv7 } from 'uuid'
import type { EventCatalog } from './event-catalog.js'
import {
  checkExpectedVersion,
  validateAppend,
  type AppendError,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type IdempotencyMismatch,
  type ReadError,
  type StreamSlice,
  type GlobalPage,
  type StoreFor,
} from './event-store.js'
import { instantOf, type Instant } from './instant.js'
import type { DomainEvent, RecordedEvent, StoredEvent } from './recorded-event.js'
import { catchUpSubscription } from './subscription.js'

// model

/** The log itself. Several stores (one per catalog) can share one storage, as they would share a database. */
export interface InMemoryStorage {
  readonly log: StoredEvent[]
  readonly streams: Map<string, StoredEvent[]>
  /** Each contract's events in log order: what `readContract` reads. */
  readonly contracts: Map<string, StoredEvent[]>
  readonly idempotency: Map<string, IdempotencyRecord>
  readonly emitter: EventEmitter<{ appended: [] }>
  /** Gives the `recordedAt` of each appended event. */
  readonly clock: () => Instant
  /** Gives the id of each event appended without one. */
  readonly newEventId: () => string
}

/** What a key remembers: the result, and the request it was first used for. */
export interface IdempotencyRecord {
  readonly streamId: string
  readonly result: AppendResult
  readonly expected: ExpectedVersion
  readonly count: number
  /** The events as encoded (type, schema version, data, the caller's event id), as JSON. */
  readonly events: string
}

/** Where an in-memory storage gets its time and event ids; pass fixed ones for repeatable tests. */
export interface InMemoryStorageOptions {
  /** When events are recorded; default the system clock. */
  readonly clock?: () => Instant
  /** Event ids; default uuid v7. */
  readonly newEventId?: () => string
}

// constructors

/**
 * Creates an empty in-memory log, for tests and examples; pass it to `inMemoryEventStore` once per catalog. Nothing
 * survives the process.
 *
 * @example
 * const storage = createInMemoryStorage({ clock: () => instantOf(Date.UTC(2025, 0, 1)) })
 * const tickets = inMemoryEventStore(ticketEvents, storage)
 */
export const createInMemoryStorage = (options: InMemoryStorageOptions = {}): InMemoryStorage => ({
  log: [],
  streams: new Map(),
  contracts: new Map(),
  idempotency: new Map(),
  emitter: new EventEmitter(),
  clock: options.clock ?? (() => instantOf(Date.now())),
  newEventId: options.newEventId ?? (() => uuidv7()),
})

/** An EventStore over in-memory storage. Each append is atomic: it runs to completion before any other. */
export const inMemoryEventStore = <Ev extends DomainEvent>(
  catalog: EventCatalog<Ev>,
  storage: InMemoryStorage = createInMemoryStorage(),
): EventStore<Ev> => {
  const append: EventStore<Ev>['append'] = (streamId, events, options = {}) => async () => {
    const invalid = validateAppend(streamId, events.length, options)
    if (invalid) return E.left<AppendError>(invalid)
    const encoded = []
    for (const [i, e] of events.entries()) {
      const enc = catalog.encode(e.event, streamId, i)
      if (E.isLeft(enc)) return E.left<AppendError>(enc.left)
      encoded.push(enc.right)
    }
    const expected = options.expectedVersion ?? 'any'
    const request = JSON.stringify(encoded.map((enc, i) => [enc.type, enc.schemaVersion, enc.data, events[i]!.eventId?.toLowerCase() ?? null]))
    const key = options.idempotencyKey
    if (key !== undefined) {
      const first = storage.idempotency.get(key)
      if (first !== undefined) {
        const differs: IdempotencyMismatch | undefined =
          first.streamId !== streamId ? 'stream'
          : first.expected !== expected ? 'expected-version'
          : first.count !== events.length ? 'event-count'
          : first.events !== request ? 'events'
          : undefined
        return differs === undefined
          ? E.right({ ...first.result, replayed: true })
          : E.left<AppendError>({
              _tag: 'IdempotencyKeyReused',
              message: `idempotency key ${key} was first used for ${differs === 'stream' ? `stream ${first.streamId}, not ${streamId}` : `another request to stream ${streamId} (its ${differs} differs)`}`,
              idempotencyKey: key,
              streamId,
              firstStreamId: first.streamId,
              differs,
            })
      }
    }
    const stream = storage.streams.get(streamId) ?? []
    const conflict = checkExpectedVersion(streamId, expected, stream.length)
    if (conflict) return E.left<AppendError>(conflict)
    const recordedAt = storage.clock()
    const rows: StoredEvent[] = encoded.map((enc, i) => {
      const e = events[i]!
      return {
        streamId,
        streamVersion: stream.length + i + 1,
        globalPosition: storage.log.length + i + 1,
        eventId: e.eventId ?? storage.newEventId(),
        type: enc.type,
        schemaVersion: enc.schemaVersion,
        // A copy, as a database would keep: later changes to the caller's objects do not reach the log.
        data: structuredClone(enc.data),
        metadata: { ...structuredClone(e.metadata), recordedAt },
      }
    })
    storage.log.push(...rows)
    stream.push(...rows)
    storage.streams.set(streamId, stream)
    if (options.contractId !== undefined) {
      const contract = storage.contracts.get(options.contractId) ?? []
      contract.push(...rows)
      storage.contracts.set(options.contractId, contract)
    }
    const result: AppendResult = {
      streamId,
      fromVersion: rows[0]!.streamVersion,
      toVersion: rows[rows.length - 1]!.streamVersion,
      fromPosition: rows[0]!.globalPosition,
      toPosition: rows[rows.length - 1]!.globalPosition,
      eventIds: rows.map((r) => r.eventId),
      replayed: false,
    }
    if (key !== undefined) storage.idempotency.set(key, { streamId, result, expected, count: events.length, events: request })
    storage.emitter.emit('appended')
    return E.right(result)
  }

  const decodeAll = (rows: ReadonlyArray<StoredEvent>): E.Either<ReadError, RecordedEvent<Ev>[]> => {
    const out: RecordedEvent<Ev>[] = []
    for (const row of rows) {
      const d = catalog.decode(row)
      if (E.isLeft(d)) return d
      out.push(d.right)
    }
    return E.right(out)
  }

  const readStream: EventStore<Ev>['readStream'] = (streamId, options = {}) => async () => {
    const stream = storage.streams.get(streamId) ?? []
    const from = Math.max(1, options.fromVersion ?? 1)
    return E.map((events: RecordedEvent<Ev>[]): StreamSlice<Ev> => ({ streamId, version: stream.length, events }))(
      decodeAll(stream.slice(from - 1)),
    )
  }

  const readAll: EventStore<Ev>['readAll'] = ({ after, limit = 1000 }) => async () => {
    const start = Math.max(0, Math.floor(after))
    const rows = storage.log.slice(start, start + Math.max(1, limit))
    return E.map((events: RecordedEvent<Ev>[]): GlobalPage<Ev> => ({
      events,
      next: rows.length > 0 ? rows[rows.length - 1]!.globalPosition : after,
    }))(decodeAll(rows))
  }

  const readContract: EventStore<Ev>['readContract'] = (contractId, { after, limit = 1000 }) => async () => {
    const events = storage.contracts.get(contractId) ?? []
    const start = firstAfter(events, after)
    const rows = events.slice(start, start + Math.max(1, limit))
    return E.map((decoded: RecordedEvent<Ev>[]): GlobalPage<Ev> => ({
      events: decoded,
      next: rows.length > 0 ? rows[rows.length - 1]!.globalPosition : after,
    }))(decodeAll(rows))
  }

  const subscribe: EventStore<Ev>['subscribe'] = (options) =>
    catchUpSubscription(readAll, options, {
      onAppend: (listener) => {
        storage.emitter.on('appended', listener)
        return () => storage.emitter.off('appended', listener)
      },
    })

  return { append, readStream, readAll, readContract, subscribe }
}

// operations

/** The index of the first event past `after` in events sorted by position (binary search). */
const firstAfter = (events: ReadonlyArray<StoredEvent>, after: number): number => {
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (events[mid]!.globalPosition <= after) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * A store per catalog over one in-memory storage (default: a fresh one), as one database would hold them:
 * `contractLedger({ storeFor: inMemoryStores(), calendars })`.
 */
export const inMemoryStores =
  (storage: InMemoryStorage = createInMemoryStorage()): StoreFor =>
  (catalog) =>
    inMemoryEventStore(catalog, storage)
