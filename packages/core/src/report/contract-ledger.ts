/** The application over a contract's whole record: every aggregate's commands with the terms in force, and the compliance report. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { amendContractWithinBudget } from '../budget/amendment-within-budget.js'
import type { BudgetCommand } from '../budget/budget-commands.js'
import { budgetDecider, type BudgetState } from '../budget/budget-decider.js'
import type { BudgetError, CommitmentsExceedAmendedCap } from '../budget/budget-errors.js'
import { budgetEvents, budgetStreamId, type BudgetEvent } from '../budget/budget-events.js'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import type { AmendContract } from '../contract/contract-commands.js'
import type { ContractError, ContractNotRegistered } from '../contract/contract-errors.js'
import { contractEvents } from '../contract/contract-events.js'
import { termsInForceHandler, type TermsInForceHandler, type WithoutTerms } from '../contract/terms-in-force-handler.js'
import type { DeliveryCommand, RecordDelivery } from '../delivery/delivery-commands.js'
import { deliveryDecider, type DeliveryState } from '../delivery/delivery-decider.js'
import type { DeliveryError } from '../delivery/delivery-errors.js'
import { deliveryEvents, deliveryStreamId, type DeliveryEvent } from '../delivery/delivery-events.js'
import type { DemandOnSite, IncidentCommand } from '../incident/incident-commands.js'
import { incidentDecider, type IncidentState } from '../incident/incident-decider.js'
import type { IncidentError } from '../incident/incident-errors.js'
import { incidentEvents, incidentStreamId, type IncidentEvent } from '../incident/incident-events.js'
import { commandHandler, type CommandHandlerOptions, type HandledCommand, type HandleOptions } from '../kernel/command-handler.js'
import type { EventCatalog } from '../kernel/event-catalog.js'
import type { AppendError, AppendResult, EventStore, ReadError } from '../kernel/event-store.js'
import type { DomainEvent, EventMetadata, RecordedEvent } from '../kernel/recorded-event.js'
import type { OperationsCommand } from '../operations/operations-commands.js'
import { operationsDecider, type OperationsState } from '../operations/operations-decider.js'
import type { OperationsError } from '../operations/operations-errors.js'
import { operationsEvents, operationsStreamId, type OperationsEvent } from '../operations/operations-events.js'
import { ticketEvents } from '../ticket/ticket-events.js'
import { ticketService, type TicketService } from '../ticket/ticket-service.js'
import { acceptedChangesFromLog, complianceReportFromLog, type ComplianceReport, type ComplianceReportInput, type ReportInputInvalid } from './compliance-report.js'
import { ledgerEvents, type LedgerEvent } from './ledger-events.js'

// model

export interface ContractLedgerDeps {
  /** The store for one catalog; every catalog's store over the same storage or database. */
  readonly storeFor: <Ev extends DomainEvent>(catalog: EventCatalog<Ev>) => EventStore<Ev>
  readonly calendars: CalendarRegistry
  readonly options?: CommandHandlerOptions
}

/** An incident command as the outside world gives it: an on-site demand takes its arrival rule from the SLA policy in force, never from the caller. */
export type IncidentRequest = WithoutTerms<Exclude<IncidentCommand, DemandOnSite>> | WithoutTerms<Omit<DemandOnSite, 'arrivalRule'>>

/** A delivery as the outside world gives it; without `acceptedChanges`, the ledger works them out from the record. */
export type DeliveryRequest =
  | WithoutTerms<Exclude<DeliveryCommand, RecordDelivery>>
  | (WithoutTerms<Omit<RecordDelivery, 'acceptedChanges'>> & { readonly acceptedChanges?: RecordDelivery['acceptedChanges'] })

export interface ContractLedger {
  /** Contracts and tickets, as `ticketService` handles them. */
  readonly tickets: TicketService
  /** An amendment, refused when its cap would fall below what the budget has committed. */
  readonly amendContract: (
    command: AmendContract,
    metadata?: EventMetadata,
  ) => TaskEither<ReadError | AppendError | ContractError | CommitmentsExceedAmendedCap, AppendResult | undefined>
  readonly incident: (
    request: IncidentRequest,
    options?: HandleOptions,
  ) => TaskEither<IncidentError | ContractNotRegistered | AppendError | ReadError, HandledCommand<IncidentState, IncidentEvent>>
  readonly budget: TermsInForceHandler<BudgetCommand, BudgetState, BudgetEvent, BudgetError>
  readonly delivery: (
    request: DeliveryRequest,
    options?: HandleOptions,
  ) => TaskEither<DeliveryError | ContractNotRegistered | AppendError | ReadError, HandledCommand<DeliveryState, DeliveryEvent>>
  readonly operations: TermsInForceHandler<OperationsCommand, OperationsState, OperationsEvent, OperationsError>
  /** Every recorded event of every contract, in log order. */
  readonly events: () => TaskEither<ReadError, ReadonlyArray<RecordedEvent<LedgerEvent>>>
  readonly report: (input: Omit<ComplianceReportInput, 'events' | 'calendars'>) => TaskEither<ReadError | ReportInputInvalid, ComplianceReport>
}

// constructors

export const contractLedger = (deps: ContractLedgerDeps): ContractLedger => {
  const contracts = deps.storeFor(contractEvents)
  const budgets = deps.storeFor(budgetEvents)
  const ledger = deps.storeFor(ledgerEvents)
  const handler = <C, S, Ev extends DomainEvent, Err>(catalog: EventCatalog<Ev>, decider: Parameters<typeof commandHandler<C, S, Ev, Err>>[1]) =>
    commandHandler(deps.storeFor(catalog), decider, deps.options)

  const events: ContractLedger['events'] = () => async () => {
    const out: Array<RecordedEvent<LedgerEvent>> = []
    for (let after = 0; ; ) {
      const page = await ledger.readAll({ after, limit: 5_000 })()
      if (E.isLeft(page)) return page
      if (page.right.events.length === 0) return E.right(out)
      out.push(...page.right.events)
      after = page.right.next
    }
  }

  // An on-site demand takes the arrival rule of the SLA policy in force, whatever the request says.
  const incident = termsInForceHandler(contracts, handler(incidentEvents, incidentDecider), (c) => incidentStreamId(c.terms.contractId, c.incidentId), (c, inForce) =>
    c.type === 'DemandOnSite' ? { ...c, arrivalRule: inForce.slaPolicy.onSiteArrival.default } : c,
  )
  const recordDelivery = termsInForceHandler(contracts, handler(deliveryEvents, deliveryDecider), (c) => deliveryStreamId(c.terms.contractId))
  const delivery: ContractLedger['delivery'] = (request, options) => async () => {
    if (request.type !== 'RecordDelivery' || request.acceptedChanges !== undefined) return recordDelivery(request as WithoutTerms<DeliveryCommand>, options)()
    const acceptedChanges = await acceptedChangesFromLog(ledger.readContract, request.contractId, request.at)()
    if (E.isLeft(acceptedChanges)) return acceptedChanges
    return recordDelivery({ ...request, acceptedChanges: acceptedChanges.right }, options)()
  }

  return {
    tickets: ticketService({ contracts, budgets, tickets: deps.storeFor(ticketEvents), calendars: deps.calendars, ...(deps.options === undefined ? {} : { options: deps.options }) }),
    amendContract: (command, metadata) => amendContractWithinBudget({ contracts, budgets })(command, metadata ?? { actor: command.actor, occurredAt: command.at }),
    incident: (request, options) => incident(request as WithoutTerms<IncidentCommand>, options),
    budget: termsInForceHandler(contracts, commandHandler(budgets, budgetDecider, deps.options), (c) => budgetStreamId(c.terms.contractId)),
    delivery,
    operations: termsInForceHandler(contracts, handler(operationsEvents, operationsDecider), (c) => operationsStreamId(c.terms.contractId)),
    events,
    // Folded page by page from the contract's own events: neither the whole log nor other contracts' are read.
    report: (input) => complianceReportFromLog(ledger.readContract, { ...input, calendars: deps.calendars }),
  }
}
