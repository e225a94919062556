/** Snapshots: a decider's folded state saved per stream, keyed by a schema version so that a change in `evolve` discards them. */
import {
  fold,
  storeUnavailable,
  type AppendError,
  type CommandHandler,
  type CommandHandlerOptions,
  type Decider,
  type DomainEvent,
  type EventStore,
  type ReadError,
  type StoreUnavailable,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type * as t from 'io-ts'
import { sql } from 'kysely'
import type { PostgresStorage } from './postgres-event-store.js'

// model

/** How one decider's state is snapshotted. Snapshots are optional: a decider without a policy folds its whole stream. */
export interface SnapshotPolicy<S> {
  /** Names the kind of state, e.g. `ticket`; one per decider. */
  readonly name: string
  /**
   * Change it whenever `evolve` or the state's shape changes (e.g. `ticket-3`): snapshots saved
   * under another version are ignored and replaced, so a new fold never starts from an old one.
   */
  readonly version: string
  /** Encodes the state to JSON and checks it on the way back. */
  readonly codec: t.Type<S, unknown, unknown>
  /** Save a new snapshot once this many events were folded after the last one; default 50. */
  readonly every?: number
}

/** A state folded up to a stream version. */
export interface Snapshot<S> {
  readonly state: S
  readonly streamVersion: number
}

/** Where snapshots are kept. */
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

// constructors

/**
 * A snapshot store in the storage's schema: a stream's state kept at a version, so a long stream is loaded from there
 * rather than from its first event.
 */
export const postgresSnapshotStore = (storage: PostgresStorage): SnapshotStore => {
  const q = sql.raw(storage.names.q)
  const { db } = storage.database
  return {
    load: (streamId, policy) => async () => {
      try {
        const r = await sql<{ stream_version: string | number; state: unknown }>`
          SELECT stream_version, state FROM ${q}.snapshots
          WHERE stream_id = ${streamId} AND snapshot_name = ${policy.name} AND schema_version = ${policy.version}`.execute(db)
        const row = r.rows[0]
        if (row === undefined) return E.right(undefined)
        const decoded = policy.codec.decode(row.state)
        // A snapshot that no longer decodes is only a lost shortcut: fold from the start.
        return E.right(E.isRight(decoded) ? { state: decoded.right, streamVersion: Number(row.stream_version) } : undefined)
      } catch (e) {
        return E.left(storeUnavailable(e))
      }
    },
    save: (streamId, policy, snapshot) => async () => {
      try {
        await sql`
          INSERT INTO ${q}.snapshots (stream_id, snapshot_name, schema_version, stream_version, state)
          VALUES (${streamId}, ${policy.name}, ${policy.version}, ${snapshot.streamVersion}, ${JSON.stringify(policy.codec.encode(snapshot.state))}::jsonb)
          ON CONFLICT (stream_id, snapshot_name) DO UPDATE
          SET schema_version = excluded.schema_version, stream_version = excluded.stream_version, state = excluded.state,
            created_at = statement_timestamp()
          WHERE ${q}.snapshots.schema_version <> excluded.schema_version OR ${q}.snapshots.stream_version < excluded.stream_version`.execute(db)
        return E.right(undefined)
      } catch (e) {
        return E.left(storeUnavailable(e))
      }
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

/**
 * The core command handler's behaviour (load, decide, append at the version read, retry on a
 * conflict), loading through snapshots and saving a new one every `policy.every` events.
 * Saving is best-effort: a failed save costs a longer fold next time, never the command.
 */
export const snapshottingCommandHandler = <C, S, Ev extends DomainEvent, Err>(
  store: EventStore<Ev>,
  decider: Decider<C, S, Ev, Err>,
  snapshots: SnapshotStore,
  policy: SnapshotPolicy<S>,
  options: CommandHandlerOptions = {},
): CommandHandler<C, S, Ev, Err> => {
  const maxRetries = options.maxRetries ?? 3
  const every = Math.max(1, policy.every ?? 50)
  const load = loadState(store, decider, snapshots, policy)
  return (streamId, command, metadata, handleOptions = {}) =>
    async () => {
      for (let attempt = 0; ; attempt++) {
        const loaded = await load(streamId)()
        if (E.isLeft(loaded)) return loaded
        const { state, version, snapshotVersion } = loaded.right
        const decided = decider.decide(command, state)
        if (E.isLeft(decided)) return decided
        const events = decided.right
        if (events.length === 0) return E.right({ state, events, version })
        const appended = await store.append(
          streamId,
          events.map((event) => ({ event, metadata })),
          {
            expectedVersion: version === 0 ? 'no-stream' : version,
            ...(handleOptions.idempotencyKey === undefined ? {} : { idempotencyKey: handleOptions.idempotencyKey }),
            ...(handleOptions.contractId === undefined ? {} : { contractId: handleOptions.contractId }),
          },
        )()
        if (E.isRight(appended)) {
          const after = fold(decider, events, state)
          if (appended.right.toVersion - snapshotVersion >= every && appended.right.fromVersion === version + 1) {
            await snapshots.save(streamId, policy, { state: after, streamVersion: appended.right.toVersion })()
          }
          return E.right({ state: after, events, version: appended.right.toVersion, appended: appended.right })
        }
        if (appended.left._tag !== 'WrongExpectedVersion' || attempt >= maxRetries) return E.left<Err | AppendError | ReadError>(appended.left)
      }
    }
}
