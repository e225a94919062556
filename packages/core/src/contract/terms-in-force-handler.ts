/** Handles a command of any contract aggregate with the contract's terms in force at the command's time, loaded from the Contract stream. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { CommandHandler, HandledCommand, HandleOptions } from '../kernel/command-handler.js'
import { fold } from '../kernel/decider.js'
import type { AppendError, EventStore, ReadError } from '../kernel/event-store.js'
import type { InvalidInput } from '../kernel/input-codec.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor, TimeSource } from '../kernel/recorded-event.js'
import { judgeDeclaredTimes, metadataOf, recordingPolicyAt, type Clock } from './contract-entrance.js'
import { contractDecider, termsInForceAt, type ContractState, type TermsInForce } from './contract-decider.js'
import type { ContractNotRegistered } from './contract-errors.js'
import { contractStreamId, type ContractEvent } from './contract-events.js'
import type { ContractId, ContractTerms } from './contract-terms.js'
import type { DeclaredTimeError } from './recording-policy.js'

// model

/** A command as the outside world gives it: the contract named, its terms left to the handler, and the source of a time declared well in the past. */
export type WithoutTerms<C> = C extends unknown ? Omit<C, 'terms'> & { readonly contractId: ContractId; readonly timeSource?: TimeSource } : never

/**
 * Handles a command given without terms: loads the contract, adds the terms in force at the command's time, checks its
 * declared times, and hands it to the aggregate's handler.
 */
export type TermsInForceHandler<C, S, Ev, Err> = (
  request: WithoutTerms<C>,
  options?: HandleOptions,
) => TaskEither<Err | ContractNotRegistered | InvalidInput | DeclaredTimeError | AppendError | ReadError, HandledCommand<S, Ev>>

/** What the entrance needs besides the stores: the request's codec, and the ledger's clock (without one, declared times stand unjudged). */
export interface Entrance<C> {
  /** Decodes the raw request before anything is loaded; without it the request is taken as already typed. */
  readonly decode?: (request: unknown) => E.Either<InvalidInput, WithoutTerms<C>>
  readonly clock?: Clock
}

// constructors

/**
 * Wraps a command handler: decodes the request, reads the contract, takes `termsAt(contract,
 * request.at)`, judges the declared time against the clock, adds the terms to the command and
 * handles it on the stream `streamOf(command)`, with the command's actor and time as the event
 * metadata. Amendments therefore apply from their effective instant, never backwards.
 * `complete` may fill in what else the command takes from the contract (e.g. an SLA rule, the caps
 * of amendments recorded to take effect later).
 */
export const termsInForceHandler =
  <C extends { readonly terms: ContractTerms; readonly at: Instant; readonly actor: Actor }, S, Ev, Err>(
    contracts: EventStore<ContractEvent>,
    handler: CommandHandler<C, S, Ev, Err>,
    streamOf: (command: C) => string,
    complete: (command: C, inForce: TermsInForce, contract: ContractState) => C = (command) => command,
    entrance: Entrance<C> = {},
  ): TermsInForceHandler<C, S, Ev, Err> =>
  (input, options) =>
  async () => {
    const decoded = entrance.decode === undefined ? E.right(input) : entrance.decode(input)
    if (E.isLeft(decoded)) return decoded
    const request = decoded.right
    const recordedAt = entrance.clock?.()
    const slice = await contracts.readStream(contractStreamId(request.contractId))()
    if (E.isLeft(slice)) return slice
    const state = fold(contractDecider, slice.right.events)
    const inForce = termsInForceAt(state, request.at)
    if (inForce === undefined) {
      const missing: ContractNotRegistered = { _tag: 'ContractNotRegistered', message: `contract ${request.contractId} is not registered`, contractId: request.contractId }
      return E.left(missing)
    }
    const { contractId: _contractId, timeSource, ...rest } = request as WithoutTerms<C> & { readonly contractId: ContractId; readonly timeSource?: TimeSource }
    const judged = judgeDeclaredTimes([['at', request.at]], recordedAt, recordingPolicyAt(state, recordedAt ?? request.at), timeSource)
    if (E.isLeft(judged)) return judged
    const command = complete({ ...rest, terms: inForce.terms } as unknown as C, inForce, state)
    // The stream is the contract's: its events are stored with the contract id.
    return handler(streamOf(command), command, metadataOf(command, judged.right), { ...options, contractId: request.contractId })()
  }
