/** Events of the Contract aggregate and their catalog. */
import * as t from 'io-ts'
import { eventCatalog, eventType } from '../kernel/event-catalog.js'
import { Instant } from '../kernel/instant.js'
import { SlaPolicy } from '../sla/sla-policy.js'
import { AmendmentChanges } from './contract-commands.js'
import { RecordingPolicy } from './recording-policy.js'
import { BasisPoints, ContractId, LocalDate, Parties, Tiyn } from './contract-terms.js'

// codecs

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

/**
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

export const contractEvents = eventCatalog([
  eventType('ContractRegistered', ContractRegistered),
  eventType('ContractAmended', ContractAmended),
])

// model

export type ContractEvent =
  | { readonly type: 'ContractRegistered'; readonly data: ContractRegistered }
  | { readonly type: 'ContractAmended'; readonly data: ContractAmended }

export const contractStreamId = (contractId: string): string => `contract-${contractId}`
