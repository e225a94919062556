/** Commands of the Ticket aggregate: a customer request from filing to the accepted result. */
import * as t from 'io-ts'
import { ContractTerms } from '../contract/contract-terms.js'
import { boundedText } from '../kernel/input-codec.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { SlaPolicy } from '../sla/sla-policy.js'
import { Channel, Priority, TicketKind } from './ticket-kind.js'

// model

/** The longest subject a request may have: Redmine's own limit for an issue's subject. */
export const maxSubjectLength = 255

/** A request's one-line subject: 1 to `maxSubjectLength` characters. */
export const TicketSubject = boundedText(maxSubjectLength, 'TicketSubject', 1)

/** The brand that marks a string as a checked `TicketId`. */
export interface TicketIdBrand {
  readonly TicketId: unique symbol
}
/**
 * A ticket's id within its contract, 1 to 128 characters (a Redmine issue number, a mail's thread key). The same id on
 * two contracts names two tickets.
 */
export const TicketId = t.brand(t.string, (s): s is t.Branded<string, TicketIdBrand> => s.length > 0 && s.length <= 128, 'TicketId')
export type TicketId = t.TypeOf<typeof TicketId>

/**
 * What every ticket command carries: the ticket, who gives the command and when, and the
 * contract's terms in force then (loaded by the application from the Contract aggregate).
 */
const envelope = { ticketId: TicketId, actor: Actor, at: Instant, terms: ContractTerms }

const command = <K extends string, P extends t.Props>(type: K, props: P, optional: t.Props = {}) =>
  t.readonly(t.intersection([t.type({ type: t.literal(type), ...envelope, ...props }), t.partial(optional)]), type)

/**
 * The customer files a request. `receivedAt` is when it reached the supplier (for Redmine, the
 * issue's creation time); the command's `at` may be later. `slaPolicy` is the policy in force
 * at receipt; the ticket keeps it, so a later amendment never changes this ticket's clocks.
 */
export const FileRequest = command(
  'FileRequest',
  { kind: TicketKind, priority: Priority, channel: Channel, receivedAt: Instant, subject: TicketSubject, slaPolicy: SlaPolicy },
  {
    description: t.string,
    /** The request's key in the channel it came from (a Redmine issue number, a mail's Message-ID). */
    externalRef: t.string,
    /** For a configuration required by a change in the law: the legal act. */
    lawReference: t.string,
  },
)
export type FileRequest = t.TypeOf<typeof FileRequest>

/** The customer changes the priority it gave the request, with an optional reason; the same priority again records nothing. */
export const ChangePriority = command('ChangePriority', { priority: Priority }, { reason: t.string })
export type ChangePriority = t.TypeOf<typeof ChangePriority>

/** The supplier sets the deadline it proposes; it replaces any proposal still open. */
export const ProposeDeadline = command('ProposeDeadline', { deadline: Instant }, { note: t.string })
export type ProposeDeadline = t.TypeOf<typeof ProposeDeadline>

/** The customer agrees the proposed deadline; `deadline` names the proposal agreed. */
export const AgreeDeadline = command('AgreeDeadline', { deadline: Instant })
export type AgreeDeadline = t.TypeOf<typeof AgreeDeadline>

/** The customer rejects the deadline the supplier proposed, with a reason; the supplier proposes again. */
export const RejectDeadline = command('RejectDeadline', { deadline: Instant, reason: t.string })
export type RejectDeadline = t.TypeOf<typeof RejectDeadline>

/** Either party proposes to move an agreed deadline, with a reason; the other party confirms or declines. */
export const ProposeDeadlineChange = command('ProposeDeadlineChange', { deadline: Instant, reason: t.string })
export type ProposeDeadlineChange = t.TypeOf<typeof ProposeDeadlineChange>

/** The other party confirms the proposed move of an agreed deadline; `deadline` must be the one proposed. */
export const AgreeDeadlineChange = command('AgreeDeadlineChange', { deadline: Instant })
export type AgreeDeadlineChange = t.TypeOf<typeof AgreeDeadlineChange>

/** The other party declines the proposed move of an agreed deadline, with a reason; the agreed deadline stands. */
export const DeclineDeadlineChange = command('DeclineDeadlineChange', { deadline: Instant, reason: t.string })
export type DeclineDeadlineChange = t.TypeOf<typeof DeclineDeadlineChange>

/** The supplier hands over the result: a fix, a configuration, an answer. */
export const DeliverResult = command('DeliverResult', { deliveryId: t.string, summary: t.string })
export type DeliverResult = t.TypeOf<typeof DeliverResult>

/** The customer accepts a delivered result: the ticket is resolved and its clocks stop. */
export const AcceptResult = command('AcceptResult', { deliveryId: t.string })
export type AcceptResult = t.TypeOf<typeof AcceptResult>

/** The customer rejects the result, with a reason; the ticket is open again. */
export const RejectResult = command('RejectResult', { deliveryId: t.string, reason: t.string })
export type RejectResult = t.TypeOf<typeof RejectResult>

/** The supplier asks the customer a question: the only thing that may pause a clock. */
export const AskCustomer = command('AskCustomer', { questionId: t.string, question: t.string })
export type AskCustomer = t.TypeOf<typeof AskCustomer>

/** The customer answers a question; the clocks the question paused run again. */
export const AnswerQuestion = command('AnswerQuestion', { questionId: t.string, answer: t.string })
export type AnswerQuestion = t.TypeOf<typeof AnswerQuestion>

/** Any ticket command, decoded from input at the entrance (`type` picks the command). */
export const TicketCommand = t.union(
  [
    FileRequest,
    ChangePriority,
    ProposeDeadline,
    AgreeDeadline,
    RejectDeadline,
    ProposeDeadlineChange,
    AgreeDeadlineChange,
    DeclineDeadlineChange,
    DeliverResult,
    AcceptResult,
    RejectResult,
    AskCustomer,
    AnswerQuestion,
  ],
  'TicketCommand',
)
export type TicketCommand = t.TypeOf<typeof TicketCommand>
