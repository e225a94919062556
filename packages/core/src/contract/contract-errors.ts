/** Why the Contract aggregate refuses a command. */
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'
import type { ContractNotInForce, WrongParty } from './contract-terms.js'

// model

export interface ContractAlreadyRegistered extends DomainError<'ContractAlreadyRegistered'> {
  readonly contractId: string
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

export type ContractError =
  | WrongParty
  | ContractNotInForce
  | ContractAlreadyRegistered
  | ContractNotRegistered
  | TermEndsBeforeStart
  | UnknownTimeZone
  | AmendmentBackdated
  | AmendmentEmpty
  | AmendmentAlreadyRecorded
