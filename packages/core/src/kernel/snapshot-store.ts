/** Snapshots: a decider's folded state kept per stream under a schema version, so that a long stream is loaded from there rather than from its first event. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type * as t from 'io-ts'
import { fold, type Decider } from './decider.js'
import type { EventStore, ReadError, StoreUnavailable } from './event-store.js'
import type { DomainEvent } from './recorded-event.js'

// model

/** How one decider's state is snapshotted. Snapshots are optional: a decider without a policy folds its whole stream. */
export interface SnapshotPolicy<S> {
  /** Names the kind of state, e.g. `operations`; one per decider. */
  readonly name: string
  /**
   * Change it whenever `evolve` or the state's shape changes (e.g. `operations-2`): snapshots saved
   * under another version are ignored and replaced, so a new fold never starts from an old one.
   */
  readonly version: string
  /** Encodes the state to JSON and checks it on the way back; a snapshot that does not decode is ignored. */
  readonly codec: t.Type<S, unknown, unknown>
  /** Save a new snapshot once this many events were folded after the last one; default 50. */
  readonly every?: number
}

/** A state folded up to a stream version (or, for a read model, up to a position of the log). */
export interface Snapshot<S> {
  readonly state: S
  readonly streamVersion: number
}

/** Where snapshots are kept: `inMemorySnapshotStore()`, or `postgresSnapshotStore(storage)` from `@support-ledger/postgres`. */
export interface SnapshotStore {
  /** The stream's snapshot under this policy's name and version, if one exists and decodes. */
  readonly load: <S>(streamId: string, policy: SnapshotPolicy<S>) => TaskEither<StoreUnavailable, Snapshot<S> | undefined>
  /** Keeps a snapshot unless a newer one of the same version is already stored. */
  readonly save: <S>(streamId: string, policy: SnapshotPolicy<S>, snapshot: Snapshot<S>) => TaskEither<StoreUnavailable, void>
}

/** A stream's state with where it came from. */
export interface LoadedState<S> {
  readonly state: S
  readonly version: number
  /** The stream version the snapshot it started from was taken at; 0 when it folded from the start. */
  readonly snapshotVersion: number
}

/** What a command handler snapshots with: where snapshots are kept and the decider's policy. */
export interface Snapshotting<S> {
  readonly store: SnapshotStore
  readonly policy: SnapshotPolicy<S>
}

/** How often a snapshot is saved when a policy does not say: every 50 events folded. */
export const DEFAULT_SNAPSHOT_EVERY = 50

// constructors

/**
 * Snapshots in memory, kept encoded (JSON text) as a database would keep them, so the policy's codec is exercised
 * the same way. Only for one process: a fresh one folds from the start once, then from its own snapshots.
 */
export const inMemorySnapshotStore = (): SnapshotStore => {
  const kept = new Map<string, { readonly version: string; readonly streamVersion: number; readonly state: string }>()
  const keyOf = (streamId: string, name: string) => `${name}\u0000${streamId}`
  return {
    load: (streamId, policy) => async () => {
      const row = kept.get(keyOf(streamId, policy.name))
      if (row === undefined || row.version !== policy.version) return E.right(undefined)
      const decoded = policy.codec.decode(JSON.parse(row.state))
      return E.right(E.isRight(decoded) ? { state: decoded.right, streamVersion: row.streamVersion } : undefined)
    },
    save: (streamId, policy, snapshot) => async () => {
      const key = keyOf(streamId, policy.name)
      const row = kept.get(key)
      if (row === undefined || row.version !== policy.version || row.streamVersion < snapshot.streamVersion) {
        kept.set(key, { version: policy.version, streamVersion: snapshot.streamVersion, state: JSON.stringify(policy.codec.encode(snapshot.state)) })
      }
      return E.right(undefined)
    },
  }
}

// operations

/** Loads a stream's state: from its snapshot when there is one, folding only the events after it. */
export const loadState =
  <S, Ev extends DomainEvent>(
    store: EventStore<Ev>,
    decider: Pick<Decider<unknown, S, Ev, unknown>, 'initialState' | 'evolve'>,
    snapshots: SnapshotStore,
    policy: SnapshotPolicy<S>,
  ) =>
  (streamId: string): TaskEither<ReadError, LoadedState<S>> =>
  async () => {
    const snapshot = await snapshots.load(streamId, policy)()
    if (E.isLeft(snapshot)) return snapshot
    const from = snapshot.right
    const slice = await store.readStream(streamId, { fromVersion: (from?.streamVersion ?? 0) + 1 })()
    if (E.isLeft(slice)) return slice
    // A snapshot ahead of its stream (the log was restored from an older backup) is not trusted.
    if (from !== undefined && from.streamVersion > slice.right.version) {
      const whole = await store.readStream(streamId)()
      if (E.isLeft(whole)) return whole
      return E.right({ state: fold(decider, whole.right.events), version: whole.right.version, snapshotVersion: 0 })
    }
    return E.right({
      state: fold(decider, slice.right.events, from?.state ?? decider.initialState),
      version: slice.right.version,
      snapshotVersion: from?.streamVersion ?? 0,
    })
  }
