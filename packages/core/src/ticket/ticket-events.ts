/** Events of the Ticket aggregate and their catalog. */
import * as t from 'io-ts'
import { ContractId } from '../contract/contract-terms.js'
import { eventCatalog, eventType } from '../kernel/event-catalog.js'
import { Instant } from '../kernel/instant.js'
import { Party } from '../kernel/recorded-event.js'
import { ObligationName } from '../sla/obligation.js'
import { SlaPolicy } from '../sla/sla-policy.js'
import { TicketId } from './ticket-commands.js'
import { Channel, Priority, TicketKind } from './ticket-kind.js'

// codecs

const event = <P extends t.Props>(name: string, props: P, optional: t.Props = {}) =>
  t.readonly(t.intersection([t.type({ ticketId: TicketId, at: Instant, ...props }), t.partial(optional)]), name)

/** Carries the SLA policy and calendar in force at receipt: this ticket's clocks run on them to the end. */
export const RequestFiled = event(
  'RequestFiled',
  {
    contractId: ContractId,
    kind: TicketKind,
    priority: Priority,
    channel: Channel,
    receivedAt: Instant,
    subject: t.string,
    calendarId: t.string,
    timeZone: t.string,
    slaPolicy: SlaPolicy,
  },
  { description: t.string, externalRef: t.string, lawReference: t.string },
)
export type RequestFiled = t.TypeOf<typeof RequestFiled>

/** The customer changed the request's priority, from `from` to `to`. */
export const PriorityChanged = event('PriorityChanged', { from: Priority, to: Priority }, { reason: t.string })
export type PriorityChanged = t.TypeOf<typeof PriorityChanged>

/** The supplier proposed a deadline for the result; it replaces any proposal still open. */
export const DeadlineProposed = event('DeadlineProposed', { deadline: Instant }, { note: t.string })
export type DeadlineProposed = t.TypeOf<typeof DeadlineProposed>

/** The customer agreed to the proposed deadline: the fix is now due by it. */
export const DeadlineAgreed = event('DeadlineAgreed', { deadline: Instant })
export type DeadlineAgreed = t.TypeOf<typeof DeadlineAgreed>

/** The customer rejected the proposed deadline, with a reason. */
export const DeadlineRejected = event('DeadlineRejected', { deadline: Instant, reason: t.string })
export type DeadlineRejected = t.TypeOf<typeof DeadlineRejected>

/** A party (`proposedBy`) proposed to move the agreed deadline, with a reason. */
export const DeadlineChangeProposed = event('DeadlineChangeProposed', { deadline: Instant, reason: t.string, proposedBy: Party })
export type DeadlineChangeProposed = t.TypeOf<typeof DeadlineChangeProposed>

/** `previous` is the deadline it replaces; `reason` is the one given with the proposal. */
export const DeadlineChangeAgreed = event('DeadlineChangeAgreed', { previous: Instant, deadline: Instant, reason: t.string })
export type DeadlineChangeAgreed = t.TypeOf<typeof DeadlineChangeAgreed>

/** The other party declined to move the agreed deadline; it stands. */
export const DeadlineChangeDeclined = event('DeadlineChangeDeclined', { deadline: Instant, reason: t.string })
export type DeadlineChangeDeclined = t.TypeOf<typeof DeadlineChangeDeclined>

/** The supplier handed over a result, named by `deliveryId`. */
export const ResultDelivered = event('ResultDelivered', { deliveryId: t.string, summary: t.string })
export type ResultDelivered = t.TypeOf<typeof ResultDelivered>

/** The customer accepted the result: the ticket is resolved. */
export const ResultAccepted = event('ResultAccepted', { deliveryId: t.string })
export type ResultAccepted = t.TypeOf<typeof ResultAccepted>

/** The customer rejected the result, with a reason: the ticket is open again. */
export const ResultRejected = event('ResultRejected', { deliveryId: t.string, reason: t.string })
export type ResultRejected = t.TypeOf<typeof ResultRejected>

/** `pauses` names the clocks this question pauses until it is answered, so the customer sees which. */
export const CustomerAsked = event('CustomerAsked', { questionId: t.string, question: t.string, pauses: t.readonlyArray(ObligationName) })
export type CustomerAsked = t.TypeOf<typeof CustomerAsked>

/** The customer answered a question; the clocks it paused run again. */
export const QuestionAnswered = event('QuestionAnswered', { questionId: t.string, answer: t.string })
export type QuestionAnswered = t.TypeOf<typeof QuestionAnswered>

/** The catalog of ticket events, with their codecs and upcasters: what a store of ticket streams is built with. */
export const ticketEvents = eventCatalog([
  eventType('RequestFiled', RequestFiled),
  eventType('PriorityChanged', PriorityChanged),
  eventType('DeadlineProposed', DeadlineProposed),
  eventType('DeadlineAgreed', DeadlineAgreed),
  eventType('DeadlineRejected', DeadlineRejected),
  eventType('DeadlineChangeProposed', DeadlineChangeProposed),
  eventType('DeadlineChangeAgreed', DeadlineChangeAgreed),
  eventType('DeadlineChangeDeclined', DeadlineChangeDeclined),
  eventType('ResultDelivered', ResultDelivered),
  eventType('ResultAccepted', ResultAccepted),
  eventType('ResultRejected', ResultRejected),
  eventType('CustomerAsked', CustomerAsked),
  eventType('QuestionAnswered', QuestionAnswered),
])

// model

/** Any event of a ticket stream. */
export type TicketEvent = typeof ticketEvents extends { readonly codec: t.Type<infer Ev, unknown, unknown> } ? Ev : never
/** The `type` of any ticket event. */
export type TicketEventType = TicketEvent['type']

/**
 * A ticket's stream, scoped by its contract: the same `T-1` on two contracts is two tickets. Each id
 * is URI-encoded so no pair of ids can name another pair's stream.
 */
export const ticketStreamId = (contractId: string, ticketId: string): string => `ticket-${encodeURIComponent(contractId)}/${encodeURIComponent(ticketId)}`
