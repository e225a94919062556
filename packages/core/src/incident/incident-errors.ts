/** What the incident aggregate refuses, each a fact about the command and the incident. */
import type { ContractNotInForce, PersonNotListed, RoleNotHeld, WrongParty } from '../contract/contract-terms.js'
import type { DomainError } from '../kernel/domain-error.js'

// model

/** The command needs an incident that was never reported. */
export interface IncidentNotFound extends DomainError<'IncidentNotFound'> {
  readonly incidentId: string
}

/** The incident was already reported under this id. */
export interface IncidentAlreadyReported extends DomainError<'IncidentAlreadyReported'> {
  readonly incidentId: string
}

/** The command does not fit where the incident is now (e.g. an arrival before any on-site demand). */
export interface IncidentStepOutOfOrder extends DomainError<'IncidentStepOutOfOrder'> {
  readonly incidentId: string
  readonly command: string
  readonly phase: string
}

/** A failure report needs at least one root cause and one preventive measure. */
export interface FailureReportIncomplete extends DomainError<'FailureReportIncomplete'> {
  readonly incidentId: string
  readonly missing: ReadonlyArray<'rootCauses' | 'preventiveMeasures'>
}

/** An incident is closed only once its failure report has been accepted. */
export interface FailureReportNotAccepted extends DomainError<'FailureReportNotAccepted'> {
  readonly incidentId: string
  readonly phase: string
}

/** The command names another contract than the one the incident was reported under. */
export interface IncidentContractMismatch extends DomainError<'ContractMismatch'> {
  readonly incidentId: string
  readonly expected: string
  readonly actual: string
}

/** The command names a time earlier than a step already recorded: history runs forward. */
export interface IncidentTimeRunsBackwards extends DomainError<'IncidentTimeRunsBackwards'> {
  readonly incidentId: string
  readonly at: string
  readonly latest: string
}

/** Every way the incident aggregate refuses a command. */
export type IncidentError =
  | WrongParty
  | PersonNotListed
  | RoleNotHeld
  | ContractNotInForce
  | IncidentNotFound
  | IncidentAlreadyReported
  | IncidentStepOutOfOrder
  | FailureReportIncomplete
  | FailureReportNotAccepted
  | IncidentTimeRunsBackwards
  | IncidentContractMismatch
