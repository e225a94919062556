/** The ledger's ticket entrance: load the contract, take its terms at the command's time, handle the ticket command. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import * as t from 'io-ts'
import { judgeDeclaredTimes, metadataOf, recordingPolicyAt, type Clock } from '../contract/contract-entrance.js'
import { contractDecider, termsInForceAt } from '../contract/contract-decider.js'
import type { ContractNotRegistered } from '../contract/contract-errors.js'
import { contractStreamId, type ContractEvent } from '../contract/contract-events.js'
import { ContractId } from '../contract/contract-terms.js'
import type { DeclaredTimeError } from '../contract/recording-policy.js'
import { commandHandler, type CommandHandlerOptions, type HandledCommand, type HandleOptions } from '../kernel/command-handler.js'
import { fold } from '../kernel/decider.js'
import { commandDecoder, type InvalidInput } from '../kernel/input-codec.js'
import type { Instant } from '../kernel/instant.js'
import { TimeSource } from '../kernel/recorded-event.js'
import type { AppendError, EventStore, ReadError } from '../kernel/event-store.js'
import type { ObligationState } from '../sla/obligation.js'
import { obligationsOfTicket, type CalendarNotFound } from '../sla/ticket-obligations.js'
import { TicketCommand } from '../ticket/ticket-commands.js'
import { ticketDeciderOn, type TicketState } from '../ticket/ticket-decider.js'
import type { TicketError } from '../ticket/ticket-errors.js'
import { ticketStreamId, type TicketEvent } from '../ticket/ticket-events.js'

// model

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A ticket command as the outside world gives it: the contract named, its terms and policy left to the service. */
export type TicketRequest = DistributiveOmit<TicketCommand, 'terms' | 'slaPolicy'> & { readonly contractId: ContractId; readonly timeSource?: TimeSource }

/** Decodes a ticket request with its command's codec: the command less its terms and policy, plus the contract named. */
export const decodeTicketRequest = commandDecoder<TicketRequest>(TicketCommand, 'TicketCommand', {
  omit: ['terms', 'slaPolicy'],
  add: { contractId: ContractId, timeSource: t.union([t.undefined, TimeSource]) },
})

/**
 * A filing that came by Redmine or e-mail carries its own source: the issue or the message it
 * names. A phone call has none; one entered late needs a `timeSource` (a document).
 */
const sourceOf = (request: TicketRequest): TimeSource | undefined =>
  request.timeSource ??
  (request.type === 'FileRequest' && request.channel !== 'phone' && request.externalRef !== undefined && request.externalRef.trim().length > 0
    ? { kind: request.channel, reference: request.externalRef.slice(0, 512) }
    : undefined)

/** Why the service refuses a ticket request: the Ticket's own reasons, the entrance's, or the store's. */
export type TicketServiceError = TicketError | ContractNotRegistered | InvalidInput | DeclaredTimeError | AppendError | ReadError

/** The stores and calendars a ticket service reads and writes. Every store may share one storage. */
export interface TicketServiceDeps {
  readonly contracts: EventStore<ContractEvent>
  readonly tickets: EventStore<TicketEvent>
  readonly calendars: CalendarRegistry
  readonly options?: CommandHandlerOptions
  /** When each command is recorded. Without it the declared times stand unjudged; a ledger in use passes one. */
  readonly clock?: Clock
}

/**
 * Handles contract and ticket commands with the contract's terms in force loaded for each command, and answers where a
 * ticket's clocks stand.
 */
export interface TicketService {
  /** Loads the contract, adds the terms (and for a filing, the SLA policy) in force, and handles the ticket command. */
  readonly handle: (
    request: TicketRequest,
    options?: HandleOptions,
  ) => TaskEither<TicketServiceError, HandledCommand<TicketState, TicketEvent>>
  /** Every clock of a contract's ticket at an instant, with the events that prove each state. */
  readonly obligationsAt: (contractId: ContractId, ticketId: string, at: Instant) => TaskEither<ReadError | CalendarNotFound, ReadonlyArray<ObligationState>>
}

// constructors

/**
 * Builds a ticket service over its stores.
 *
 * @example
 * const service = ticketService({ contracts, budgets, tickets, calendars }) // calendars: from createCalendarRegistry
 * const result = await service.handle(request)()
 */
export const ticketService = (deps: TicketServiceDeps): TicketService => {
  const tickets = commandHandler(deps.tickets, ticketDeciderOn(deps.calendars), deps.options)

  const handle: TicketService['handle'] = (input, options) => async () => {
    const decoded = decodeTicketRequest(input)
    if (E.isLeft(decoded)) return decoded
    const request = decoded.right
    const recordedAt = deps.clock?.()
    const slice = await deps.contracts.readStream(contractStreamId(request.contractId))()
    if (E.isLeft(slice)) return slice
    const contract = fold(contractDecider, slice.right.events)
    // A filing counts from receipt, so it takes the terms and policy in force when the request arrived.
    const when = request.type === 'FileRequest' ? request.receivedAt : request.at
    const inForce = termsInForceAt(contract, when)
    if (inForce === undefined) {
      const missing: ContractNotRegistered = {
        _tag: 'ContractNotRegistered',
        message: `contract ${request.contractId} is not registered`,
        contractId: request.contractId,
      }
      return E.left(missing)
    }
    // A filing declares when the request arrived as well as when it was filed: both are judged, receipt first.
    const declared: ReadonlyArray<readonly [string, Instant]> = request.type === 'FileRequest' ? [['receivedAt', request.receivedAt], ['at', request.at]] : [['at', request.at]]
    const judged = judgeDeclaredTimes(declared, recordedAt, recordingPolicyAt(contract, recordedAt ?? request.at), sourceOf(request))
    if (E.isLeft(judged)) return judged
    const { contractId: _contractId, timeSource: _timeSource, ...rest } = request
    const command = (
      rest.type === 'FileRequest' ? { ...rest, terms: inForce.terms, slaPolicy: inForce.slaPolicy } : { ...rest, terms: inForce.terms }
    ) as TicketCommand
    return tickets(ticketStreamId(request.contractId, request.ticketId), command, metadataOf({ actor: request.actor, at: request.at }, judged.right), { ...options, contractId: request.contractId })()
  }

  const obligationsAt: TicketService['obligationsAt'] = (contractId, ticketId, at) => async () => {
    const slice = await deps.tickets.readStream(ticketStreamId(contractId, ticketId))()
    if (E.isLeft(slice)) return slice
    return obligationsOfTicket(slice.right.events, at, deps.calendars)
  }

  return { handle, obligationsAt }
}
