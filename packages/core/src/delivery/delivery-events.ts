/** The quarterly delivery's events: the product handed into the customer's software fund, accepted or rejected. */
import * as t from 'io-ts'
import { ContractId } from '../contract/contract-terms.js'
import { eventCatalog, eventType } from '../kernel/event-catalog.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'

// model

/** The brand that marks a string as a checked `DeliveryId`. */
export interface DeliveryIdBrand {
  readonly DeliveryId: unique symbol
}
/** A quarterly delivery's id within its contract, 1 to 128 characters. */
export const DeliveryId = t.brand(t.string, (s): s is t.Branded<string, DeliveryIdBrand> => s.length > 0 && s.length <= 128, 'DeliveryId')
export type DeliveryId = t.TypeOf<typeof DeliveryId>

/** The brand that marks a string as a checked `Sha256Hex`. */
export interface Sha256HexBrand {
  readonly Sha256Hex: unique symbol
}
/** A SHA-256 digest as 64 lower-case hex digits. */
export const Sha256Hex = t.brand(t.string, (s): s is t.Branded<string, Sha256HexBrand> => /^[0-9a-f]{64}$/.test(s), 'Sha256Hex')
export type Sha256Hex = t.TypeOf<typeof Sha256Hex>

/** The brand that marks a string as a checked `QuarterLabel`. */
export interface QuarterLabelBrand {
  readonly QuarterLabel: unique symbol
}
/** A calendar quarter, `2026-Q1`. */
export const QuarterLabel = t.brand(t.string, (s): s is t.Branded<string, QuarterLabelBrand> => /^\d{4}-Q[1-4]$/.test(s), 'QuarterLabel')
export type QuarterLabel = t.TypeOf<typeof QuarterLabel>

/** A change that must reach the software fund: a defect fix (a ticket) or a customization (a budget change). */
export const ChangeRef = t.readonly(t.type({ kind: t.keyof({ fix: null, customization: null }), id: t.string }), 'ChangeRef')
export type ChangeRef = t.TypeOf<typeof ChangeRef>

/** A change the customer accepted, and when. */
export const AcceptedChange = t.readonly(t.intersection([ChangeRef, t.type({ acceptedAt: Instant })]), 'AcceptedChange')
export type AcceptedChange = t.TypeOf<typeof AcceptedChange>

// codecs

const base = { contractId: ContractId, deliveryId: DeliveryId, at: Instant, actor: Actor }

/** `dueAt` is the quarter's due instant, fixed when the delivery is recorded. */
export const DeliveryRecorded = t.readonly(
  t.type({ ...base, quarter: QuarterLabel, dueAt: Instant, version: t.string, artifactSha256: Sha256Hex, changes: t.readonlyArray(ChangeRef) }),
  'DeliveryRecorded',
)
export type DeliveryRecorded = t.TypeOf<typeof DeliveryRecorded>

/** The customer accepted the delivery: it counts for its quarter. */
export const DeliveryAccepted = t.readonly(t.type(base), 'DeliveryAccepted')
export type DeliveryAccepted = t.TypeOf<typeof DeliveryAccepted>

/** A rejected delivery does not count: its changes must go into a later one. */
export const DeliveryRejected = t.readonly(t.type({ ...base, reason: t.string }), 'DeliveryRejected')
export type DeliveryRejected = t.TypeOf<typeof DeliveryRejected>

/** The catalog of delivery events, with their codecs and upcasters: what a store of delivery streams is built with. */
export const deliveryEvents = eventCatalog([
  eventType('DeliveryRecorded', DeliveryRecorded),
  eventType('DeliveryAccepted', DeliveryAccepted),
  eventType('DeliveryRejected', DeliveryRejected),
])
/** Any event of a contract's delivery stream. */
export type DeliveryEvent = t.TypeOf<typeof deliveryEvents.codec>

// operations

/** The id of a contract's delivery stream: one per contract, holding every quarter's deliveries. */
export const deliveryStreamId = (contractId: ContractId): string => `delivery-${contractId}`

/** The key of a change across deliveries, `kind:id`, e.g. `fix:T-7` or `customization:CH-2`. */
export const changeKey = (c: ChangeRef): string => `${c.kind}:${c.id}`
