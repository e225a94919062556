/** The Contract aggregate: its terms as signed and as amended, and the terms in force at any instant. */
import * as E from 'fp-ts/lib/Either.js'
import { IANAZone } from 'luxon'
import type { Decider } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { SlaPolicy } from '../sla/sla-policy.js'
import { defaultRecordingPolicy, type RecordingPolicy } from './recording-policy.js'
import { localDateAt, requireParty, startOfLocalDate } from './command-guards.js'
import type { AmendContract, ContractCommand, RegisterContract } from './contract-commands.js'
import type { ContractError } from './contract-errors.js'
import type { ContractAmended, ContractEvent, ContractRegistered } from './contract-events.js'
import type { ContractTerms } from './contract-terms.js'

// model

export type ContractState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered'
      readonly registered: ContractRegistered
      /** In the order they take effect; amendments with the same effective instant in the order recorded. */
      readonly amendments: ReadonlyArray<ContractAmended>
    }

/** The terms in force at an instant, with the SLA policy in force: what a ticket command carries. */
export interface TermsInForce {
  readonly terms: ContractTerms
  readonly slaPolicy: SlaPolicy
  readonly recordingPolicy: RecordingPolicy
}

// constructors

export const initialContractState: ContractState = { status: 'unregistered' }

// operations

const evolve = (state: ContractState, event: ContractEvent): ContractState => {
  switch (event.type) {
    case 'ContractRegistered':
      return { status: 'registered', registered: event.data, amendments: [] }
    case 'ContractAmended': {
      if (state.status !== 'registered') return state
      const amendments = [...state.amendments]
      let i = amendments.length
      while (i > 0 && (amendments[i - 1]?.effectiveAt ?? '') > event.data.effectiveAt) i--
      amendments.splice(i, 0, event.data)
      return { ...state, amendments }
    }
  }
}

const register = (command: RegisterContract, state: ContractState): E.Either<ContractError, ReadonlyArray<ContractEvent>> => {
  const party = requireParty(command.type, command.actor, ['customer', 'supplier'])
  if (E.isLeft(party)) return party
  if (state.status === 'registered') {
    return E.left({ _tag: 'ContractAlreadyRegistered', message: `contract ${command.contractId} is already registered`, contractId: command.contractId })
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
  const { type: _type, actor: _actor, ...data } = command
  return E.right([{ type: 'ContractRegistered', data }])
}

const amend = (command: AmendContract, state: ContractState): E.Either<ContractError, ReadonlyArray<ContractEvent>> => {
  const party = requireParty(command.type, command.actor, ['customer', 'supplier'])
  if (E.isLeft(party)) return party
  if (state.status !== 'registered') {
    return E.left({ _tag: 'ContractNotRegistered', message: `contract ${command.contractId} is not registered`, contractId: command.contractId })
  }
  if (state.amendments.some((a) => a.amendmentId === command.amendmentId)) {
    return E.left({ _tag: 'AmendmentAlreadyRecorded', message: `amendment ${command.amendmentId} is already recorded`, amendmentId: command.amendmentId })
  }
  if (Object.keys(command.changes).length === 0) {
    return E.left({ _tag: 'AmendmentEmpty', message: `amendment ${command.amendmentId} changes nothing`, amendmentId: command.amendmentId })
  }
  const zone = state.registered.timeZone
  const effectiveAt = startOfLocalDate(command.effectiveFrom, zone)
  if (effectiveAt < command.at) {
    return E.left({
      _tag: 'AmendmentBackdated',
      message: `amendment ${command.amendmentId} would take effect at ${effectiveAt}, before it was recorded at ${command.at}`,
      effectiveAt,
      at: command.at,
    })
  }
  const before = termsAt(state, effectiveAt) ?? state.registered
  if (command.effectiveFrom < before.term.start || command.effectiveFrom > before.term.end) {
    return E.left({
      _tag: 'ContractNotInForce',
      message: `amendment ${command.amendmentId} takes effect on ${command.effectiveFrom}, outside the term ${before.term.start} to ${before.term.end}`,
      contractId: command.contractId,
      at: effectiveAt,
      term: before.term,
    })
  }
  const termEnd = command.changes.termEnd
  if (termEnd !== undefined && termEnd < command.effectiveFrom) {
    return E.left({
      _tag: 'TermEndsBeforeStart',
      message: `amendment ${command.amendmentId} ends the term on ${termEnd}, before it takes effect on ${command.effectiveFrom}`,
      start: command.effectiveFrom,
      end: termEnd,
    })
  }
  return E.right([
    {
      type: 'ContractAmended',
      data: {
        contractId: command.contractId,
        amendmentId: command.amendmentId,
        effectiveFrom: command.effectiveFrom,
        effectiveAt,
        changes: command.changes,
        reason: command.reason,
        at: command.at,
      },
    },
  ])
}

const decide = (command: ContractCommand, state: ContractState): E.Either<ContractError, ReadonlyArray<ContractEvent>> => {
  switch (command.type) {
    case 'RegisterContract':
      return register(command, state)
    case 'AmendContract':
      return amend(command, state)
  }
}

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
