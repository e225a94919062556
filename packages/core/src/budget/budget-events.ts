/** The customization budget's events: changes estimated, approved against the cap, delivered, accepted (spent) or cancelled. */
import * as t from 'io-ts'
import { ContractId, Tiyn } from '../contract/contract-terms.js'
import { eventCatalog, eventType } from '../kernel/event-catalog.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'

// model

/** The brand that marks a string as a checked `ChangeId`. */
export interface ChangeIdBrand {
  readonly ChangeId: unique symbol
}
/** A paid change's id within its contract, 1 to 128 characters. */
export const ChangeId = t.brand(t.string, (s): s is t.Branded<string, ChangeIdBrand> => s.length > 0 && s.length <= 128, 'ChangeId')
export type ChangeId = t.TypeOf<typeof ChangeId>

// codecs

const base = { contractId: ContractId, changeId: ChangeId, at: Instant, actor: Actor }

/** `ticketId`: the modernization request this change prices, when it is one (a change to code or database structure asked for as a ticket). */
export const ChangeEstimated = t.readonly(t.intersection([t.type({ ...base, title: t.string, amount: Tiyn }), t.partial({ ticketId: t.string })]), 'ChangeEstimated')
export type ChangeEstimated = t.TypeOf<typeof ChangeEstimated>

/** Carries the cap and the committed sum after approval: the proof that the cap held. */
export const ChangeApproved = t.readonly(t.type({ ...base, amount: Tiyn, committedAfter: Tiyn, cap: Tiyn }), 'ChangeApproved')
export type ChangeApproved = t.TypeOf<typeof ChangeApproved>

/** Commitments reached a fraction of the cap (8000 and 9500 basis points by default). */
export const CapWarningReached = t.readonly(t.type({ ...base, thresholdBps: t.number, committed: Tiyn, cap: Tiyn }), 'CapWarningReached')
export type CapWarningReached = t.TypeOf<typeof CapWarningReached>

/** The supplier delivered the change; it stays committed until the customer accepts it. */
export const ChangeDelivered = t.readonly(t.type(base), 'ChangeDelivered')
export type ChangeDelivered = t.TypeOf<typeof ChangeDelivered>

/** The change is accepted: its commitment is now spent, and it must go into the next quarterly delivery. */
export const ChangeAccepted = t.readonly(t.type({ ...base, amount: Tiyn, spentAfter: Tiyn }), 'ChangeAccepted')
export type ChangeAccepted = t.TypeOf<typeof ChangeAccepted>

/**
 * The change was cancelled, with a reason; `released` is the commitment freed, `committedAfter` what remains
 * committed.
 */
export const ChangeCancelled = t.readonly(t.type({ ...base, reason: t.string, released: Tiyn, committedAfter: Tiyn, cap: Tiyn }), 'ChangeCancelled')
export type ChangeCancelled = t.TypeOf<typeof ChangeCancelled>

/** The catalog of budget events, with their codecs and upcasters: what a store of budget streams is built with. */
export const budgetEvents = eventCatalog([
  eventType('ChangeEstimated', ChangeEstimated),
  eventType('ChangeApproved', ChangeApproved),
  eventType('CapWarningReached', CapWarningReached),
  eventType('ChangeDelivered', ChangeDelivered),
  eventType('ChangeAccepted', ChangeAccepted),
  eventType('ChangeCancelled', ChangeCancelled),
])
/** Any event of a contract's budget stream. */
export type BudgetEvent = t.TypeOf<typeof budgetEvents.codec>

// operations

/** The id of a contract's budget stream: one per contract, since every change draws on the same cap. */
export const budgetStreamId = (contractId: ContractId): string => `budget-${contractId}`
