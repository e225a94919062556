/** Command handling: load a stream, fold it, decide, append at the version read; retry on a conflict. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Decider } from './decider.js'
import { fold } from './decider.js'
import type { AppendError, AppendResult, EventStore, ReadError } from './event-store.js'
import type { DomainEvent, EventMetadata } from './recorded-event.js'

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
 */
export const commandHandler = <C, S, Ev extends DomainEvent, Err>(
  store: EventStore<Ev>,
  decider: Decider<C, S, Ev, Err>,
  options: CommandHandlerOptions = {},
): CommandHandler<C, S, Ev, Err> => {
  const maxRetries = options.maxRetries ?? 3
  return (streamId, command, metadata, handleOptions = {}) =>
    async () => {
      for (let attempt = 0; ; attempt++) {
        const slice = await store.readStream(streamId)()
        if (E.isLeft(slice)) return slice
        const state = fold(decider, slice.right.events)
        const decided = decider.decide(command, state)
        if (E.isLeft(decided)) return decided
        const events = decided.right
        if (events.length === 0) return E.right({ state, events, version: slice.right.version })
        const appended = await store.append(
          streamId,
          events.map((event) => ({ event, metadata })),
          {
            expectedVersion: slice.right.version === 0 ? 'no-stream' : slice.right.version,
            ...(handleOptions.idempotencyKey === undefined ? {} : { idempotencyKey: handleOptions.idempotencyKey }),
            ...(handleOptions.contractId === undefined ? {} : { contractId: handleOptions.contractId }),
          },
        )()
        if (E.isRight(appended)) {
          return E.right({ state: fold(decider, events, state), events, version: appended.right.toVersion, appended: appended.right })
        }
        if (appended.left._tag !== 'WrongExpectedVersion' || attempt >= maxRetries) return appended
      }
    }
}
