/** The one entrance to a contract's record: every aggregate's commands through the same handler shape, the queries, and the compliance report. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { contractCommandHandler, type ContractCommandError } from '../budget/amendment-within-budget.js'
import { BudgetCommand } from '../budget/budget-commands.js'
import { budgetDecider, budgetSnapshots, type BudgetState } from '../budget/budget-decider.js'
import type { BudgetError } from '../budget/budget-errors.js'
import { budgetEvents, budgetStreamId, type BudgetEvent } from '../budget/budget-events.js'
import { laterCapsOf, requireApprovedChangeFor, type CustomizationNotApproved } from '../budget/modernization-within-budget.js'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import type { ContractCommand } from '../contract/contract-commands.js'
import { admitContractCommand, decodeContractCommand, type Clock, type ContractEntranceError, type RequestExtras } from '../contract/contract-entrance.js'
import { contractDecider, type ContractState } from '../contract/contract-decider.js'
import type { ContractNotRegistered } from '../contract/contract-errors.js'
import { contractEvents, contractStreamId, type ContractEvent } from '../contract/contract-events.js'
import { ContractId, type IncidentId, type TicketId } from '../values/domain-ids.js'
import type { QuarterLabel } from '../values/quarter-label.js'
import type { DeclaredTimeError } from '../contract/recording-policy.js'
import { termsInForceHandler, type WithoutTerms } from '../contract/terms-in-force-handler.js'
import { DeliveryCommand, type RecordDelivery } from '../delivery/delivery-commands.js'
import { deliveryDecider, deliverySnapshots, type DeliveryState } from '../delivery/delivery-decider.js'
import type { DeliveryError } from '../delivery/delivery-errors.js'
import { deliveryEvents, deliveryStreamId, type DeliveryEvent } from '../delivery/delivery-events.js'
import { deliveriesAsOf, type RecordedDelivery } from '../delivery/delivery-queries.js'
import { IncidentCommand, type DemandOnSite } from '../incident/incident-commands.js'
import { incidentDecider, type IncidentState } from '../incident/incident-decider.js'
import type { IncidentError } from '../incident/incident-errors.js'
import { incidentEvents, incidentStreamId, type IncidentEvent } from '../incident/incident-events.js'
import { commandHandler, type CommandHandlerOptions, type HandledCommand, type HandleOptions } from '../kernel/command-handler.js'
import { fold, type Decider } from '../kernel/decider.js'
import type { AppendError, EventStore, ReadError, StoreFor } from '../kernel/event-store.js'
import { BoundedInstant, commandDecoder, decodeInput, type InvalidInput } from '../kernel/input-codec.js'
import type { Instant } from '../kernel/instant.js'
import { TimeSource, type DomainEvent, type RecordedEvent } from '../kernel/recorded-event.js'
import { inMemorySnapshotStore, loadState, type SnapshotPolicy, type SnapshotStore } from '../kernel/snapshot-store.js'
import { OperationsCommand } from '../operations/operations-commands.js'
import { operationsDecider, operationsSnapshots, type OperationsState } from '../operations/operations-decider.js'
import type { OperationsError } from '../operations/operations-errors.js'
import { operationsEvents, operationsStreamId, type OperationsEvent } from '../operations/operations-events.js'
import { acceptedChangesReadModel } from './accepted-changes.js'
import { complianceReportFromLog, type ComplianceReport, type ComplianceReportInput, type ReportError } from '../report/compliance-report.js'
import { ledgerEvents, type LedgerEvent } from '../report/ledger-events.js'
import { ReportPeriod } from '../report/report-period.js'
import type { ObligationState } from '../sla/obligation.js'
import type { CalendarNotFound } from '../calendar/business-calendar.js'
import { ticketDecider, type TicketState } from '../ticket/ticket-decider.js'
import { ticketEvents, ticketStreamId, type TicketEvent } from '../ticket/ticket-events.js'
import { decodeTicketRequest, ticketService, type TicketRequest, type TicketServiceError } from './ticket-service.js'

export type { TicketRequest, TicketServiceError } from './ticket-service.js'

// model

/** What a contract ledger is built on: the stores, the business calendars, and the recording clock. */
export interface ContractLedgerDeps {
  /** The store of each catalog over one storage: `inMemoryStores()`, or `postgresStores(storage)` from `@support-ledger/postgres`. */
  readonly storeFor: StoreFor
  /** The business calendars by id, for every clock the ledger keeps. */
  readonly calendars: CalendarRegistry
  /** How many times a command is decided again after a concurrent write; default 3. */
  readonly options?: CommandHandlerOptions
  /**
   * When each command is recorded: the instant its declared time is judged against. Without it
   * the declared times stand unjudged (a replay of a record already kept); a ledger in use passes one.
   */
  readonly clock?: Clock
  /**
   * Where the long streams' states (operations, deliveries, the budget) and the accepted-changes read model
   * are snapshotted, so that a command folds only what follows the latest snapshot. Default: the
   * streams' states in the ledger's memory (a fresh process folds each stream once) and the read
   * model only live; `postgresSnapshotStore(storage)` from `@support-ledger/postgres` keeps them
   * with the events.
   */
  readonly snapshots?: SnapshotStore
  /**
   * Save a stream's snapshot once this many events were folded after the last; default 50. The
   * accepted-changes read model saves once 1,000 of the contract's events were folded.
   */
  readonly snapshotEvery?: number
}

/**
 * The one handler shape of every aggregate: a request as the outside world gives it (decoded at
 * the entrance, so plain JSON will do), answered with the aggregate's new state and the events
 * the command produced, or a typed refusal with nothing written.
 */
export interface CommandEntrance<Request, State, Event, Err> {
  /** Decodes the request, decides it against the stream's state and the terms in force, and appends the events it produced. */
  readonly handle: (request: Request, options?: HandleOptions) => TaskEither<Err, HandledCommand<State, Event>>
}

/** Why any aggregate's entrance refuses a request besides the aggregate's own reasons: bad input, a time declared too far back, the store. */
export type EntranceError = InvalidInput | DeclaredTimeError | AppendError | ReadError

/** A contract command (registration, countersignature, amendment, ...) with the source of a time declared well in the past. */
export type ContractRequest = ContractCommand & RequestExtras

/** An incident command as the outside world gives it: an on-site demand takes its arrival rule from the SLA policy in force, never from the caller. */
export type IncidentRequest = WithoutTerms<Exclude<IncidentCommand, DemandOnSite>> | WithoutTerms<Omit<DemandOnSite, 'arrivalRule'>>

/** A budget command as the outside world gives it: the contract named, its terms left to the ledger. */
export type BudgetRequest = WithoutTerms<BudgetCommand>

/** A delivery as the outside world gives it; without `acceptedChanges`, the ledger works them out from the record. */
export type DeliveryRequest =
  | WithoutTerms<Exclude<DeliveryCommand, RecordDelivery>>
  | (WithoutTerms<Omit<RecordDelivery, 'acceptedChanges'>> & { readonly acceptedChanges?: RecordDelivery['acceptedChanges'] })

/** A recurring-operations command as the outside world gives it. */
export type OperationsRequest = WithoutTerms<OperationsCommand>

/** What a report is asked for: the contract, the as-of instant and the period. */
export const ReportRequest = t.readonly(t.type({ contractId: ContractId, asOf: BoundedInstant, period: ReportPeriod }), 'ReportRequest')
export type ReportRequest = t.TypeOf<typeof ReportRequest>

/** The deliveries recorded for one quarter, with their status as of the last one's settlement. */
export interface DeliveryQuarter {
  /** The quarter asked for, e.g. `2025-Q2`. */
  readonly quarter: QuarterLabel
  /** Every delivery recorded for the quarter, in the order recorded. */
  readonly deliveries: ReadonlyArray<RecordedDelivery>
}

/**
 * The one entrance to a contract's record: a `handle` per aggregate, the queries, and the report.
 *
 * @example
 * ```ts
 * const ledger = contractLedger({ storeFor: inMemoryStores(), calendars, clock: () => instantOf(new Date()) })
 * await ledger.tickets.handle({ type: 'FileRequest', contractId, ticketId: 'T-1', ... })()
 * ```
 */
export interface ContractLedger {
  /** Proposes and countersigns the terms and every amendment; an amendment is refused when its cap would fall below what the budget has committed. */
  readonly contracts: CommandEntrance<ContractRequest, ContractState, ContractEvent, ContractCommandError | ContractEntranceError | AppendError | ReadError>
  /** Tickets with the terms and SLA policy in force; a modernization's result is refused until a change estimated for it is approved (`CustomizationNotApproved`). */
  readonly tickets: CommandEntrance<TicketRequest, TicketState, TicketEvent, TicketServiceError | CustomizationNotApproved>
  /** Incidents: failures, on-site demands and visits, failure reports and their acceptance. */
  readonly incidents: CommandEntrance<IncidentRequest, IncidentState, IncidentEvent, IncidentError | ContractNotRegistered | EntranceError>
  /** An approval must fit the caps of amendments already recorded to take effect later, too. */
  readonly budget: CommandEntrance<BudgetRequest, BudgetState, BudgetEvent, BudgetError | ContractNotRegistered | EntranceError>
  /** Quarterly deliveries; a delivery without `acceptedChanges` carries the changes the record shows accepted. */
  readonly deliveries: CommandEntrance<DeliveryRequest, DeliveryState, DeliveryEvent, DeliveryError | ContractNotRegistered | EntranceError>
  /** Archiving, backup sync and the test stand: the recurring operations the contract requires. */
  readonly operations: CommandEntrance<OperationsRequest, OperationsState, OperationsEvent, OperationsError | ContractNotRegistered | EntranceError>

  /** The contract as recorded: unregistered, proposed, or registered with its amendments. */
  readonly contract: (contractId: ContractId) => TaskEither<ReadError, ContractState>
  /** One ticket as recorded (`unfiled` when none was filed). */
  readonly ticket: (contractId: ContractId, ticketId: TicketId) => TaskEither<ReadError, TicketState>
  /** Every clock of a ticket at an instant, with the events that prove each state. */
  readonly ticketObligations: (contractId: ContractId, ticketId: TicketId, at: Instant) => TaskEither<ReadError | CalendarNotFound, ReadonlyArray<ObligationState>>
  /** One incident as recorded (phase `none` when none was reported). */
  readonly incident: (contractId: ContractId, incidentId: IncidentId) => TaskEither<ReadError, IncidentState>
  /** The customization budget: every change, what is approved and what is spent. */
  readonly customizationBudget: (contractId: ContractId) => TaskEither<ReadError, BudgetState>
  /** The deliveries recorded for a quarter; `asOf` (default: the whole record) leaves out what came later. */
  readonly deliveryQuarter: (contractId: ContractId, quarter: QuarterLabel, asOf?: Instant) => TaskEither<ReadError, DeliveryQuarter>
  /** Every recorded event of every contract, in log order. */
  readonly events: () => TaskEither<ReadError, ReadonlyArray<RecordedEvent<LedgerEvent>>>
  /** The compliance report, folded page by page from the contract's own events: neither the whole log nor other contracts' are read. */
  readonly report: (input: Omit<ComplianceReportInput, 'events' | 'calendars'>) => TaskEither<ReadError | ReportError, ComplianceReport>
}

// constructors

const partialExtras = { timeSource: t.union([t.undefined, TimeSource]) }

/** The state of one stream, folded from all its events. */
const stateOf =
  <S, Ev extends DomainEvent>(store: EventStore<Ev>, decider: Pick<Decider<unknown, S, Ev, unknown>, 'initialState' | 'evolve'>) =>
  (streamId: string): TaskEither<ReadError, S> =>
  async () => {
    const slice = await store.readStream(streamId)()
    return E.isLeft(slice) ? slice : E.right(fold(decider, slice.right.events))
  }

/** Builds the ledger over the stores `deps.storeFor` gives; every aggregate shares the terms in force read from the contract's stream. */
export const contractLedger = (deps: ContractLedgerDeps): ContractLedger => {
  const contracts = deps.storeFor(contractEvents)
  const budgets = deps.storeFor(budgetEvents)
  const ticketStore = deps.storeFor(ticketEvents)
  const incidentStore = deps.storeFor(incidentEvents)
  const deliveryStore = deps.storeFor(deliveryEvents)
  const ledger = deps.storeFor(ledgerEvents)
  const withOptions = deps.options === undefined ? {} : { options: deps.options }
  const withClock = deps.clock === undefined ? {} : { clock: deps.clock }
  const handler = <C, S, Ev extends DomainEvent, Err>(store: EventStore<Ev>, decider: Decider<C, S, Ev, Err>) => commandHandler(store, decider, deps.options)
  // The streams that grow for the whole term (a check a day, a delivery a quarter) load from their latest snapshot.
  const snapshots = deps.snapshots ?? inMemorySnapshotStore()
  const every = deps.snapshotEvery === undefined ? {} : { every: deps.snapshotEvery }
  const snapshotted = <C, S, Ev extends DomainEvent, Err>(store: EventStore<Ev>, decider: Decider<C, S, Ev, Err>, policy: SnapshotPolicy<S>) =>
    commandHandler(store, decider, deps.options, { store: snapshots, policy: { ...policy, ...every } })
  // Each entrance decodes with its command's codec: the command less its terms, plus the contract named and a time source.
  const entrance = <C>(codec: t.Mixed, name: string, omit: ReadonlyArray<string> = ['terms']) => ({
    decode: commandDecoder<WithoutTerms<C>>(codec, name, { omit, add: { contractId: ContractId, ...partialExtras } }),
    ...withClock,
  })

  // Registration and amendments alike: decoded, judged at the entrance, and always decided with the budget in view.
  const contractCommands = contractCommandHandler({ contracts, budgets, snapshots, ...withOptions })
  const handleContract: ContractLedger['contracts']['handle'] = (input, options) => async () => {
    const decoded = decodeContractCommand(input)
    if (E.isLeft(decoded)) return decoded
    const recordedAt = deps.clock?.()
    const slice = await contracts.readStream(contractStreamId(decoded.right.contractId))()
    if (E.isLeft(slice)) return slice
    const admitted = admitContractCommand(decoded.right, slice.right.events, fold(contractDecider, slice.right.events), deps.calendars, recordedAt)
    if (E.isLeft(admitted)) return admitted
    return contractCommands(admitted.right.command, options, admitted.right.metadata)()
  }

  const ticketsOnly = ticketService({ contracts, tickets: ticketStore, calendars: deps.calendars, ...withOptions, ...withClock })
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
        const budget = await loadState(budgets, budgetDecider, snapshots, budgetSnapshots)(budgetStreamId(request.contractId))()
        if (E.isLeft(budget)) return budget
        const approved = requireApprovedChangeFor(budget.right.state, request.ticketId)
        if (E.isLeft(approved)) return approved
      }
    }
    return ticketsOnly.handle(request, options)()
  }

  // An on-site demand takes the arrival rule of the SLA policy in force, whatever the request says.
  const incident = termsInForceHandler(contracts, handler(incidentStore, incidentDecider), (c) => incidentStreamId(c.terms.contractId, c.incidentId), (c, inForce) =>
    c.type === 'DemandOnSite' ? { ...c, arrivalRule: inForce.slaPolicy.onSiteArrival.default } : c,
  entrance<IncidentCommand>(IncidentCommand, 'IncidentCommand', ['terms', 'arrivalRule']))

  // An approval must fit the caps of amendments already recorded to take effect later, too.
  const budget = termsInForceHandler(contracts, snapshotted(budgets, budgetDecider, budgetSnapshots), (c) => budgetStreamId(c.terms.contractId),
    (c, _inForce, contract) => (c.type === 'ApproveChange' ? { ...c, laterCaps: laterCapsOf(contract, c.at) } : c),
    entrance<BudgetCommand>(BudgetCommand, 'BudgetCommand'))

  const recordDelivery = termsInForceHandler(contracts, snapshotted(deliveryStore, deliveryDecider, deliverySnapshots), (c) => deliveryStreamId(c.terms.contractId), undefined, entrance<DeliveryCommand>(DeliveryCommand, 'DeliveryCommand'))
  // Caught up from the contract's events since the last delivery asked (or its snapshot), not read from its start each time.
  // Snapshots only in a store the caller gave: in this process the model already keeps its state live.
  const acceptedChanges = acceptedChangesReadModel(ledger.readContract, deps.snapshots === undefined ? {} : { snapshots: deps.snapshots })
  const decodeDelivery = commandDecoder<DeliveryRequest>(DeliveryCommand, 'DeliveryCommand', { omit: ['terms', 'acceptedChanges'], add: { contractId: ContractId, ...partialExtras } })
  // A delivery that does not list its changes carries every change accepted since the last one, as the record shows.
  const handleDelivery: ContractLedger['deliveries']['handle'] = (input, options) => async () => {
    const decoded = decodeDelivery(input)
    if (E.isLeft(decoded)) return decoded
    const request = decoded.right
    if (request.type !== 'RecordDelivery' || request.acceptedChanges !== undefined) return recordDelivery(request as WithoutTerms<DeliveryCommand>, options)()
    const accepted = await acceptedChanges(request.contractId, request.at)()
    if (E.isLeft(accepted)) return accepted
    return recordDelivery({ ...request, acceptedChanges: accepted.right }, options)()
  }

  const operations = termsInForceHandler(contracts, snapshotted(deps.storeFor(operationsEvents), operationsDecider, operationsSnapshots), (c) => operationsStreamId(c.terms.contractId), undefined, entrance<OperationsCommand>(OperationsCommand, 'OperationsCommand'))

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

  const deliveryQuarter: ContractLedger['deliveryQuarter'] = (contractId, quarter, asOf) => async () => {
    const slice = await deliveryStore.readStream(deliveryStreamId(contractId))()
    if (E.isLeft(slice)) return slice
    const recorded = slice.right.events
    const until = asOf ?? recorded.reduce<Instant | undefined>((last, e) => (last === undefined || e.data.at > last ? e.data.at : last), undefined)
    const deliveries = until === undefined ? [] : deliveriesAsOf(recorded, until).filter((d) => d.recorded.quarter === quarter)
    return E.right({ quarter, deliveries })
  }

  return {
    contracts: { handle: handleContract },
    tickets: { handle: handleTicket },
    incidents: { handle: (request, options) => incident(request as WithoutTerms<IncidentCommand>, options) },
    budget: { handle: budget },
    deliveries: { handle: handleDelivery },
    operations: { handle: operations },
    contract: (contractId) => stateOf(contracts, contractDecider)(contractStreamId(contractId)),
    ticket: (contractId, ticketId) => stateOf(ticketStore, ticketDecider)(ticketStreamId(contractId, ticketId)),
    ticketObligations: ticketsOnly.obligationsAt,
    incident: (contractId, incidentId) => stateOf(incidentStore, incidentDecider)(incidentStreamId(contractId, incidentId)),
    customizationBudget: (contractId) => stateOf(budgets, budgetDecider)(budgetStreamId(contractId)),
    deliveryQuarter,
    events,
    report: (input) => async () => {
      const request = decodeInput(ReportRequest, input, 'report')
      if (E.isLeft(request)) return request
      return complianceReportFromLog(ledger.readContract, { ...request.right, calendars: deps.calendars })()
    },
  }
}
