/** What the customization budget refuses. */
import type { ContractNotInForce, PersonNotListed, RoleNotHeld, WrongParty } from '../contract/contract-terms.js'
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'

// model

/** Approving this change would take approved plus spent above the cap in force. All amounts in tiyn. */
export interface CapExceeded extends DomainError<'CapExceeded'> {
  readonly changeId: string
  /** The cap in force: contract value × cap basis points / 10000, rounded down. */
  readonly cap: number
  /** Approved (not yet accepted) plus spent, before this change. */
  readonly committed: number
  readonly requested: number
  /** How far committed plus requested would go over the cap. */
  readonly shortfall: number
  /** When the cap exceeded takes effect, if it is one recorded to take effect after the approval. */
  readonly capEffectiveAt?: Instant
}

/** An amendment would set the cap below what is already committed. */
export interface CommitmentsExceedAmendedCap extends DomainError<'CommitmentsExceedAmendedCap'> {
  readonly amendedValue: number
  readonly amendedCap: number
  readonly committed: number
}

export interface ChangeNotFound extends DomainError<'ChangeNotFound'> {
  readonly changeId: string
}

export interface ChangeAlreadyEstimated extends DomainError<'ChangeAlreadyEstimated'> {
  readonly changeId: string
}

/** The change is not in a status the command applies to (e.g. accepting a change never delivered). */
export interface ChangeStatusForbids extends DomainError<'ChangeStatusForbids'> {
  readonly changeId: string
  readonly command: string
  readonly status: string
}

export interface EstimateNotPositive extends DomainError<'EstimateNotPositive'> {
  readonly changeId: string
  readonly amount: number
}

/** A step on a change dated before the change's last recorded step: its history runs forward only. */
export interface StepDatedBeforeChangeHistory extends DomainError<'StepDatedBeforeChangeHistory'> {
  readonly changeId: string
  readonly at: Instant
  readonly last: Instant
}

/** Every way the budget aggregate refuses a command. */
export type BudgetError =
  | WrongParty
  | PersonNotListed
  | RoleNotHeld
  | ContractNotInForce
  | CapExceeded
  | ChangeNotFound
  | ChangeAlreadyEstimated
  | ChangeStatusForbids
  | EstimateNotPositive
  | StepDatedBeforeChangeHistory
