/**
 * Commands of the Contract aggregate. Both parties sign everything: one proposes the terms or an
 * amendment, the other countersigns, and only then does it take effect.
 */
import * as t from 'io-ts'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { SlaPolicy, defaultSlaPolicy } from '../sla/sla-policy.js'
import { ContractPolicy, defaultContractPolicy, PolicyChanges } from './contract-policy.js'
import { RecordingPolicy } from './recording-policy.js'
import { BasisPoints, ContractId, LocalDate, Parties, PositiveTiyn, Tiyn } from './contract-terms.js'

// model

/** Proposes the contract's terms. Either party proposes; they bind once the other countersigns (`CountersignContract`). */
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
    policy: ContractPolicy,
    actor: Actor,
    at: Instant,
  }),
  /** How late a declared instant may be recorded without its source; `defaultRecordingPolicy` when absent. */
  t.partial({ recordingPolicy: RecordingPolicy })]),
  'RegisterContract',
)
export type RegisterContract = t.TypeOf<typeof RegisterContract>

/** The other party signs the proposed terms: from now on the contract is registered. */
export const CountersignContract = t.readonly(
  t.type({ type: t.literal('CountersignContract'), contractId: ContractId, actor: Actor, at: Instant }),
  'CountersignContract',
)
export type CountersignContract = t.TypeOf<typeof CountersignContract>

/** What an amendment may change. The time zone and the start of the term never change. */
export const AmendmentChanges = t.readonly(
  t.partial({
    value: Tiyn,
    customizationCapBps: BasisPoints,
    calendarId: t.string,
    slaPolicy: SlaPolicy,
    /** A new last day of the term: an extension, or an early end. */
    termEnd: LocalDate,
    /** Any rule of the contract's policy, each on its own. */
    policy: PolicyChanges,
    /** The people of each party and their roles, as they stand from the effective date. */
    parties: Parties,
    recordingPolicy: RecordingPolicy,
  }),
  'AmendmentChanges',
)
export type AmendmentChanges = t.TypeOf<typeof AmendmentChanges>

/**
 * Proposes an amendment that takes effect at the start of `effectiveFrom` in the contract's zone,
 * once the other party countersigns it (`CountersignAmendment`) before then.
 */
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

/** The other party signs a proposed amendment; it must do so before the amendment's effective date. */
export const CountersignAmendment = t.readonly(
  t.type({ type: t.literal('CountersignAmendment'), contractId: ContractId, amendmentId: t.string, actor: Actor, at: Instant }),
  'CountersignAmendment',
)
export type CountersignAmendment = t.TypeOf<typeof CountersignAmendment>

/** Any contract command: registering or amending the contract, and the other party's countersignature of either. */
export const ContractCommand = t.union([RegisterContract, CountersignContract, AmendContract, CountersignAmendment], 'ContractCommand')
export type ContractCommand = t.TypeOf<typeof ContractCommand>

// constructors

/** A proposal with the contract's defaults: a 15% customization cap, quarterly delivery, the default SLA policy and contract policy. */
export const registerContract = (
  input: Omit<RegisterContract, 'type' | 'customizationCapBps' | 'deliveryCadence' | 'slaPolicy' | 'policy'> &
    Partial<Pick<RegisterContract, 'customizationCapBps' | 'slaPolicy' | 'policy'>>,
): RegisterContract => ({
  type: 'RegisterContract',
  customizationCapBps: 1500 as BasisPoints,
  deliveryCadence: 'quarterly',
  slaPolicy: defaultSlaPolicy,
  policy: defaultContractPolicy,
  ...input,
})

/** The other party's signature on proposed terms. */
export const countersignContract = (input: Omit<CountersignContract, 'type'>): CountersignContract => ({ type: 'CountersignContract', ...input })

/** The other party's signature on a proposed amendment. */
export const countersignAmendment = (input: Omit<CountersignAmendment, 'type'>): CountersignAmendment => ({ type: 'CountersignAmendment', ...input })
