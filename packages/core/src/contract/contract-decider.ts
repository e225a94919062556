/** The Contract aggregate: its terms as both parties signed and amended them, and the terms in force at any instant. */
import * as E from 'fp-ts/lib/Either.js'
import { IANAZone } from 'luxon'
import type { Decider } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { SlaPolicy } from '../sla/sla-policy.js'
import type { Actor, Party } from '../kernel/recorded-event.js'
import { defaultRecordingPolicy, type RecordingPolicy } from './recording-policy.js'
import { localDateAt, requireActor, requireParty, startOfLocalDate } from './command-guards.js'
import type { AmendContract, ContractCommand, CountersignAmendment, CountersignContract, RegisterContract } from './contract-commands.js'
import type { ContractError } from './contract-errors.js'
import type { AmendmentProposed, ContractAmended, ContractEvent, ContractProposed, ContractRegistered } from './contract-events.js'
import { defaultContractPolicy, validatePolicy, type ContractPolicy, type PolicyRuleInvalid } from './contract-policy.js'
import type { ContractTerms, LocalDate, WrongParty } from './contract-terms.js'

// model

/** The terms as both parties signed them. A contract registered on one signature (read only) has the default policy. */
export type SignedTerms = ContractRegistered & { readonly policy: ContractPolicy }

/**
 * A contract's state: unregistered, proposed by one party and waiting for the other's countersignature, or registered
 * with its terms and amendments.
 */
export type ContractState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'proposed'; readonly proposal: ContractProposed }
  | {
      readonly status: 'registered'
      readonly registered: SignedTerms
      /** Countersigned, in the order they take effect; amendments with the same effective instant in the order signed. */
      readonly amendments: ReadonlyArray<ContractAmended>
      /** Proposed and awaiting the other party's signature: not in force. */
      readonly pending: ReadonlyArray<AmendmentProposed>
    }

/** The terms in force at an instant, with the SLA policy in force: what a ticket command carries. */
export interface TermsInForce {
  readonly terms: ContractTerms
  readonly slaPolicy: SlaPolicy
  readonly recordingPolicy: RecordingPolicy
}

// constructors

/** The state of a contract stream with no events: nothing registered. */
export const initialContractState: ContractState = { status: 'unregistered' }

// operations

const withAmendment = (amendments: ReadonlyArray<ContractAmended>, amended: ContractAmended): ReadonlyArray<ContractAmended> => {
  const out = [...amendments]
  let i = out.length
  while (i > 0 && (out[i - 1]?.effectiveAt ?? '') > amended.effectiveAt) i--
  out.splice(i, 0, amended)
  return out
}

const evolve = (state: ContractState, event: ContractEvent): ContractState => {
  switch (event.type) {
    case 'ContractRegistered':
      return { status: 'registered', registered: { ...event.data, policy: defaultContractPolicy }, amendments: [], pending: [] }
    case 'ContractProposed':
      return state.status === 'unregistered' ? { status: 'proposed', proposal: event.data } : state
    case 'ContractCountersigned': {
      if (state.status !== 'proposed') return state
      const { proposedBy: _proposedBy, at: _at, ...terms } = state.proposal
      return { status: 'registered', registered: { ...terms, at: event.data.at }, amendments: [], pending: [] }
    }
    case 'ContractAmended':
      return state.status === 'registered' ? { ...state, amendments: withAmendment(state.amendments, event.data) } : state
    case 'AmendmentProposed':
      return state.status === 'registered' ? { ...state, pending: [...state.pending, event.data] } : state
    case 'AmendmentCountersigned': {
      if (state.status !== 'registered') return state
      const proposal = state.pending.find((p) => p.amendmentId === event.data.amendmentId)
      if (proposal === undefined) return state
      const { proposedBy: _proposedBy, ...amended } = proposal
      return {
        ...state,
        amendments: withAmendment(state.amendments, { ...amended, at: event.data.at }),
        pending: state.pending.filter((p) => p !== proposal),
      }
    }
  }
}

type Decision = E.Either<ContractError, ReadonlyArray<ContractEvent>>

/** A countersignature comes from the party that did not propose. */
const requireOtherParty = (command: ContractCommand, proposedBy: Actor): E.Either<WrongParty, void> => {
  const other: Party = proposedBy.party === 'customer' ? 'supplier' : 'customer'
  return requireParty(command.type, command.actor, [other])
}

const signedAfterProposal = (proposedAt: Instant, at: Instant): E.Either<ContractError, void> =>
  at < proposedAt
    ? E.left({ _tag: 'SignedBeforeProposed', message: `a countersignature at ${at} is dated before the proposal at ${proposedAt}`, proposedAt, at })
    : E.right(undefined)

const register = (command: RegisterContract, state: ContractState): Decision => {
  const who = requireActor(command.type, command.actor, command)
  if (E.isLeft(who)) return who
  if (state.status === 'registered') {
    return E.left({ _tag: 'ContractAlreadyRegistered', message: `contract ${command.contractId} is already registered`, contractId: command.contractId })
  }
  if (state.status === 'proposed') {
    return E.left({ _tag: 'ContractAlreadyProposed', message: `terms of contract ${command.contractId} are already proposed and await a countersignature`, contractId: command.contractId })
  }
  if (!IANAZone.isValidZone(command.timeZone)) {
    return E.left({ _tag: 'UnknownTimeZone', message: `time zone ${command.timeZone} is not a known IANA zone`, timeZone: command.timeZone })
  }
  if (command.term.end < command.term.start) {
    return E.left({
      _tag: 'TermEndsBeforeStart',
      message: `the term ends on ${command.term.end}, before it starts on ${command.term.start}`,
      start: command.term.start,
      end: command.term.end,
    })
  }
  const policy = command.policy === undefined ? E.left<PolicyRuleInvalid>({ _tag: 'PolicyRuleInvalid', message: 'policy is missing', field: 'policy', value: undefined }) : validatePolicy(command.policy)
  if (E.isLeft(policy)) return policy
  const { type: _type, actor, ...data } = command
  return E.right([{ type: 'ContractProposed', data: { ...data, proposedBy: actor } }])
}

const countersignContract = (command: CountersignContract, state: ContractState): Decision => {
  if (state.status === 'registered') {
    return E.left({ _tag: 'ContractAlreadyRegistered', message: `contract ${command.contractId} is already registered`, contractId: command.contractId })
  }
  if (state.status === 'unregistered') {
    return E.left({ _tag: 'ContractNotProposed', message: `contract ${command.contractId} has no proposed terms to countersign`, contractId: command.contractId })
  }
  const p = state.proposal
  const checks = [requireOtherParty(command, p.proposedBy), requireActor(command.type, command.actor, p), signedAfterProposal(p.at, command.at)]
  for (const c of checks) if (E.isLeft(c)) return c
  return E.right([{ type: 'ContractCountersigned', data: { contractId: command.contractId, countersignedBy: command.actor, at: command.at } }])
}

/** The term an amendment must fall in, and its effective instant not before `at`. */
const requireEffectiveInTerm = (
  state: Extract<ContractState, { status: 'registered' }>,
  amendment: { readonly amendmentId: string; readonly effectiveFrom: LocalDate; readonly effectiveAt: Instant; readonly changes: AmendContract['changes'] },
  contractId: string,
  at: Instant,
): E.Either<ContractError, void> => {
  const { amendmentId, effectiveFrom, effectiveAt } = amendment
  if (effectiveAt < at) {
    return E.left({
      _tag: 'AmendmentBackdated',
      message: `amendment ${amendmentId} would take effect at ${effectiveAt}, before it was signed at ${at}`,
      effectiveAt,
      at,
    })
  }
  const before = termsAt(state, effectiveAt) ?? state.registered
  if (effectiveFrom < before.term.start || effectiveFrom > before.term.end) {
    return E.left({
      _tag: 'ContractNotInForce',
      message: `amendment ${amendmentId} takes effect on ${effectiveFrom}, outside the term ${before.term.start} to ${before.term.end}`,
      contractId,
      at: effectiveAt,
      term: before.term,
    })
  }
  const termEnd = amendment.changes.termEnd
  if (termEnd !== undefined && termEnd < effectiveFrom) {
    return E.left({
      _tag: 'TermEndsBeforeStart',
      message: `amendment ${amendmentId} ends the term on ${termEnd}, before it takes effect on ${effectiveFrom}`,
      start: effectiveFrom,
      end: termEnd,
    })
  }
  return E.right(undefined)
}

const notRegistered = (contractId: string): Decision =>
  E.left({ _tag: 'ContractNotRegistered', message: `contract ${contractId} is not registered`, contractId })

const amend = (command: AmendContract, state: ContractState): Decision => {
  if (state.status !== 'registered') return notRegistered(command.contractId)
  const who = requireActor(command.type, command.actor, termsAt(state, command.at) ?? state.registered)
  if (E.isLeft(who)) return who
  if (state.amendments.some((a) => a.amendmentId === command.amendmentId) || state.pending.some((a) => a.amendmentId === command.amendmentId)) {
    return E.left({ _tag: 'AmendmentAlreadyRecorded', message: `amendment ${command.amendmentId} is already recorded`, amendmentId: command.amendmentId })
  }
  if (Object.keys(command.changes).length === 0 || (command.changes.policy !== undefined && Object.keys(command.changes).length === 1 && Object.keys(command.changes.policy).length === 0)) {
    return E.left({ _tag: 'AmendmentEmpty', message: `amendment ${command.amendmentId} changes nothing`, amendmentId: command.amendmentId })
  }
  const effectiveAt = startOfLocalDate(command.effectiveFrom, state.registered.timeZone)
  const fits = requireEffectiveInTerm(state, { ...command, effectiveAt }, command.contractId, command.at)
  if (E.isLeft(fits)) return fits
  const policy = validatePolicy(command.changes.policy ?? {})
  if (E.isLeft(policy)) return policy
  return E.right([
    {
      type: 'AmendmentProposed',
      data: {
        contractId: command.contractId,
        amendmentId: command.amendmentId,
        effectiveFrom: command.effectiveFrom,
        effectiveAt,
        changes: command.changes,
        reason: command.reason,
        proposedBy: command.actor,
        at: command.at,
      },
    },
  ])
}

const countersignAmendment = (command: CountersignAmendment, state: ContractState): Decision => {
  if (state.status !== 'registered') return notRegistered(command.contractId)
  const proposal = state.pending.find((p) => p.amendmentId === command.amendmentId)
  if (proposal === undefined) {
    return state.amendments.some((a) => a.amendmentId === command.amendmentId)
      ? E.left({ _tag: 'AmendmentAlreadyRecorded', message: `amendment ${command.amendmentId} is already signed`, amendmentId: command.amendmentId })
      : E.left({ _tag: 'AmendmentNotProposed', message: `no amendment ${command.amendmentId} awaits a countersignature`, amendmentId: command.amendmentId })
  }
  const checks = [
    requireOtherParty(command, proposal.proposedBy),
    requireActor(command.type, command.actor, termsAt(state, command.at) ?? state.registered),
    signedAfterProposal(proposal.at, command.at),
    // Signed too late, it would change results already known: the parties propose it again with a later date.
    requireEffectiveInTerm(state, proposal, command.contractId, command.at),
  ]
  for (const c of checks) if (E.isLeft(c)) return c
  return E.right([
    { type: 'AmendmentCountersigned', data: { contractId: command.contractId, amendmentId: command.amendmentId, countersignedBy: command.actor, at: command.at } },
  ])
}

const decide = (command: ContractCommand, state: ContractState): E.Either<ContractError, ReadonlyArray<ContractEvent>> => {
  // The system never signs: refused first, whatever the state (the person and the role are checked against the terms below).
  const party = requireParty(command.type, command.actor, ['customer', 'supplier'])
  if (E.isLeft(party)) return party
  switch (command.type) {
    case 'RegisterContract':
      return register(command, state)
    case 'CountersignContract':
      return countersignContract(command, state)
    case 'AmendContract':
      return amend(command, state)
    case 'CountersignAmendment':
      return countersignAmendment(command, state)
  }
}

/**
 * The contract aggregate: registration and amendments, each proposed by one party and in force once the other
 * countersigns.
 */
export const contractDecider: Decider<ContractCommand, ContractState, ContractEvent, ContractError> = {
  initialState: initialContractState,
  evolve,
  decide,
}

/**
 * Terms and SLA policy in force at an instant: the contract as signed with every amendment that
 * took effect at or before it. Defined for any instant once the contract is registered (before
 * its start too: whether it is in force is the term's business); undefined before then.
 */
export const termsInForceAt = (state: ContractState, at: Instant): TermsInForce | undefined => {
  if (state.status !== 'registered') return undefined
  const r = state.registered
  let terms: ContractTerms = {
    contractId: r.contractId,
    parties: r.parties,
    product: r.product,
    term: r.term,
    timeZone: r.timeZone,
    value: r.value,
    customizationCapBps: r.customizationCapBps,
    calendarId: r.calendarId,
    deliveryCadence: r.deliveryCadence,
    policy: r.policy,
  }
  let slaPolicy = r.slaPolicy
  let recordingPolicy = r.recordingPolicy ?? defaultRecordingPolicy
  for (const a of state.amendments) {
    if (a.effectiveAt > at) break
    const c = a.changes
    terms = {
      ...terms,
      ...(c.value === undefined ? {} : { value: c.value }),
      ...(c.customizationCapBps === undefined ? {} : { customizationCapBps: c.customizationCapBps }),
      ...(c.calendarId === undefined ? {} : { calendarId: c.calendarId }),
      ...(c.termEnd === undefined ? {} : { term: { start: terms.term.start, end: c.termEnd } }),
      ...(c.parties === undefined ? {} : { parties: c.parties }),
      ...(c.policy === undefined ? {} : { policy: { ...terms.policy, ...c.policy } }),
    }
    if (c.slaPolicy !== undefined) slaPolicy = c.slaPolicy
    if (c.recordingPolicy !== undefined) recordingPolicy = c.recordingPolicy
  }
  return { terms, slaPolicy, recordingPolicy }
}

/** The contract's terms in force at an instant; undefined before it is registered. */
export const termsAt = (state: ContractState, at: Instant): ContractTerms | undefined => termsInForceAt(state, at)?.terms

/** The SLA policy in force at an instant; undefined before the contract is registered. */
export const slaPolicyAt = (state: ContractState, at: Instant): SlaPolicy | undefined => termsInForceAt(state, at)?.slaPolicy

/** Whether the contract is in force at an instant: from 00:00 of its first day to 24:00 of its last, in its zone. */
export const isInForceAt = (terms: ContractTerms, at: Instant): boolean => {
  const day = localDateAt(at, terms.timeZone)
  return day >= terms.term.start && day <= terms.term.end
}
