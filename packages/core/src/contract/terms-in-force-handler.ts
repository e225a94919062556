/** Handles a command of any contract aggregate with the contract's terms in force at the command's time, loaded from the Contract stream. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { CommandHandler, HandledCommand, HandleOptions } from '../kernel/command-handler.js'
import { fold } from '../kernel/decider.js'
import type { AppendError, EventStore, ReadError } from '../kernel/event-store.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor } from '../kernel/recorded-event.js'
import { contractDecider, termsInForceAt, type TermsInForce } from './contract-decider.js'
import type { ContractNotRegistered } from './contract-errors.js'
import { contractStreamId, type ContractEvent } from './contract-events.js'
import type { ContractId, ContractTerms } from './contract-terms.js'

// model

/** A command as the outside world gives it: the contract named, its terms left to the handler. */
export type WithoutTerms<C> = C extends unknown ? Omit<C, 'terms'> & { readonly contractId: ContractId } : never

export type TermsInForceHandler<C, S, Ev, Err> = (
  request: WithoutTerms<C>,
  options?: HandleOptions,
) => TaskEither<Err | ContractNotRegistered | AppendError | ReadError, HandledCommand<S, Ev>>

// constructors

/**
 * Wraps a command handler: reads the contract, takes `termsAt(contract, request.at)`, adds them to
 * the command and handles it on the stream `streamOf(command)`, with the command's actor and time
 * as the event metadata. Amendments therefore apply from their effective instant, never backwards.
 * `complete` may fill in what else the command takes from the contract (e.g. an SLA rule).
 */
export const termsInForceHandler =
  <C extends { readonly terms: ContractTerms; readonly at: Instant; readonly actor: Actor }, S, Ev, Err>(
    contracts: EventStore<ContractEvent>,
    handler: CommandHandler<C, S, Ev, Err>,
    streamOf: (command: C) => string,
    complete: (command: C, inForce: TermsInForce) => C = (command) => command,
  ): TermsInForceHandler<C, S, Ev, Err> =>
  (request, options) =>
  async () => {
    const slice = await contracts.readStream(contractStreamId(request.contractId))()
    if (E.isLeft(slice)) return slice
    const inForce = termsInForceAt(fold(contractDecider, slice.right.events), request.at)
    if (inForce === undefined) {
      const missing: ContractNotRegistered = { _tag: 'ContractNotRegistered', message: `contract ${request.contractId} is not registered`, contractId: request.contractId }
      return E.left(missing)
    }
    const { contractId: _contractId, ...rest } = request as WithoutTerms<C> & { readonly contractId: ContractId }
    const command = complete({ ...rest, terms: inForce.terms } as unknown as C, inForce)
    // The stream is the contract's: its events are stored with the contract id.
    return handler(streamOf(command), command, { actor: command.actor, occurredAt: command.at }, { ...options, contractId: request.contractId })()
  }
