/** Events of the Contract aggregate and their catalog. */
import * as t from 'io-ts'
import { eventCatalog, eventType } from '../kernel/event-catalog.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { SlaPolicy } from '../sla/sla-policy.js'
import { AmendmentChanges } from './contract-commands.js'
import { ContractPolicy } from './contract-policy.js'
import { RecordingPolicy } from './recording-policy.js'
import { BasisPoints, ContractId, LocalDate, Parties, Tiyn } from './contract-terms.js'

// codecs

/**
 * A contract registered on one signature, as recorded before both parties signed (read, never
 * written now): its policy is the default one.
 */
export const ContractRegistered = t.readonly(
  t.intersection([t.type({
    contractId: ContractId,
    parties: Parties,
    product: t.string,
    term: t.readonly(t.type({ start: LocalDate, end: LocalDate })),
    timeZone: t.string,
    value: Tiyn,
    customizationCapBps: BasisPoints,
    calendarId: t.string,
    deliveryCadence: t.literal('quarterly'),
    slaPolicy: SlaPolicy,
    at: Instant,
  }),
  /** Absent in a registration that named none: the default in force since the start. */
  t.partial({ recordingPolicy: RecordingPolicy })]),
  'ContractRegistered',
)
export type ContractRegistered = t.TypeOf<typeof ContractRegistered>

/** One party proposes the terms; `proposedBy` names the person. Nothing binds until the other countersigns. */
export const ContractProposed = t.readonly(
  t.intersection([
    t.type({
      contractId: ContractId,
      parties: Parties,
      product: t.string,
      term: t.readonly(t.type({ start: LocalDate, end: LocalDate })),
      timeZone: t.string,
      value: Tiyn,
      customizationCapBps: BasisPoints,
      calendarId: t.string,
      deliveryCadence: t.literal('quarterly'),
      slaPolicy: SlaPolicy,
      policy: ContractPolicy,
      proposedBy: Actor,
      at: Instant,
    }),
    /** Absent in terms that name none: the default recording policy applies from the start. */
    t.partial({ recordingPolicy: RecordingPolicy }),
  ]),
  'ContractProposed',
)
export type ContractProposed = t.TypeOf<typeof ContractProposed>

/** The other party signs the proposed terms: the contract is registered from `at`. */
export const ContractCountersigned = t.readonly(t.type({ contractId: ContractId, countersignedBy: Actor, at: Instant }), 'ContractCountersigned')
export type ContractCountersigned = t.TypeOf<typeof ContractCountersigned>

/** One party proposes an amendment; `effectiveAt` is fixed as for `ContractAmended`. */
export const AmendmentProposed = t.readonly(
  t.type({
    contractId: ContractId,
    amendmentId: t.string,
    effectiveFrom: LocalDate,
    effectiveAt: Instant,
    changes: AmendmentChanges,
    reason: t.string,
    proposedBy: Actor,
    at: Instant,
  }),
  'AmendmentProposed',
)
export type AmendmentProposed = t.TypeOf<typeof AmendmentProposed>

/** The other party signs the amendment: it takes effect at its `effectiveAt`. */
export const AmendmentCountersigned = t.readonly(
  t.type({ contractId: ContractId, amendmentId: t.string, countersignedBy: Actor, at: Instant }),
  'AmendmentCountersigned',
)
export type AmendmentCountersigned = t.TypeOf<typeof AmendmentCountersigned>

/**
 * An amendment in force: written on one signature before both parties signed, and the shape
 * every countersigned amendment takes in the contract's state (`at`: when it was countersigned).
 * `effectiveAt` is the first instant of `effectiveFrom` in the contract's zone, fixed when the
 * amendment was recorded, so reading it back never depends on the reader's time-zone data.
 */
export const ContractAmended = t.readonly(
  t.type({
    contractId: ContractId,
    amendmentId: t.string,
    effectiveFrom: LocalDate,
    effectiveAt: Instant,
    changes: AmendmentChanges,
    reason: t.string,
    at: Instant,
  }),
  'ContractAmended',
)
export type ContractAmended = t.TypeOf<typeof ContractAmended>

/** The catalog of contract events, with their codecs and upcasters: what a store of contract streams is built with. */
export const contractEvents = eventCatalog([
  eventType('ContractRegistered', ContractRegistered),
  eventType('ContractAmended', ContractAmended),
  eventType('ContractProposed', ContractProposed),
  eventType('ContractCountersigned', ContractCountersigned),
  eventType('AmendmentProposed', AmendmentProposed),
  eventType('AmendmentCountersigned', AmendmentCountersigned),
])

// model

/** Any event of a contract's own stream (terms proposed, countersigned, amended). */
export type ContractEvent =
  | { readonly type: 'ContractRegistered'; readonly data: ContractRegistered }
  | { readonly type: 'ContractAmended'; readonly data: ContractAmended }
  | { readonly type: 'ContractProposed'; readonly data: ContractProposed }
  | { readonly type: 'ContractCountersigned'; readonly data: ContractCountersigned }
  | { readonly type: 'AmendmentProposed'; readonly data: AmendmentProposed }
  | { readonly type: 'AmendmentCountersigned'; readonly data: AmendmentCountersigned }

/**
 * The id of a contract's own stream, which holds its terms and amendments.
 *
 * @example
 * contractStreamId('C-2024-001') // 'contract-C-2024-001'
 */
export const contractStreamId = (contractId: string): string => `contract-${contractId}`
