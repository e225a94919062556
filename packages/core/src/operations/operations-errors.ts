/** What the recurring operations refuse. */
import type { ContractNotInForce, PersonNotListed, RoleNotHeld, WrongParty } from '../contract/contract-terms.js'
import type { DomainError } from '../kernel/domain-error.js'

// model

/** An id (archive, check, stand, move) is already recorded. */
export interface OperationAlreadyRecorded extends DomainError<'OperationAlreadyRecorded'> {
  readonly what: 'archive' | 'backup check' | 'test stand' | 'database move'
  readonly id: string
}

/** A test stand or database move that was never registered or planned. */
export interface OperationNotFound extends DomainError<'OperationNotFound'> {
  readonly what: 'test stand' | 'database move' | 'move step'
  readonly id: string
}

/** A backup check that claims a sync later than the check itself. */
export interface SyncAfterCheck extends DomainError<'SyncAfterCheck'> {
  readonly checkId: string
  readonly lastSyncedAt: string
  readonly at: string
}

/** A move step out of order: verified before executed, or executed twice. */
export interface MoveStepOutOfOrder extends DomainError<'MoveStepOutOfOrder'> {
  readonly moveId: string
  readonly stepId: string
  readonly status: string
}

/** Evidence that cannot be right: a negative size, an empty version, a move without steps. */
export interface EvidenceInvalid extends DomainError<'EvidenceInvalid'> {
  readonly field: string
}

/** Every way the operations aggregate refuses a command. */
export type OperationsError =
  | WrongParty
  | PersonNotListed
  | RoleNotHeld
  | ContractNotInForce
  | OperationAlreadyRecorded
  | OperationNotFound
  | SyncAfterCheck
  | MoveStepOutOfOrder
  | EvidenceInvalid
