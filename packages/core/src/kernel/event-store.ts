/** The EventStore port: what core needs from any store of events. Adapters implement it. */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { DomainError } from './domain-error.js'
import type { EventCatalog, EventDecodeFailed, InvalidEvent } from './event-catalog.js'
import type { DomainEvent, NewEvent, RecordedEvent } from './recorded-event.js'

// model

/**
 * What the writer believes about the stream. `any`: no check. `no-stream`: the stream has no events.
 * `exists`: it has at least one. A number: its current version is exactly that (0 = empty).
 */
export type ExpectedVersion = 'any' | 'no-stream' | 'exists' | number

/**
 * How an append is checked and tagged. With no options the append succeeds whatever the stream's version and is not
 * idempotent.
 */
export interface AppendOptions {
  /** Default `any`. */
  readonly expectedVersion?: ExpectedVersion
  /**
   * A retried append with the same key (same stream, expected version and events) writes nothing
   * and returns the first append's result, marked `replayed`. The same key with another request
   * is refused (`IdempotencyKeyReused`). Stores keep keys until they are expired.
   */
  readonly idempotencyKey?: string
  /**
   * The contract the events belong to, stored with each so that `readContract` finds them; none
   * for events of no contract. Every append to one stream should name the same contract: the
   * domain's handlers take it from the contract id the stream id is made of. It labels the
   * events and is not part of the request an idempotency key stands for.
   */
  readonly contractId?: string
}

/** Where an append landed: the versions and global positions its events were given. */
export interface AppendResult {
  readonly streamId: string
  /** Version of the first event written. */
  readonly fromVersion: number
  /** The stream's version after the append: the version to expect next time. */
  readonly toVersion: number
  readonly fromPosition: number
  readonly toPosition: number
  readonly eventIds: ReadonlyArray<string>
  /** True when an idempotency key matched an earlier append: nothing was written now, this is that append's result. */
  readonly replayed: boolean
}

/** One stream's events as read, with the version to pass as `expectedVersion` on the next append. */
export interface StreamSlice<Ev extends DomainEvent> {
  readonly streamId: string
  /** The stream's current version (0 when it has no events), whatever range was read. */
  readonly version: number
  readonly events: ReadonlyArray<RecordedEvent<Ev>>
}

/** Which part of a stream to read; by default all of it. */
export interface ReadStreamOptions {
  /** First version to read; default 1. */
  readonly fromVersion?: number
}

/** One page of the global log: events after a position, oldest first. */
export interface ReadAllOptions {
  /** Read events with a global position greater than this; 0 reads from the beginning. */
  readonly after: number
  /** At most this many events; default 1000. */
  readonly limit?: number
}

/** A read of one contract's events: `ReadAllOptions`, with positions of the global log. */
export type ReadContractOptions = ReadAllOptions

/** A page of the global log; read on from `next` until a page comes back empty. */
export interface GlobalPage<Ev extends DomainEvent> {
  readonly events: ReadonlyArray<RecordedEvent<Ev>>
  /** The position to pass as `after` next time: the last event's position, or `after` when empty. */
  readonly next: number
}

/** A live feed from a checkpoint. Batches are handled one at a time, in global order, each event once. */
export interface SubscribeOptions<Ev extends DomainEvent> {
  /** Deliver events after this global position (a checkpoint); 0 for all. */
  readonly after: number
  /** Handles one batch; the next batch waits until the promise settles, and a rejection ends the subscription. */
  readonly handle: (events: ReadonlyArray<RecordedEvent<Ev>>) => Promise<void>
  /** Events per batch; default 500. */
  readonly batchSize?: number
}

/** A running subscription: its progress, a way to wait for a position, and a way to stop it. */
export interface Subscription {
  /** The global position of the last event handled. */
  readonly position: () => number
  /** Resolves once every event up to `position` has been handled; rejects if the subscription ended first. */
  readonly reached: (position: number) => Promise<void>
  /** Stops after the batch in hand; resolves when stopped. */
  readonly stop: () => Promise<void>
  /** Settles when the subscription ends: resolves on `stop`, rejects with the error that ended it. */
  readonly ended: Promise<void>
}

// errors

export interface WrongExpectedVersion extends DomainError<'WrongExpectedVersion'> {
  readonly streamId: string
  readonly expected: ExpectedVersion
  /** The stream's version when the append was refused. */
  readonly actual: number
}

/** The key was first used for another request: nothing was written. */
export interface IdempotencyKeyReused extends DomainError<'IdempotencyKeyReused'> {
  readonly idempotencyKey: string
  readonly streamId: string
  readonly firstStreamId: string
  /**
   * What differs from the first request: its stream, its expected version, its number of events,
   * or the events themselves (type, schema version, data, and event id when the caller gave one).
   */
  readonly differs: IdempotencyMismatch
}

/** Which part of the request differed when an idempotency key was reused. */
export type IdempotencyMismatch = 'stream' | 'expected-version' | 'event-count' | 'events'

/** The append itself is malformed: no events, a bad stream id or expected version. */
export interface InvalidAppend extends DomainError<'InvalidAppend'> {
  readonly streamId: string
}

/** The store could not do the work (connection lost, disk full). Retrying may help. */
export interface StoreUnavailable extends DomainError<'StoreUnavailable'> {
  readonly cause: unknown
}

/** Every way an append can fail; on any of them nothing was written. */
export type AppendError = WrongExpectedVersion | IdempotencyKeyReused | InvalidAppend | InvalidEvent | StoreUnavailable
/**
 * Every way a read can fail: stored data that no longer decodes, a store that cannot be reached, or a malformed
 * request.
 */
export type ReadError = EventDecodeFailed | StoreUnavailable | InvalidAppend

/** A store of events for one catalog of event types. Stores share storage; each decodes with its own catalog. */
export interface EventStore<Ev extends DomainEvent> {
  /**
   * Appends events to one stream as one atomic write, checked against `expectedVersion`.
   *
   * @example
   * const written = await store.append(streamId, [newEvent(filed, metadata)], { expectedVersion: 'no-stream' })()
   */
  readonly append: (
    streamId: string,
    events: ReadonlyArray<NewEvent<Ev>>,
    options?: AppendOptions,
  ) => TaskEither<AppendError, AppendResult>
  /** Reads one stream's events in version order; a stream with no events gives an empty slice at version 0. */
  readonly readStream: (streamId: string, options?: ReadStreamOptions) => TaskEither<ReadError, StreamSlice<Ev>>
  /** Reads a page of every stream's events in global order: what projections and exports replay. */
  readonly readAll: (options: ReadAllOptions) => TaskEither<ReadError, GlobalPage<Ev>>
  /**
   * The events appended with `contractId`, in log order, after a global position: what `readAll`
   * gives filtered to that contract, without reading other contracts' events. A contract with no
   * events gives an empty page.
   */
  readonly readContract: (contractId: string, options: ReadContractOptions) => TaskEither<ReadError, GlobalPage<Ev>>
  /** Starts a live feed from a checkpoint; it catches up on stored events first, then follows new appends. */
  readonly subscribe: (options: SubscribeOptions<Ev>) => Subscription
}

/**
 * The store of each event catalog over one storage (one database): what a contract ledger is built on.
 * `inMemoryStores()` gives one in memory; `postgresStores(storage)` from `@support-ledger/postgres` one on
 * PostgreSQL or PGlite.
 */
export type StoreFor = <Ev extends DomainEvent>(catalog: EventCatalog<Ev>) => EventStore<Ev>

// operations

/** Checks an expected version against the stream's current version; shared by every store. */
export const checkExpectedVersion = (
  streamId: string,
  expected: ExpectedVersion,
  actual: number,
): WrongExpectedVersion | undefined => {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && actual === 0) ||
    (expected === 'exists' && actual > 0) ||
    expected === actual
  return ok
    ? undefined
    : {
        _tag: 'WrongExpectedVersion',
        message: `stream ${streamId}: expected version ${String(expected)}, actual ${actual}`,
        streamId,
        expected,
        actual,
      }
}

/** Validates the parts of an append every store checks before touching storage. */
export const validateAppend = (
  streamId: string,
  count: number,
  options: AppendOptions,
): InvalidAppend | undefined => {
  const bad = (why: string): InvalidAppend => ({ _tag: 'InvalidAppend', message: `stream ${JSON.stringify(streamId)}: ${why}`, streamId })
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 512) return bad('stream id must be 1 to 512 characters')
  if (count === 0) return bad('nothing to append')
  const ev = options.expectedVersion ?? 'any'
  if (typeof ev === 'number' && !(Number.isSafeInteger(ev) && ev >= 0)) return bad(`expected version ${ev} is not a whole number >= 0`)
  if (typeof ev === 'string' && ev !== 'any' && ev !== 'no-stream' && ev !== 'exists') return bad(`unknown expected version ${JSON.stringify(ev)}`)
  if (options.contractId !== undefined && (typeof options.contractId !== 'string' || options.contractId.length === 0 || options.contractId.length > 256)) {
    return bad('contract id must be 1 to 256 characters')
  }
  if (options.idempotencyKey !== undefined && (typeof options.idempotencyKey !== 'string' || options.idempotencyKey.length === 0 || options.idempotencyKey.length > 256)) {
    return bad('idempotency key must be 1 to 256 characters')
  }
  return undefined
}

/**
 * Wraps an exception from the storage (connection lost, disk full) as the `StoreUnavailable` error, keeping the cause.
 */
export const storeUnavailable = (cause: unknown): StoreUnavailable => ({
  _tag: 'StoreUnavailable',
  message: `store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
  cause,
})
