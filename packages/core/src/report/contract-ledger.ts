/** The application over a contract's whole record: every aggregate's commands with the terms in force, and the compliance report. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { amendContractWithinBudget } from '../budget/amendment-within-budget.js'
import { BudgetCommand } from '../budget/budget-commands.js'
import { budgetDecider, type BudgetState } from '../budget/budget-decider.js'
import type { BudgetError, CommitmentsExceedAmendedCap } from '../budget/budget-errors.js'
import { budgetEvents, budgetStreamId, type BudgetEvent } from '../budget/budget-events.js'
import { laterCapsOf, requireApprovedChangeFor, type CustomizationNotApproved } from '../budget/modernization-within-budget.js'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import type { AmendContract } from '../contract/contract-commands.js'
import { admitContractCommand, decodeContractCommand, type Clock, type RequestExtras, type ContractEntranceError } from '../contract/contract-entrance.js'
import { contractDecider } from '../contract/contract-decider.js'
import type { ContractError, ContractNotRegistered } from '../contract/contract-errors.js'
import { contractEvents, contractStreamId } from '../contract/contract-events.js'
import { ContractId } from '../contract/contract-terms.js'
import type { DeclaredTimeError } from '../contract/recording-policy.js'
import { termsInForceHandler, type TermsInForceHandler, type WithoutTerms } from '../contract/terms-in-force-handler.js'
import { DeliveryCommand, type RecordDelivery } from '../delivery/delivery-commands.js'
import { deliveryDecider, type DeliveryState } from '../delivery/delivery-decider.js'
import type { DeliveryError } from '../delivery/delivery-errors.js'
import { deliveryEvents, deliveryStreamId, type DeliveryEvent } from '../delivery/delivery-events.js'
import { IncidentCommand, type DemandOnSite } from '../incident/incident-commands.js'
import { incidentDecider, type IncidentState } from '../incident/incident-decider.js'
import type { IncidentError } from '../incident/incident-errors.js'
import { incidentEvents, incidentStreamId, type IncidentEvent } from '../incident/incident-events.js'
import { commandHandler, type CommandHandlerOptions, type HandledCommand, type HandleOptions } from '../kernel/command-handler.js'
import { fold } from '../kernel/decider.js'
import type { EventCatalog } from '../kernel/event-catalog.js'
import type { AppendError, AppendResult, EventStore, ReadError } from '../kernel/event-store.js'
import { BoundedInstant, commandDecoder, decodeInput, type InvalidInput } from '../kernel/input-codec.js'
import { TimeSource, type DomainEvent, type EventMetadata, type RecordedEvent } from '../kernel/recorded-event.js'
import { OperationsCommand } from '../operations/operations-commands.js'
import { operationsDecider, type OperationsState } from '../operations/operations-decider.js'
import type { OperationsError } from '../operations/operations-errors.js'
import { operationsEvents, operationsStreamId, type OperationsEvent } from '../operations/operations-events.js'
import type { TicketState } from '../ticket/ticket-decider.js'
import { ticketEvents, ticketStreamId, type TicketEvent } from '../ticket/ticket-events.js'
import { decodeTicketRequest, ticketService, type TicketRequest, type TicketService, type TicketServiceError } from '../ticket/ticket-service.js'
import { acceptedChangesReadModel } from '../ledger/accepted-changes.js'
import { complianceReportFromLog, type ComplianceReport, type ComplianceReportInput, type ReportInputInvalid } from './compliance-report.js'
import { ledgerEvents, type LedgerEvent } from './ledger-events.js'
import { ReportPeriod } from './report-period.js'

// model

export interface ContractLedgerDeps {
  /** The store for one catalog; every catalog's store over the same storage or database. */
  readonly storeFor: <Ev extends DomainEvent>(catalog: EventCatalog<Ev>) => EventStore<Ev>
  readonly calendars: CalendarRegistry
  readonly options?: CommandHandlerOptions
  /**
   * When each command is recorded: the instant its declared time is judged against. Without it
   * the declared times stand unjudged (a replay of a record already kept); a ledger in use passes one.
   */
  readonly clock?: Clock
}

/** An incident command as the outside world gives it: an on-site demand takes its arrival rule from the SLA policy in force, never from the caller. */
export type IncidentRequest = WithoutTerms<Exclude<IncidentCommand, DemandOnSite>> | WithoutTerms<Omit<DemandOnSite, 'arrivalRule'>>

/** What a report is asked for: the contract, the as-of instant and the period. */
export const ReportRequest = t.readonly(t.type({ contractId: ContractId, asOf: BoundedInstant, period: ReportPeriod }), 'ReportRequest')

/** A delivery as the outside world gives it; without `acceptedChanges`, the ledger works them out from the record. */
export type DeliveryRequest =
  | WithoutTerms<Exclude<DeliveryCommand, RecordDelivery>>
  | (WithoutTerms<Omit<RecordDelivery, 'acceptedChanges'>> & { readonly acceptedChanges?: RecordDelivery['acceptedChanges'] })

export interface ContractLedger {
  /**
   * Contracts and tickets, as `ticketService` handles them; a modernization request's result is
   * refused until a change estimated for it is approved (`CustomizationNotApproved`).
   */
  readonly tickets: Omit<TicketService, 'handle'> & {
    readonly handle: (
      request: TicketRequest,
      options?: HandleOptions,
    ) => TaskEither<TicketServiceError | CustomizationNotApproved, HandledCommand<TicketState, TicketEvent>>
  }
  /** An amendment, refused when its cap would fall below what the budget has committed. */
  readonly amendContract: (
    command: AmendContract & RequestExtras,
    metadata?: EventMetadata,
  ) => TaskEither<ReadError | AppendError | ContractError | ContractEntranceError | CommitmentsExceedAmendedCap, AppendResult | undefined>
  readonly incident: (
    request: IncidentRequest,
    options?: HandleOptions,
  ) => TaskEither<IncidentError | ContractNotRegistered | InvalidInput | DeclaredTimeError | AppendError | ReadError, HandledCommand<IncidentState, IncidentEvent>>
  readonly budget: TermsInForceHandler<BudgetCommand, BudgetState, BudgetEvent, BudgetError>
  readonly delivery: (
    request: DeliveryRequest,
    options?: HandleOptions,
  ) => TaskEither<DeliveryError | ContractNotRegistered | InvalidInput | DeclaredTimeError | AppendError | ReadError, HandledCommand<DeliveryState, DeliveryEvent>>
  readonly operations: TermsInForceHandler<OperationsCommand, OperationsState, OperationsEvent, OperationsError>
  /** Every recorded event of every contract, in log order. */
  readonly events: () => TaskEither<ReadError, ReadonlyArray<RecordedEvent<LedgerEvent>>>
  readonly report: (input: Omit<ComplianceReportInput, 'events' | 'calendars'>) => TaskEither<ReadError | ReportInputInvalid | InvalidInput, ComplianceReport>
}

// constructors

const partialExtras = { timeSource: t.union([t.undefined, TimeSource]) }

export const contractLedger = (deps: ContractLedgerDeps): ContractLedger => {
  const contracts = deps.storeFor(contractEvents)
  const budgets = deps.storeFor(budgetEvents)
  const ledger = deps.storeFor(ledgerEvents)
  const handler = <C, S, Ev extends DomainEvent, Err>(catalog: EventCatalog<Ev>, decider: Parameters<typeof commandHandler<C, S, Ev, Err>>[1]) =>
    commandHandler(deps.storeFor(catalog), decider, deps.options)
  // Each entrance decodes with its command's codec: the command less its terms, plus the contract named and a time source.
  const entrance = <C>(codec: t.Mixed, name: string, omit: ReadonlyArray<string> = ['terms']) => ({
    decode: commandDecoder<WithoutTerms<C>>(codec, name, { omit, add: { contractId: ContractId, ...partialExtras } }),
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
  })

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
  entrance<IncidentCommand>(IncidentCommand, 'IncidentCommand', ['terms', 'arrivalRule']))
  const recordDelivery = termsInForceHandler(contracts, handler(deliveryEvents, deliveryDecider), (c) => deliveryStreamId(c.terms.contractId), undefined, entrance<DeliveryCommand>(DeliveryCommand, 'DeliveryCommand'))
  // Caught up from the contract's events since the last delivery asked, not read from its start each time.
  const acceptedChanges = acceptedChangesReadModel(ledger.readContract)
  const decodeDelivery = commandDecoder<DeliveryRequest>(DeliveryCommand, 'DeliveryCommand', { omit: ['terms', 'acceptedChanges'], add: { contractId: ContractId, ...partialExtras } })
  const delivery: ContractLedger['delivery'] = (input, options) => async () => {
    const decoded = decodeDelivery(input)
    if (E.isLeft(decoded)) return decoded
    const request = decoded.right
    if (request.type !== 'RecordDelivery' || request.acceptedChanges !== undefined) return recordDelivery(request as WithoutTerms<DeliveryCommand>, options)()
    const accepted = await acceptedChanges(request.contractId, request.at)()
    if (E.isLeft(accepted)) return accepted
    return recordDelivery({ ...request, acceptedChanges: accepted.right }, options)()
  }

  const ticketStore = deps.storeFor(ticketEvents)
  const ticketsOnly = ticketService({ contracts, budgets, tickets: ticketStore, calendars: deps.calendars, ...(deps.options === undefined ? {} : { options: deps.options }), ...(deps.clock === undefined ? {} : { clock: deps.clock }) })
  // Modernization is a customization (clause 11): its result goes to the customer only through the budget.
  const handleTicket: ContractLedger['tickets']['handle'] = (input, options) => async () => {
    const decoded = decodeTicketRequest(input)
    if (E.isLeft(decoded)) return decoded
    const request = decoded.right
    if (request.type === 'DeliverResult') {
      const ticket = await ticketStore.readStream(ticketStreamId(request.contractId, request.ticketId))()
      if (E.isLeft(ticket)) return ticket
      const filed = ticket.right.events[0]
      if (filed?.type === 'RequestFiled' && filed.data.kind === 'modernization' && filed.data.contractId === request.contractId) {
        const budget = await budgets.readStream(budgetStreamId(request.contractId))()
        if (E.isLeft(budget)) return budget
        const approved = requireApprovedChangeFor(fold(budgetDecider, budget.right.events), request.ticketId)
        if (E.isLeft(approved)) return approved
      }
    }
    return ticketsOnly.handle(request, options)()
  }

  return {
    tickets: { ...ticketsOnly, handle: handleTicket },
    amendContract: (input, metadata) => async () => {
      const decoded = E.flatMap((c: AmendContract & RequestExtras) =>
        c.type === 'AmendContract' ? E.right(c) : E.left<InvalidInput>({ _tag: 'InvalidInput', message: `AmendContract: type: expected AmendContract`, input: 'AmendContract', field: 'type', issues: [{ path: 'type', message: 'expected AmendContract' }] }),
      )(decodeContractCommand(input) as E.Either<InvalidInput, AmendContract & RequestExtras>)
      if (E.isLeft(decoded)) return decoded
      const recordedAt = deps.clock?.()
      const slice = await contracts.readStream(contractStreamId(decoded.right.contractId))()
      if (E.isLeft(slice)) return slice
      const admitted = admitContractCommand(decoded.right, slice.right.events, fold(contractDecider, slice.right.events), deps.calendars, recordedAt)
      if (E.isLeft(admitted)) return admitted
      return amendContractWithinBudget({ contracts, budgets })(admitted.right.command as AmendContract, metadata ?? admitted.right.metadata)()
    },
    // An on-site demand takes the arrival rule of the SLA policy in force, unless it names one.
    incident: (request, options) => incident(request as WithoutTerms<IncidentCommand>, options),
    // An approval must fit the caps of amendments already recorded to take effect later, too.
    budget: termsInForceHandler(contracts, commandHandler(budgets, budgetDecider, deps.options), (c) => budgetStreamId(c.terms.contractId),
      (c, _inForce, contract) => (c.type === 'ApproveChange' ? { ...c, laterCaps: laterCapsOf(contract, c.at) } : c),
      entrance<BudgetCommand>(BudgetCommand, 'BudgetCommand')),
    delivery,
    operations: termsInForceHandler(contracts, handler(operationsEvents, operationsDecider), (c) => operationsStreamId(c.terms.contractId), undefined, entrance<OperationsCommand>(OperationsCommand, 'OperationsCommand')),
    events,
    // Folded page by page from the contract's own events: neither the whole log nor other contracts' are read.
    report: (input) => async () => {
      const request = decodeInput(ReportRequest, input, 'report')
      if (E.isLeft(request)) return request
      return complianceReportFromLog(ledger.readContract, { ...request.right, calendars: deps.calendars })()
    },
  }
}
