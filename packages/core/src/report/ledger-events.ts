/** Every event of a contract's record in one catalog: what a report reads and what one store of the whole ledger holds. */
import { budgetEvents, type BudgetEvent } from '../budget/budget-events.js'
import { contractEvents, type ContractEvent } from '../contract/contract-events.js'
import { deliveryEvents, type DeliveryEvent } from '../delivery/delivery-events.js'
import { incidentEvents, type IncidentEvent } from '../incident/incident-events.js'
import { eventCatalog, type EventCatalog } from '../kernel/event-catalog.js'
import { operationsEvents, type OperationsEvent } from '../operations/operations-events.js'
import { ticketEvents, type TicketEvent } from '../ticket/ticket-events.js'

// model

/** Any event of a contract's record, of any aggregate. */
export type LedgerEvent = ContractEvent | TicketEvent | IncidentEvent | BudgetEvent | DeliveryEvent | OperationsEvent

// constructors

/** The catalog of every ledger event: a store built with it reads a contract's whole record. */
export const ledgerEvents: EventCatalog<LedgerEvent> = eventCatalog([
  ...contractEvents.definitions.values(),
  ...ticketEvents.definitions.values(),
  ...incidentEvents.definitions.values(),
  ...budgetEvents.definitions.values(),
  ...deliveryEvents.definitions.values(),
  ...operationsEvents.definitions.values(),
]) as unknown as EventCatalog<LedgerEvent>

// operations

/**
 * The contract a stream of the ledger belongs to, read from its id (`contractStreamId`,
 * `ticketStreamId` and the others); undefined for a stream of no contract. What the handlers
 * pass as `AppendOptions.contractId`, and how events stored before stores kept the contract get it.
 */
export const contractOfStream = (streamId: string): string | undefined => {
  const whole = /^(?:contract|budget|delivery|operations)-(.+)$/s.exec(streamId)
  if (whole !== null) return whole[1]
  const scoped = /^(?:ticket|incident)-([^/]+)\/./s.exec(streamId)
  if (scoped === null) return undefined
  try {
    return decodeURIComponent(scoped[1]!)
  } catch {
    return undefined
  }
}
