/** Commands of the Contract aggregate: register a signed contract, record an amendment. */
import * as t from 'io-ts'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { SlaPolicy, defaultSlaPolicy } from '../sla/sla-policy.js'
import { RecordingPolicy } from './recording-policy.js'
import { BasisPoints, ContractId, LocalDate, Parties, PositiveTiyn, Tiyn } from './contract-terms.js'

// model

/** Records a signed contract. Either party may record it; `at` is when it was recorded. */
export const RegisterContract = t.readonly(
  t.intersection([t.type({
    type: t.literal('RegisterContract'),
    contractId: ContractId,
    parties: Parties,
    product: t.string,
    term: t.readonly(t.type({ start: LocalDate, end: LocalDate })),
    timeZone: t.string,
    value: PositiveTiyn,
    customizationCapBps: BasisPoints,
    calendarId: t.string,
    deliveryCadence: t.literal('quarterly'),
    slaPolicy: SlaPolicy,
    actor: Actor,
    at: Instant,
  }),
  /** How late a declared instant may be recorded without its source; `defaultRecordingPolicy` when absent. */
  t.partial({ recordingPolicy: RecordingPolicy })]),
  'RegisterContract',
)
export type RegisterContract = t.TypeOf<typeof RegisterContract>

/** What an amendment may change. The time zone and the start of the term never change. */
export const AmendmentChanges = t.readonly(
  t.partial({
    value: Tiyn,
    customizationCapBps: BasisPoints,
    calendarId: t.string,
    slaPolicy: SlaPolicy,
    /** A new last day of the term: an extension, or an early end. */
    termEnd: LocalDate,
    recordingPolicy: RecordingPolicy,
  }),
  'AmendmentChanges',
)
export type AmendmentChanges = t.TypeOf<typeof AmendmentChanges>

/** Records a signed amendment that takes effect at the start of `effectiveFrom` in the contract's zone. */
export const AmendContract = t.readonly(
  t.type({
    type: t.literal('AmendContract'),
    contractId: ContractId,
    amendmentId: t.string,
    effectiveFrom: LocalDate,
    /** The amended value, like the registered one, must be above zero. */
    changes: t.intersection([AmendmentChanges, t.partial({ value: PositiveTiyn })]),
    reason: t.string,
    actor: Actor,
    at: Instant,
  }),
  'AmendContract',
)
export type AmendContract = t.TypeOf<typeof AmendContract>

export const ContractCommand = t.union([RegisterContract, AmendContract], 'ContractCommand')
export type ContractCommand = t.TypeOf<typeof ContractCommand>

// constructors

/** A registration with the contract's defaults: a 15% customization cap, quarterly delivery, the default SLA policy. */
export const registerContract = (
  input: Omit<RegisterContract, 'type' | 'customizationCapBps' | 'deliveryCadence' | 'slaPolicy'> &
    Partial<Pick<RegisterContract, 'customizationCapBps' | 'slaPolicy'>>,
): RegisterContract => ({
  type: 'RegisterContract',
  customizationCapBps: 1500 as BasisPoints,
  deliveryCadence: 'quarterly',
  slaPolicy: defaultSlaPolicy,
  ...input,
})
