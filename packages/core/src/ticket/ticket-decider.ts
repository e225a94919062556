/** The Ticket aggregate: a customer request, its deadline agreement, its result and the questions asked on it. */
import * as E from 'fp-ts/lib/Either.js'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { requireActor, requireInForce } from '../contract/command-guards.js'
import type { ContractId, WrongParty } from '../contract/contract-terms.js'
import type { Decider } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { Party } from '../kernel/recorded-event.js'
import type { ObligationName } from '../sla/obligation.js'
import { agreedDeadlineDue, type CalendarNotFound } from '../sla/agreed-deadline-due.js'
import { ruleFor, type SlaPolicy } from '../sla/sla-policy.js'
import type { FileRequest, TicketCommand, TicketId } from './ticket-commands.js'
import type { TicketError } from './ticket-errors.js'
import type { TicketEvent } from './ticket-events.js'
import type { Priority, TicketKind } from './ticket-kind.js'

// model

/**
 * A ticket after its request was filed: what was asked, under which SLA policy, and where each agreement and result
 * stands.
 */
export interface FiledTicket {
  /** `resolved` once the customer accepts a result. */
  readonly status: 'open' | 'resolved'
  readonly ticketId: TicketId
  readonly contractId: ContractId
  readonly kind: TicketKind
  readonly priority: Priority
  readonly receivedAt: Instant
  readonly slaPolicy: SlaPolicy
  readonly calendarId: string
  /** When the latest event happened: commands may not be dated before it. */
  readonly last: Instant
  /** The proposal open for the customer's answer. */
  readonly proposal: Instant | undefined
  /** Whether a deadline was ever proposed (it stops the clause 2 clock). */
  readonly proposed: boolean
  readonly agreedDeadline: Instant | undefined
  /** When the first deadline was agreed, and the priority then: the agreed-deadline clock starts there, on that priority's rule. */
  readonly agreed: { readonly at: Instant; readonly priority: Priority } | undefined
  /** The questions that paused the agreed-deadline clock (empty unless the policy lets questions pause it). */
  readonly deadlinePauses: ReadonlyArray<{ readonly questionId: string; readonly from: Instant; readonly to?: Instant }>
  /** A change of the agreed deadline open for the other party's answer. */
  readonly change: { readonly deadline: Instant; readonly reason: string; readonly proposedBy: Party } | undefined
  /** The result with the customer, awaiting acceptance or rejection. */
  readonly awaiting: string | undefined
  readonly deliveryIds: ReadonlyArray<string>
  readonly questionIds: ReadonlyArray<string>
  readonly openQuestions: ReadonlyArray<string>
}

/** A ticket's state: `unfiled` until its `RequestFiled` event, then a `FiledTicket`. */
export type TicketState = { readonly status: 'unfiled' } | FiledTicket

// constructors

/** The state of a ticket stream with no events: nothing filed yet. */
export const initialTicketState: TicketState = { status: 'unfiled' }

/** The parties that may give each command, as `whoMayAct` names them with their roles (the decider checks that table). Changes of an agreed deadline then need the party that did not propose. */
export const partiesFor: Readonly<Record<TicketCommand['type'], ReadonlyArray<Party>>> = {
  FileRequest: ['customer'],
  ChangePriority: ['customer'],
  ProposeDeadline: ['supplier'],
  AgreeDeadline: ['customer'],
  RejectDeadline: ['customer'],
  ProposeDeadlineChange: ['customer', 'supplier'],
  AgreeDeadlineChange: ['customer', 'supplier'],
  DeclineDeadlineChange: ['customer', 'supplier'],
  DeliverResult: ['supplier'],
  AcceptResult: ['customer'],
  RejectResult: ['customer'],
  AskCustomer: ['supplier'],
  AnswerQuestion: ['customer'],
}

// operations

const evolveFiled = (s: FiledTicket, event: TicketEvent): FiledTicket => {
  const last = event.data.at > s.last ? event.data.at : s.last
  switch (event.type) {
    case 'RequestFiled':
      return s
    case 'PriorityChanged':
      return { ...s, last, priority: event.data.to }
    case 'DeadlineProposed':
      return { ...s, last, proposal: event.data.deadline, proposed: true }
    case 'DeadlineAgreed':
      return { ...s, last, proposal: undefined, agreedDeadline: event.data.deadline, agreed: s.agreed ?? { at: event.data.at, priority: s.priority } }
    case 'DeadlineRejected':
      return { ...s, last, proposal: undefined }
    case 'DeadlineChangeProposed':
      return { ...s, last, change: { deadline: event.data.deadline, reason: event.data.reason, proposedBy: event.data.proposedBy } }
    case 'DeadlineChangeAgreed':
      return { ...s, last, change: undefined, agreedDeadline: event.data.deadline }
    case 'DeadlineChangeDeclined':
      return { ...s, last, change: undefined }
    case 'ResultDelivered':
      return { ...s, last, awaiting: event.data.deliveryId, deliveryIds: [...s.deliveryIds, event.data.deliveryId] }
    case 'ResultAccepted':
      return { ...s, last, awaiting: undefined, status: 'resolved', change: undefined, proposal: undefined }
    case 'ResultRejected':
      return { ...s, last, awaiting: undefined }
    case 'CustomerAsked':
      return {
        ...s,
        last,
        questionIds: [...s.questionIds, event.data.questionId],
        openQuestions: [...s.openQuestions, event.data.questionId],
        deadlinePauses: event.data.pauses.includes('agreed-deadline')
          ? [...s.deadlinePauses, { questionId: event.data.questionId, from: event.data.at }]
          : s.deadlinePauses,
      }
    case 'QuestionAnswered':
      return {
        ...s,
        last,
        openQuestions: s.openQuestions.filter((q) => q !== event.data.questionId),
        deadlinePauses: s.deadlinePauses.map((p) => (p.questionId === event.data.questionId && p.to === undefined ? { ...p, to: event.data.at } : p)),
      }
  }
}

const evolve = (state: TicketState, event: TicketEvent): TicketState => {
  if (state.status !== 'unfiled') return evolveFiled(state, event)
  if (event.type !== 'RequestFiled') return state
  const d = event.data
  return {
    status: 'open',
    ticketId: d.ticketId,
    contractId: d.contractId,
    kind: d.kind,
    priority: d.priority,
    receivedAt: d.receivedAt,
    slaPolicy: d.slaPolicy,
    calendarId: d.calendarId,
    last: d.at,
    proposal: undefined,
    proposed: false,
    agreedDeadline: undefined,
    agreed: undefined,
    deadlinePauses: [],
    change: undefined,
    awaiting: undefined,
    deliveryIds: [],
    questionIds: [],
    openQuestions: [],
  }
}

type Decision = E.Either<TicketError, ReadonlyArray<TicketEvent>>

const refuse = <Tag extends TicketError['_tag']>(error: Extract<TicketError, { _tag: Tag }>): Decision => E.left(error)

const blank = (s: string): boolean => s.trim().length === 0

const file = (c: FileRequest, state: TicketState): Decision => {
  if (state.status !== 'unfiled') {
    return refuse({ _tag: 'TicketAlreadyFiled', message: `ticket ${c.ticketId} is already filed`, ticketId: c.ticketId })
  }
  if (c.receivedAt > c.at) {
    return refuse({
      _tag: 'ReceivedAfterFiling',
      message: `ticket ${c.ticketId} is said to be received at ${c.receivedAt}, after it was filed at ${c.at}`,
      ticketId: c.ticketId,
      receivedAt: c.receivedAt,
      at: c.at,
    })
  }
  // A request counts from when it reached the supplier: one received on the term's last evening is in time.
  const inForce = requireInForce(c.terms, c.receivedAt)
  if (E.isLeft(inForce)) return inForce
  // No count of earlier requests is consulted here: consultations (clause 1) are unlimited while in force.
  return E.right([
    {
      type: 'RequestFiled',
      data: {
        ticketId: c.ticketId,
        at: c.at,
        contractId: c.terms.contractId,
        kind: c.kind,
        priority: c.priority,
        channel: c.channel,
        receivedAt: c.receivedAt,
        subject: c.subject,
        calendarId: c.terms.calendarId,
        timeZone: c.terms.timeZone,
        slaPolicy: c.slaPolicy,
        ...(c.description === undefined ? {} : { description: c.description }),
        ...(c.externalRef === undefined ? {} : { externalRef: c.externalRef }),
        ...(c.lawReference === undefined ? {} : { lawReference: c.lawReference }),
      },
    },
  ])
}

/**
 * The agreed deadline's due instant in force at `at`, by the same rule the verdicts use: the
 * agreed instant, later by the time pausing questions stayed open. Undefined while one is open,
 * or before any agreement.
 */
export const dueInForceAt = (s: FiledTicket, at: Instant, calendars: CalendarRegistry): E.Either<CalendarNotFound, Instant | undefined> =>
  s.agreed === undefined || s.agreedDeadline === undefined
    ? E.right(undefined)
    : agreedDeadlineDue(
        {
          measure: ruleFor(s.slaPolicy.agreedDeadline, s.agreed.priority).measure,
          calendarId: s.calendarId,
          agreedAt: s.agreed.at,
          deadline: s.agreedDeadline,
          pauses: s.deadlinePauses,
        },
        at,
        calendars,
      )

/**
 * The clocks a question asked now pauses: the running ones whose rule lets a question pause them.
 * `due` is the agreed deadline's due instant in force now (undefined while already paused).
 */
export const clocksPausedByQuestion = (s: FiledTicket, at: Instant, due: Instant | undefined = s.agreedDeadline): ReadonlyArray<ObligationName> => {
  const out: ObligationName[] = []
  const proposal = s.slaPolicy.deadlineProposal
  if (proposal.kinds.includes(s.kind) && !s.proposed && s.deliveryIds.length === 0 && ruleFor(proposal.rules, s.priority).pausable) {
    out.push('deadline-proposal')
  }
  const rule = ruleFor(s.slaPolicy.agreedDeadline, s.agreed?.priority ?? s.priority)
  if (s.agreedDeadline !== undefined && (due === undefined || at <= due) && s.awaiting === undefined && rule.pausable) {
    out.push('agreed-deadline')
  }
  return out
}

const decideFiled = (c: Exclude<TicketCommand, FileRequest>, s: FiledTicket, calendars: CalendarRegistry): Decision => {
  const ticketId = s.ticketId
  // One due instant everywhere: the decider compares with the deadline the verdicts use.
  const dueNow = () => dueInForceAt(s, c.at, calendars)
  const base = { ticketId, at: c.at }
  const mismatch = (expected: Instant, actual: Instant) =>
    refuse({ _tag: 'DeadlineMismatch', message: `ticket ${ticketId}: the deadline open for agreement is ${expected}, not ${actual}`, ticketId, expected, actual })
  const noReason = () => refuse({ _tag: 'ReasonMissing', message: `${c.type} on ticket ${ticketId} needs a reason`, ticketId, command: c.type })
  const notInFuture = (deadline: Instant) =>
    refuse({ _tag: 'DeadlineNotInFuture', message: `ticket ${ticketId}: deadline ${deadline} is not after ${c.at}`, ticketId, deadline, at: c.at })
  const passed = (deadline: Instant) =>
    refuse({
      _tag: 'AgreedDeadlinePassed',
      message: `ticket ${ticketId}: the agreed deadline, due at ${deadline} with any pauses, passed before ${c.at}`,
      ticketId,
      deadline,
      at: c.at,
    })

  switch (c.type) {
    case 'ChangePriority':
      if (c.priority === s.priority) return E.right([])
      return E.right([{ type: 'PriorityChanged', data: { ...base, from: s.priority, to: c.priority, ...(c.reason === undefined ? {} : { reason: c.reason }) } }])

    case 'ProposeDeadline':
      if (s.agreedDeadline !== undefined) {
        return refuse({
          _tag: 'DeadlineAlreadyAgreed',
          message: `ticket ${ticketId}: deadline ${s.agreedDeadline} is agreed; moving it takes both parties`,
          ticketId,
          deadline: s.agreedDeadline,
        })
      }
      if (c.deadline <= c.at) return notInFuture(c.deadline)
      return E.right([{ type: 'DeadlineProposed', data: { ...base, deadline: c.deadline, ...(c.note === undefined ? {} : { note: c.note }) } }])

    case 'AgreeDeadline':
    case 'RejectDeadline': {
      if (s.proposal === undefined) return refuse({ _tag: 'NoDeadlineProposed', message: `ticket ${ticketId} has no deadline proposal open`, ticketId })
      if (c.deadline !== s.proposal) return mismatch(s.proposal, c.deadline)
      if (c.type === 'RejectDeadline') {
        if (blank(c.reason)) return noReason()
        return E.right([{ type: 'DeadlineRejected', data: { ...base, deadline: c.deadline, reason: c.reason } }])
      }
      if (c.deadline <= c.at) return notInFuture(c.deadline)
      return E.right([{ type: 'DeadlineAgreed', data: { ...base, deadline: c.deadline } }])
    }

    case 'ProposeDeadlineChange': {
      if (s.agreedDeadline === undefined) return refuse({ _tag: 'DeadlineNotAgreed', message: `ticket ${ticketId} has no agreed deadline to change`, ticketId })
      if (blank(c.reason)) return noReason()
      const due = dueNow()
      if (E.isLeft(due)) return due
      if (due.right !== undefined && c.at > due.right) return passed(due.right)
      if (c.deadline <= c.at) return notInFuture(c.deadline)
      return E.right([{ type: 'DeadlineChangeProposed', data: { ...base, deadline: c.deadline, reason: c.reason, proposedBy: c.actor.party } }])
    }

    case 'AgreeDeadlineChange':
    case 'DeclineDeadlineChange': {
      if (s.change === undefined || s.agreedDeadline === undefined) {
        return refuse({ _tag: 'NoDeadlineChangeProposed', message: `ticket ${ticketId} has no deadline change open`, ticketId })
      }
      if (c.actor.party === s.change.proposedBy) {
        const other: Party = s.change.proposedBy === 'customer' ? 'supplier' : 'customer'
        const wrong: WrongParty = {
          _tag: 'WrongParty',
          message: `${c.type} must come from the ${other}, who did not propose the change, not the ${c.actor.party} (${c.actor.id})`,
          command: c.type,
          expected: [other],
          actual: c.actor,
        }
        return E.left(wrong)
      }
      if (c.deadline !== s.change.deadline) return mismatch(s.change.deadline, c.deadline)
      if (c.type === 'DeclineDeadlineChange') {
        if (blank(c.reason)) return noReason()
        return E.right([{ type: 'DeadlineChangeDeclined', data: { ...base, deadline: c.deadline, reason: c.reason } }])
      }
      const due = dueNow()
      if (E.isLeft(due)) return due
      if (due.right !== undefined && c.at > due.right) return passed(due.right)
      if (c.deadline <= c.at) return notInFuture(c.deadline)
      return E.right([{ type: 'DeadlineChangeAgreed', data: { ...base, previous: s.agreedDeadline, deadline: c.deadline, reason: s.change.reason } }])
    }

    case 'DeliverResult':
      if (s.awaiting !== undefined) {
        return refuse({
          _tag: 'ResultAwaitingAcceptance',
          message: `ticket ${ticketId}: result ${s.awaiting} awaits the customer's verdict`,
          ticketId,
          deliveryId: s.awaiting,
        })
      }
      if (s.deliveryIds.includes(c.deliveryId)) {
        return refuse({ _tag: 'DeliveryAlreadyRecorded', message: `ticket ${ticketId}: delivery ${c.deliveryId} is already recorded`, ticketId, deliveryId: c.deliveryId })
      }
      return E.right([{ type: 'ResultDelivered', data: { ...base, deliveryId: c.deliveryId, summary: c.summary } }])

    case 'AcceptResult':
    case 'RejectResult': {
      if (s.awaiting !== c.deliveryId) {
        return refuse({ _tag: 'NoResultAwaiting', message: `ticket ${ticketId}: no result ${c.deliveryId} awaits a verdict`, ticketId, deliveryId: c.deliveryId })
      }
      if (c.type === 'AcceptResult') return E.right([{ type: 'ResultAccepted', data: { ...base, deliveryId: c.deliveryId } }])
      if (blank(c.reason)) return noReason()
      return E.right([{ type: 'ResultRejected', data: { ...base, deliveryId: c.deliveryId, reason: c.reason } }])
    }

    case 'AskCustomer': {
      if (s.questionIds.includes(c.questionId)) {
        return refuse({ _tag: 'QuestionAlreadyAsked', message: `ticket ${ticketId}: question ${c.questionId} is already recorded`, ticketId, questionId: c.questionId })
      }
      const due = dueNow()
      if (E.isLeft(due)) return due
      return E.right([{ type: 'CustomerAsked', data: { ...base, questionId: c.questionId, question: c.question, pauses: clocksPausedByQuestion(s, c.at, due.right) } }])
    }

    case 'AnswerQuestion':
      if (!s.openQuestions.includes(c.questionId)) {
        return refuse({ _tag: 'QuestionNotOpen', message: `ticket ${ticketId}: no question ${c.questionId} awaits an answer`, ticketId, questionId: c.questionId })
      }
      return E.right([{ type: 'QuestionAnswered', data: { ...base, questionId: c.questionId, answer: c.answer } }])
  }
}

const decideWith = (calendars: CalendarRegistry) => (command: TicketCommand, state: TicketState): Decision => {
  const party = requireActor(command.type, command.actor, command.terms)
  if (E.isLeft(party)) return party
  if (command.type === 'FileRequest') return file(command, state)
  const ticketId = command.ticketId
  if (state.status === 'unfiled') return refuse({ _tag: 'TicketNotFiled', message: `ticket ${ticketId} is not filed`, ticketId })
  if (command.terms.contractId !== state.contractId) {
    return refuse({
      _tag: 'ContractMismatch',
      message: `ticket ${ticketId} belongs to contract ${state.contractId}, not ${command.terms.contractId}`,
      ticketId,
      expected: state.contractId,
      actual: command.terms.contractId,
    })
  }
  if (command.at < state.last) {
    return refuse({
      _tag: 'EarlierThanHistory',
      message: `ticket ${ticketId}: ${command.type} at ${command.at} is dated before its last event at ${state.last}`,
      ticketId,
      at: command.at,
      last: state.last,
    })
  }
  // No term check here: a request received in the term is proposed, agreed, delivered and accepted
  // even after the term ends, as incidents are; only a new request needs the contract in force.
  // A question asked before the result was accepted may still be answered; nothing else moves a resolved ticket.
  if (state.status === 'resolved' && command.type !== 'AnswerQuestion') {
    return refuse({ _tag: 'TicketResolved', message: `ticket ${ticketId} is resolved: its result was accepted`, ticketId })
  }
  return decideFiled(command, state, calendars)
}

/**
 * The shipped calendars, compiled on first use. On a runtime whose time-zone data is too old to
 * count in Almaty, or whatever else stops them compiling, none: the decider then refuses with
 * `CalendarNotFound` instead of throwing.
 */
let shipped: CalendarRegistry | undefined
const shippedCalendars: CalendarRegistry = {
  calendarAt: (calendarId, at) => {
    if (shipped === undefined) {
      try {
        const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
        shipped = E.isRight(registry) ? registry.right : { calendarAt: () => undefined }
      } catch {
        shipped = { calendarAt: () => undefined }
      }
    }
    return shipped.calendarAt(calendarId, at)
  },
}

/**
 * The Ticket decider on a registry of business calendars. A calendar is needed only where a
 * policy lets questions pause an agreed deadline measured in business time: the due instant in
 * force then depends on working hours.
 */
export const ticketDeciderOn = (calendars: CalendarRegistry): Decider<TicketCommand, TicketState, TicketEvent, TicketError> => ({
  initialState: initialTicketState,
  evolve,
  decide: decideWith(calendars),
})

/** The Ticket decider on the shipped calendars (`kz-5day`); `ticketDeciderOn` takes a registry with your own. */
export const ticketDecider: Decider<TicketCommand, TicketState, TicketEvent, TicketError> = ticketDeciderOn(shippedCalendars)
