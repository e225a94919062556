/** Why the Ticket aggregate refuses a command. */
import type { ContractNotInForce, PersonNotListed, RoleNotHeld, WrongParty } from '../contract/contract-terms.js'
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'
import type { CalendarNotFound } from '../sla/agreed-deadline-due.js'

// model

/** Every ticket refusal names the ticket. */
export interface TicketRefusal<Tag extends string> extends DomainError<Tag> {
  readonly ticketId: string
}

/** The ticket's request was filed before: a second `FileRequest` for the same ticket is refused. */
export type TicketAlreadyFiled = TicketRefusal<'TicketAlreadyFiled'>
/** The command names a ticket whose request was never filed. */
export type TicketNotFiled = TicketRefusal<'TicketNotFiled'>
/** The customer accepted a result: the ticket is closed. */
export type TicketResolved = TicketRefusal<'TicketResolved'>

/** The command's terms are another contract's. */
export interface ContractMismatch extends TicketRefusal<'ContractMismatch'> {
  readonly expected: string
  readonly actual: string
}

/** The command is dated before the ticket's last event: a ticket's history runs forward. */
export interface EarlierThanHistory extends TicketRefusal<'EarlierThanHistory'> {
  readonly at: Instant
  readonly last: Instant
}

/** The request is said to have been received after it was filed. */
export interface ReceivedAfterFiling extends TicketRefusal<'ReceivedAfterFiling'> {
  readonly receivedAt: Instant
  readonly at: Instant
}

export interface DeadlineNotInFuture extends TicketRefusal<'DeadlineNotInFuture'> {
  readonly deadline: Instant
  readonly at: Instant
}

/** No proposed deadline is open, so there is nothing to agree to or reject. */
export type NoDeadlineProposed = TicketRefusal<'NoDeadlineProposed'>

/** The command names a deadline other than the one open for agreement. */
export interface DeadlineMismatch extends TicketRefusal<'DeadlineMismatch'> {
  readonly expected: Instant
  readonly actual: Instant
}

/** A deadline is agreed already: moving it takes both parties (`ProposeDeadlineChange`). */
export interface DeadlineAlreadyAgreed extends TicketRefusal<'DeadlineAlreadyAgreed'> {
  readonly deadline: Instant
}

/** The ticket has no agreed deadline, so there is nothing to move. */
export type DeadlineNotAgreed = TicketRefusal<'DeadlineNotAgreed'>
/** No move of the agreed deadline is open, so there is nothing to confirm or decline. */
export type NoDeadlineChangeProposed = TicketRefusal<'NoDeadlineChangeProposed'>

/** The agreed deadline has passed: moving it now would excuse a breach after the fact. */
export interface AgreedDeadlinePassed extends TicketRefusal<'AgreedDeadlinePassed'> {
  readonly deadline: Instant
  readonly at: Instant
}

/** A rejection, a renegotiation or a declined change needs a reason. */
export interface ReasonMissing extends TicketRefusal<'ReasonMissing'> {
  readonly command: string
}

/** A result is with the customer already; it must be accepted or rejected first. */
export interface ResultAwaitingAcceptance extends TicketRefusal<'ResultAwaitingAcceptance'> {
  readonly deliveryId: string
}

export interface DeliveryAlreadyRecorded extends TicketRefusal<'DeliveryAlreadyRecorded'> {
  readonly deliveryId: string
}

/** No result with this id awaits the customer's verdict. */
export interface NoResultAwaiting extends TicketRefusal<'NoResultAwaiting'> {
  readonly deliveryId: string
}

export interface QuestionAlreadyAsked extends TicketRefusal<'QuestionAlreadyAsked'> {
  readonly questionId: string
}

/** No question with this id is waiting for an answer. */
export interface QuestionNotOpen extends TicketRefusal<'QuestionNotOpen'> {
  readonly questionId: string
}

/** Every way the ticket aggregate refuses a command. */
export type TicketError =
  | WrongParty
  | PersonNotListed
  | RoleNotHeld
  | ContractNotInForce
  | TicketAlreadyFiled
  | TicketNotFiled
  | TicketResolved
  | ContractMismatch
  | EarlierThanHistory
  | ReceivedAfterFiling
  | DeadlineNotInFuture
  | NoDeadlineProposed
  | DeadlineMismatch
  | DeadlineAlreadyAgreed
  | DeadlineNotAgreed
  | NoDeadlineChangeProposed
  | AgreedDeadlinePassed
  | ReasonMissing
  | ResultAwaitingAcceptance
  | DeliveryAlreadyRecorded
  | NoResultAwaiting
  | QuestionAlreadyAsked
  | QuestionNotOpen
  | CalendarNotFound
