/** The application around tickets: load the contract, take its terms at the command's time, handle the ticket command. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import { contractCommandHandler, type ContractCommandHandler } from '../budget/amendment-within-budget.js'
import type { BudgetEvent } from '../budget/budget-events.js'
import { contractDecider, termsInForceAt } from '../contract/contract-decider.js'
import type { ContractNotRegistered } from '../contract/contract-errors.js'
import { contractStreamId, type ContractEvent } from '../contract/contract-events.js'
import type { ContractId } from '../contract/contract-terms.js'
import { commandHandler, type CommandHandlerOptions, type HandledCommand, type HandleOptions } from '../kernel/command-handler.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { AppendError, EventStore, ReadError } from '../kernel/event-store.js'
import type { ObligationState } from '../sla/obligation.js'
import { obligationsOfTicket, type CalendarNotFound } from '../sla/ticket-obligations.js'
import type { TicketCommand } from './ticket-commands.js'
import { ticketDeciderOn, type TicketState } from './ticket-decider.js'
import type { TicketError } from './ticket-errors.js'
import { ticketStreamId, type TicketEvent } from './ticket-events.js'

// model

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A ticket command as the outside world gives it: the contract named, its terms and policy left to the service. */
export type TicketRequest = DistributiveOmit<TicketCommand, 'terms' | 'slaPolicy'> & { readonly contractId: ContractId }

export interface TicketServiceDeps {
  readonly contracts: EventStore<ContractEvent>
  /** Read by every amendment: no amendment is decided without the budget's commitments in view. */
  readonly budgets: EventStore<BudgetEvent>
  readonly tickets: EventStore<TicketEvent>
  readonly calendars: CalendarRegistry
  readonly options?: CommandHandlerOptions
}

export interface TicketService {
  /** Proposes or countersigns the contract's terms or an amendment, always with the budget check. */
  readonly handleContract: ContractCommandHandler
  /** Loads the contract, adds the terms (and for a filing, the SLA policy) in force, and handles the ticket command. */
  readonly handle: (
    request: TicketRequest,
    options?: HandleOptions,
  ) => TaskEither<TicketError | ContractNotRegistered | AppendError | ReadError, HandledCommand<TicketState, TicketEvent>>
  /** Every clock of a contract's ticket at an instant, with the events that prove each state. */
  readonly obligationsAt: (contractId: ContractId, ticketId: string, at: Instant) => TaskEither<ReadError | CalendarNotFound, ReadonlyArray<ObligationState>>
}

// constructors

export const ticketService = (deps: TicketServiceDeps): TicketService => {
  const tickets = commandHandler(deps.tickets, ticketDeciderOn(deps.calendars), deps.options)
  const handleContract = contractCommandHandler({ contracts: deps.contracts, budgets: deps.budgets, ...(deps.options === undefined ? {} : { options: deps.options }) })

  const handle: TicketService['handle'] = (request, options) => async () => {
    const slice = await deps.contracts.readStream(contractStreamId(request.contractId))()
    if (E.isLeft(slice)) return slice
    // A filing counts from receipt, so it takes the terms and policy in force when the request arrived.
    const when = request.type === 'FileRequest' ? request.receivedAt : request.at
    const inForce = termsInForceAt(fold(contractDecider, slice.right.events), when)
    if (inForce === undefined) {
      const missing: ContractNotRegistered = {
        _tag: 'ContractNotRegistered',
        message: `contract ${request.contractId} is not registered`,
        contractId: request.contractId,
      }
      return E.left(missing)
    }
    const { contractId: _contractId, ...rest } = request
    const command = (
      rest.type === 'FileRequest' ? { ...rest, terms: inForce.terms, slaPolicy: inForce.slaPolicy } : { ...rest, terms: inForce.terms }
    ) as TicketCommand
    return tickets(ticketStreamId(request.contractId, request.ticketId), command, { actor: request.actor, occurredAt: request.at }, { ...options, contractId: request.contractId })()
  }

  const obligationsAt: TicketService['obligationsAt'] = (contractId, ticketId, at) => async () => {
    const slice = await deps.tickets.readStream(ticketStreamId(contractId, ticketId))()
    if (E.isLeft(slice)) return slice
    return obligationsOfTicket(slice.right.events, at, deps.calendars)
  }

  return { handleContract, handle, obligationsAt }
}
