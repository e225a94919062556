/** Command handling: load a stream (from its snapshot when there is one), fold it, decide, append at the version read; retry on a conflict. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Decider } from './decider.js'
import { fold } from './decider.js'
import type { AppendError, AppendResult, EventStore, ReadError } from './event-store.js'
import type { DomainEvent, EventMetadata } from './recorded-event.js'
import { DEFAULT_SNAPSHOT_EVERY, loadState, type LoadedState, type Snapshotting } from './snapshot-store.js'

// model

/** How a command handler retries when another writer appended to the stream between its read and its write. */
export interface CommandHandlerOptions {
  /** How many times to reload and decide again after a version conflict; default 3. */
  readonly maxRetries?: number
}

/**
 * Per-command options: an idempotency key, so a retried request writes nothing twice, and the contract the stream
 * belongs to.
 */
export interface HandleOptions {
  readonly idempotencyKey?: string
  /** The contract the stream belongs to, stored with the events (`AppendOptions.contractId`). */
  readonly contractId?: string
}

/** The outcome of a handled command: the new state and the events that produced it. */
export interface HandledCommand<S, Ev> {
  /** The state after the new events. */
  readonly state: S
  /** The events the command produced; empty when it changed nothing. */
  readonly events: ReadonlyArray<Ev>
  /** The stream's version after the command. */
  readonly version: number
  /** Absent when nothing was appended. */
  readonly appended?: AppendResult
}

/**
 * Handles a command against one stream: reads it, folds the state, decides, and appends the decision with an expected
 * version, retrying after a conflict. An expected refusal is the decider's `Err`; a storage failure is an
 * `AppendError` or `ReadError`.
 *
 * @example
 * const handle = commandHandler(store, ticketDecider)
 * const result = await handle(ticketStreamId(contractId, ticketId), command, metadata)()
 */
export type CommandHandler<C, S, Ev, Err> = (
  streamId: string,
  command: C,
  metadata: EventMetadata,
  options?: HandleOptions,
) => TaskEither<Err | AppendError | ReadError, HandledCommand<S, Ev>>

// constructors

/**
 * A handler for one decider over one store. The append expects the version that was read,
 * so a concurrent writer makes it fail with `WrongExpectedVersion`; the handler then decides
 * again on the newer state, at most `maxRetries` times, and returns the conflict after that.
 * With `snapshotting`, the stream is loaded from its latest snapshot and only the events after it
 * are read and folded, and a new snapshot is saved once `policy.every` events were folded after
 * the last: a command costs the same however long its stream. Saving is best-effort: a failed
 * save costs a longer fold next time, never the command.
 */
export const commandHandler = <C, S, Ev extends DomainEvent, Err>(
  store: EventStore<Ev>,
  decider: Decider<C, S, Ev, Err>,
  options: CommandHandlerOptions = {},
  snapshotting?: Snapshotting<S>,
): CommandHandler<C, S, Ev, Err> => {
  const maxRetries = options.maxRetries ?? 3
  const every = Math.max(1, snapshotting?.policy.every ?? DEFAULT_SNAPSHOT_EVERY)
  const load = (streamId: string): TaskEither<ReadError, LoadedState<S>> =>
    snapshotting === undefined
      ? async () => {
          const slice = await store.readStream(streamId)()
          return E.isLeft(slice) ? slice : E.right({ state: fold(decider, slice.right.events), version: slice.right.version, snapshotVersion: 0 })
        }
      : loadState(store, decider, snapshotting.store, snapshotting.policy)(streamId)
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
          // A replayed append landed elsewhere than `version + 1`: `after` is not that version's state.
          if (snapshotting !== undefined && !appended.right.replayed && appended.right.toVersion - snapshotVersion >= every && appended.right.fromVersion === version + 1) {
            await snapshotting.store.save(streamId, snapshotting.policy, { state: after, streamVersion: appended.right.toVersion })()
          }
          return E.right({ state: after, events, version: appended.right.toVersion, appended: appended.right })
        }
        if (appended.left._tag !== 'WrongExpectedVersion' || attempt >= maxRetries) return appended
      }
    }
}
