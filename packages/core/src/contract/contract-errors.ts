/** Why the Contract aggregate refuses a command. */
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'
import type { PolicyRuleInvalid } from './contract-policy.js'
import type { ContractNotInForce, PersonNotListed, RoleNotHeld, WrongParty } from './contract-terms.js'

// model

export interface ContractAlreadyRegistered extends DomainError<'ContractAlreadyRegistered'> {
  readonly contractId: string
}

/** Terms are already proposed and await the other party's signature. */
export interface ContractAlreadyProposed extends DomainError<'ContractAlreadyProposed'> {
  readonly contractId: string
}

/** There are no proposed terms to countersign. */
export interface ContractNotProposed extends DomainError<'ContractNotProposed'> {
  readonly contractId: string
}

/** No amendment with this id awaits a countersignature. */
export interface AmendmentNotProposed extends DomainError<'AmendmentNotProposed'> {
  readonly amendmentId: string
}

/** A countersignature dated before the proposal it signs. */
export interface SignedBeforeProposed extends DomainError<'SignedBeforeProposed'> {
  readonly proposedAt: Instant
  readonly at: Instant
}

export interface ContractNotRegistered extends DomainError<'ContractNotRegistered'> {
  readonly contractId: string
}

/** The term's last day is before its first. */
export interface TermEndsBeforeStart extends DomainError<'TermEndsBeforeStart'> {
  readonly start: string
  readonly end: string
}

export interface UnknownTimeZone extends DomainError<'UnknownTimeZone'> {
  readonly timeZone: string
}

/** An amendment would take effect before it was recorded, and so change results already known. */
export interface AmendmentBackdated extends DomainError<'AmendmentBackdated'> {
  readonly effectiveAt: Instant
  readonly at: Instant
}

export interface AmendmentEmpty extends DomainError<'AmendmentEmpty'> {
  readonly amendmentId: string
}

export interface AmendmentAlreadyRecorded extends DomainError<'AmendmentAlreadyRecorded'> {
  readonly amendmentId: string
}

/** Every way the contract aggregate refuses a command. */
export type ContractError =
  | WrongParty
  | PersonNotListed
  | RoleNotHeld
  | PolicyRuleInvalid
  | ContractAlreadyProposed
  | ContractNotProposed
  | AmendmentNotProposed
  | SignedBeforeProposed
  | ContractNotInForce
  | ContractAlreadyRegistered
  | ContractNotRegistered
  | TermEndsBeforeStart
  | UnknownTimeZone
  | AmendmentBackdated
  | AmendmentEmpty
  | AmendmentAlreadyRecorded
