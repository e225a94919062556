/**
 * The demo's one door into the ledger: every command and read the demo makes goes through here, so
 * that a change of the ledger's public shape is met in this file alone.
 */
import {
  contractDecider,
  contractEvents,
  contractLedger,
  contractStreamId,
  createCalendarRegistry,
  fold,
  KAZAKHSTAN_CALENDAR,
  ledgerEvents,
  termsInForceAt,
  ticketEvents,
  type BudgetCommand,
  type ComplianceReport,
  type ContractCommand,
  type ContractId,
  type ContractLedger,
  type ContractTerms,
  type DeliveryRequest,
  type DomainEvent,
  type EventCatalog,
  type EventStore,
  type IncidentRequest,
  type Instant,
  type LedgerEvent,
  type OperationsCommand,
  type RecordedEvent,
  type ReportPeriod,
  type TicketEvent,
  type TicketRequest,
  type WithoutTerms,
} from '@support-ledger/core'
import { postgresEventStore, type PostgresStorage } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'

// model

/** A refusal or a failure, as the demo shows it. */
export interface Refusal {
  readonly _tag: string
  readonly message: string
}

export type Outcome = Promise<E.Either<Refusal, unknown>>

/** A command for one aggregate, as the scenario writes it (the contract is named in each). */
export type DemoCommand =
  | { readonly aggregate: 'contract'; readonly command: ContractCommand }
  | { readonly aggregate: 'ticket'; readonly command: TicketRequest }
  | { readonly aggregate: 'incident'; readonly command: IncidentRequest }
  | { readonly aggregate: 'budget'; readonly command: WithoutTerms<BudgetCommand> }
  | { readonly aggregate: 'delivery'; readonly command: DeliveryRequest }
  | { readonly aggregate: 'operations'; readonly command: WithoutTerms<OperationsCommand> }

export interface DemoLedger {
  readonly handle: (command: DemoCommand) => Outcome
  /** What the Redmine import and the mail intake are given: the ledger's tickets. */
  readonly tickets: ContractLedger['tickets']
  readonly ticketEvents: EventStore<TicketEvent>
  readonly termsAt: (contractId: ContractId, at: Instant) => Promise<E.Either<Refusal, ContractTerms>>
  readonly events: () => Promise<E.Either<Refusal, ReadonlyArray<RecordedEvent<LedgerEvent>>>>
  /** One page of the log after a global position, and the position to read on from. */
  readonly eventsAfter: (after: number) => Promise<E.Either<Refusal, { readonly events: ReadonlyArray<RecordedEvent<LedgerEvent>>; readonly next: number }>>
  readonly report: (contractId: ContractId, asOf: Instant, period: ReportPeriod) => Promise<E.Either<Refusal, ComplianceReport>>
}

// constructors

/** The ledger over `storage`; `clock` is when each command is recorded (the scenario's "now"). */
export const demoLedger = (storage: PostgresStorage, clock: () => Instant): E.Either<Refusal, DemoLedger> => {
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) return calendars
  const storeFor = <Ev extends DomainEvent>(catalog: EventCatalog<Ev>): EventStore<Ev> => postgresEventStore(catalog, storage)
  const ledger = contractLedger({ storeFor, calendars: calendars.right, clock })
  const contracts = storeFor(contractEvents)
  const log = storeFor(ledgerEvents)

  const handle = async (c: DemoCommand): Outcome => {
    switch (c.aggregate) {
      case 'contract':
        return ledger.contracts.handle(c.command)()
      case 'ticket':
        return ledger.tickets.handle(c.command)()
      case 'incident':
        return ledger.incidents.handle(c.command)()
      case 'budget':
        return ledger.budget.handle(c.command)()
      case 'delivery':
        return ledger.deliveries.handle(c.command)()
      case 'operations':
        return ledger.operations.handle(c.command)()
    }
  }

  return E.right({
    handle,
    tickets: ledger.tickets,
    ticketEvents: storeFor(ticketEvents),
    termsAt: async (contractId, at) => {
      const stream = await contracts.readStream(contractStreamId(contractId))()
      if (E.isLeft(stream)) return stream
      const inForce = termsInForceAt(fold(contractDecider, stream.right.events), at)
      return inForce === undefined ? E.left({ _tag: 'ContractNotInForce', message: `${contractId} is not in force at ${at}` }) : E.right(inForce.terms)
    },
    events: () => ledger.events()(),
    eventsAfter: (after) => log.readAll({ after, limit: 1_000 })(),
    report: (contractId, asOf, period) => ledger.report({ contractId, asOf, period })(),
  })
}
