/** The query behind every SLA verdict on tickets: each clock's state at any instant, from the ticket's recorded events. */
import * as E from 'fp-ts/lib/Either.js'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import type { BasisPoints } from '../contract/contract-terms.js'
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { RequestFiled, TicketEvent } from '../ticket/ticket-events.js'
import { clauseOfKind, type Priority } from '../ticket/ticket-kind.js'
import { businessMeter, elapsedMeter, readClock, thresholdReached, type ClockMeter, type ClockRun } from './clock.js'
import type { Evidence, ObligationName, ObligationState } from './obligation.js'
import { ruleFor, type ClockMeasure } from './sla-policy.js'

// model

interface Stamp {
  readonly eventId: string
  readonly at: Instant
}

/**
 * What a ticket's clocks need from its history, with the id of each event: a fold of the
 * recorded stream, kept apart from the decider's state because verdicts cite event ids.
 */
export interface TicketClocks {
  readonly filed: (Stamp & { readonly data: RequestFiled }) | undefined
  readonly priorities: ReadonlyArray<Stamp & { readonly priority: Priority }>
  readonly proposals: ReadonlyArray<Stamp>
  readonly agreements: ReadonlyArray<Stamp & { readonly deadline: Instant }>
  readonly deliveries: ReadonlyArray<
    Stamp & { readonly deliveryId: string; readonly verdict?: Stamp & { readonly accepted: boolean } }
  >
  readonly questions: ReadonlyArray<
    Stamp & { readonly questionId: string; readonly pauses: ReadonlyArray<ObligationName>; readonly answered?: Stamp }
  >
}

/** A clock measured in business time whose calendar has no version in force at its start. */
export interface CalendarNotFound extends DomainError<'CalendarNotFound'> {
  readonly calendarId: string
  readonly at: Instant
}

// constructors

export const emptyTicketClocks: TicketClocks = {
  filed: undefined,
  priorities: [],
  proposals: [],
  agreements: [],
  deliveries: [],
  questions: [],
}

// operations

export const evolveTicketClocks = (c: TicketClocks, e: RecordedEvent<TicketEvent>): TicketClocks => {
  const stamp = { eventId: e.eventId, at: e.data.at }
  switch (e.type) {
    case 'RequestFiled':
      return { ...c, filed: { ...stamp, data: e.data }, priorities: [{ ...stamp, priority: e.data.priority }] }
    case 'PriorityChanged':
      return { ...c, priorities: [...c.priorities, { ...stamp, priority: e.data.to }] }
    case 'DeadlineProposed':
      return { ...c, proposals: [...c.proposals, stamp] }
    case 'DeadlineAgreed':
    case 'DeadlineChangeAgreed':
      return { ...c, agreements: [...c.agreements, { ...stamp, deadline: e.data.deadline }] }
    case 'ResultDelivered':
      return { ...c, deliveries: [...c.deliveries, { ...stamp, deliveryId: e.data.deliveryId }] }
    case 'ResultAccepted':
    case 'ResultRejected': {
      const accepted = e.type === 'ResultAccepted'
      return {
        ...c,
        deliveries: c.deliveries.map((d) => (d.deliveryId === e.data.deliveryId && d.verdict === undefined ? { ...d, verdict: { ...stamp, accepted } } : d)),
      }
    }
    case 'CustomerAsked':
      return { ...c, questions: [...c.questions, { ...stamp, questionId: e.data.questionId, pauses: e.data.pauses }] }
    case 'QuestionAnswered':
      return {
        ...c,
        questions: c.questions.map((q) => (q.questionId === e.data.questionId && q.answered === undefined ? { ...q, answered: stamp } : q)),
      }
    case 'DeadlineRejected':
    case 'DeadlineChangeProposed':
    case 'DeadlineChangeDeclined':
      return c
  }
}

export const ticketClocksOf = (events: Iterable<RecordedEvent<TicketEvent>>): TicketClocks => {
  let c = emptyTicketClocks
  for (const e of events) c = evolveTicketClocks(c, e)
  return c
}

const upTo = <S extends { readonly at: Instant }>(items: ReadonlyArray<S>, at: Instant): ReadonlyArray<S> => items.filter((i) => i.at <= at)

const byTime = (a: Evidence, b: Evidence): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)

interface Frame {
  readonly name: ObligationName
  readonly clause: number
  readonly ticketId: string
  readonly contractId: string
  readonly measure: ClockMeasure
  readonly meter: ClockMeter
  readonly warnAtBps: ReadonlyArray<BasisPoints>
  readonly run: ClockRun
  readonly evidence: ReadonlyArray<Evidence>
  /** The event that stops the clock for good, and whether a result awaits the customer's verdict. */
  readonly stop: (Stamp & { readonly extra: ReadonlyArray<Evidence> }) | undefined
  readonly awaiting: Stamp | undefined
}

/** Pauses recorded for one clock, and the evidence for them, up to `at`. */
const pausesFor = (clocks: TicketClocks, name: ObligationName, at: Instant) => {
  const asked = upTo(clocks.questions, at).filter((q) => q.pauses.includes(name))
  const pauses = asked.map((q) => ({ from: q.at, to: q.answered !== undefined && q.answered.at <= at ? q.answered.at : undefined }))
  const evidence: Evidence[] = []
  const open: string[] = []
  for (const q of asked) {
    evidence.push({ eventId: q.eventId, at: q.at, role: 'paused' })
    if (q.answered !== undefined && q.answered.at <= at) evidence.push({ eventId: q.answered.eventId, at: q.answered.at, role: 'resumed' })
    else open.push(q.questionId)
  }
  return { pauses, evidence, open }
}

const settle = (f: Frame, at: Instant, openQuestions: ReadonlyArray<string>): ObligationState => {
  const common = {
    contractId: f.contractId,
    subject: { aggregate: 'ticket' as const, id: f.ticketId },
    obligation: f.name,
    clause: f.clause,
    measure: f.measure,
    startedAt: f.run.start,
  }
  if (f.stop !== undefined) {
    const reading = readClock(f.run, f.stop.at)
    const evidence = [...f.evidence, { eventId: f.stop.eventId, at: f.stop.at, role: 'stopped' as const }, ...f.stop.extra].sort(byTime)
    // With no pause open at the stop, the due instant is known; a stop during a pause is within the window.
    const dueAt = reading.dueAt ?? f.meter.add(f.stop.at, reading.leftMinutes)
    if (f.stop.at <= dueAt) {
      return { status: 'met', ...common, windowMinutes: reading.windowMinutes, evidence, dueAt, metAt: f.stop.at, marginMinutes: reading.leftMinutes }
    }
    return { status: 'breached', ...common, windowMinutes: reading.windowMinutes, evidence, dueAt, stoppedAt: f.stop.at }
  }
  const reading = readClock(f.run, at)
  const evidence = [...f.evidence].sort(byTime)
  const awaitingInTime = f.awaiting !== undefined && (reading.dueAt === undefined || f.awaiting.at <= reading.dueAt)
  if (reading.dueAt !== undefined && at > reading.dueAt && !awaitingInTime) {
    return { status: 'breached', ...common, windowMinutes: reading.windowMinutes, evidence, dueAt: reading.dueAt }
  }
  const running = {
    ...common,
    windowMinutes: reading.windowMinutes,
    evidence,
    usedMinutes: reading.usedMinutes,
    leftMinutes: reading.leftMinutes,
    pausedBy: openQuestions,
    ...(reading.dueAt === undefined ? {} : { dueAt: reading.dueAt }),
    ...(awaitingInTime ? { awaiting: 'acceptance' as const } : {}),
  }
  const threshold = thresholdReached(reading, f.warnAtBps)
  return threshold === undefined ? { status: 'pending', ...running } : { status: 'warned', ...running, thresholdBps: threshold }
}

type Meters = (measure: ClockMeasure, start: Instant) => E.Either<CalendarNotFound, { readonly meter: ClockMeter }>

/**
 * Each clock of a ticket at `at`, from the events recorded up to then: clause 2 (a deadline
 * set within its window of receipt) for the kinds the policy names, and the agreed deadline
 * once there is one. Business time runs on the calendar version in force when the clock
 * started, so a later calendar change never alters its verdict.
 */
export const ticketObligationsAt = (
  clocks: TicketClocks,
  at: Instant,
  calendars: CalendarRegistry,
): E.Either<CalendarNotFound, ReadonlyArray<ObligationState>> => {
  const filed = clocks.filed
  if (filed === undefined || filed.at > at) return E.right([])
  const policy = filed.data.slaPolicy
  const calendarId = filed.data.calendarId
  const meters: Meters = (measure, start) => {
    if (measure === 'elapsed') return E.right({ meter: elapsedMeter })
    const calendar = calendars.calendarAt(calendarId, start)
    return calendar === undefined
      ? E.left({ _tag: 'CalendarNotFound', message: `calendar ${calendarId} has no version in force at ${start}`, calendarId, at: start })
      : E.right({ meter: businessMeter(calendar) })
  }
  const out: ObligationState[] = []
  const base = { ticketId: filed.data.ticketId, contractId: filed.data.contractId }
  const priorityAt = (until: Instant) => upTo(clocks.priorities, until)
  const latestPriority = (until: Instant): Priority => priorityAt(until).at(-1)?.priority ?? filed.data.priority

  // Clause 2: a deadline set within the window of receipt. A proposal stops it; so does a result delivered first.
  if (policy.deadlineProposal.kinds.includes(filed.data.kind)) {
    const stops = [...upTo(clocks.proposals, at), ...upTo(clocks.deliveries, at)].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    const stop = stops[0]
    const cutoff = stop?.at ?? at
    const paused = pausesFor(clocks, 'deadline-proposal', cutoff)
    // A priority change retargets the window, counted from receipt, unless the clock was already due:
    // a breach stays a breach whatever the priority becomes later.
    const changes = priorityAt(cutoff)
    let rule = ruleFor(policy.deadlineProposal.rules, filed.data.priority)
    let m = meters(rule.measure, filed.data.receivedAt)
    if (E.isLeft(m)) return m
    const retargeted: Evidence[] = []
    for (const change of changes.slice(1)) {
      const due = readClock({ meter: m.right.meter, start: filed.data.receivedAt, target: { minutes: rule.minutes }, pauses: paused.pauses }, change.at).dueAt
      if (due !== undefined && change.at > due) break
      rule = ruleFor(policy.deadlineProposal.rules, change.priority)
      m = meters(rule.measure, filed.data.receivedAt)
      if (E.isLeft(m)) return m
      retargeted.push({ eventId: change.eventId, at: change.at, role: 'retargeted' })
    }
    out.push(
      settle(
        {
          ...base,
          name: 'deadline-proposal',
          clause: 2,
          measure: rule.measure,
          meter: m.right.meter,
          warnAtBps: rule.warnAtBps,
          run: { meter: m.right.meter, start: filed.data.receivedAt, target: { minutes: rule.minutes }, pauses: paused.pauses },
          evidence: [{ eventId: filed.eventId, at: filed.at, role: 'started' }, ...retargeted, ...paused.evidence],
          stop: stop === undefined ? undefined : { ...stop, extra: [] },
          awaiting: undefined,
        },
        at,
        stop === undefined ? paused.open : [],
      ),
    )
  }

  // The agreed deadline: from the first agreement to the deadline in force, met by the delivery the customer accepts.
  const agreements = upTo(clocks.agreements, at)
  const first = agreements[0]
  const current = agreements.at(-1)
  if (first !== undefined && current !== undefined) {
    // A result delivered before the agreement counts too: the customer may accept it once the deadline is set.
    const deliveries = upTo(clocks.deliveries, at)
    const verdictSeen = (d: (typeof deliveries)[number]) => (d.verdict !== undefined && d.verdict.at <= at ? d.verdict : undefined)
    const accepted = deliveries.find((d) => verdictSeen(d)?.accepted === true)
    const awaiting = deliveries.find((d) => verdictSeen(d) === undefined)
    const cutoff = accepted?.at ?? at
    // The rule of the priority when the deadline was agreed: the agreed instant, not the priority, sets the due.
    const rule = ruleFor(policy.agreedDeadline, latestPriority(first.at))
    const m = meters(rule.measure, first.at)
    if (E.isLeft(m)) return m
    const paused = pausesFor(clocks, 'agreed-deadline', cutoff)
    // The deadline in force when the result was delivered: a renegotiation after that changes nothing for it.
    const deadline = upTo(agreements, cutoff).at(-1)?.deadline ?? current.deadline
    const rejected: Evidence[] = deliveries
      .filter((d) => verdictSeen(d)?.accepted === false)
      .flatMap((d) => [
        { eventId: d.eventId, at: d.at, role: 'delivered' as const },
        ...(d.verdict === undefined ? [] : [{ eventId: d.verdict.eventId, at: d.verdict.at, role: 'rejected' as const }]),
      ])
    out.push(
      settle(
        {
          ...base,
          name: 'agreed-deadline',
          clause: clauseOfKind[filed.data.kind],
          measure: rule.measure,
          meter: m.right.meter,
          warnAtBps: rule.warnAtBps,
          run: { meter: m.right.meter, start: first.at, target: { until: deadline }, pauses: paused.pauses },
          evidence: [
            { eventId: first.eventId, at: first.at, role: 'started' },
            ...upTo(agreements, cutoff)
              .slice(1)
              .map((a) => ({ eventId: a.eventId, at: a.at, role: 'retargeted' as const })),
            ...paused.evidence,
            ...rejected,
            ...(awaiting === undefined || accepted !== undefined ? [] : [{ eventId: awaiting.eventId, at: awaiting.at, role: 'delivered' as const }]),
          ],
          stop:
            accepted?.verdict === undefined
              ? undefined
              : { eventId: accepted.eventId, at: accepted.at, extra: [{ eventId: accepted.verdict.eventId, at: accepted.verdict.at, role: 'accepted' }] },
          awaiting: accepted === undefined ? awaiting : undefined,
        },
        at,
        accepted === undefined ? paused.open : [],
      ),
    )
  }
  return E.right(out)
}

/** The same query straight from a ticket's recorded events. */
export const obligationsOfTicket = (
  events: Iterable<RecordedEvent<TicketEvent>>,
  at: Instant,
  calendars: CalendarRegistry,
): E.Either<CalendarNotFound, ReadonlyArray<ObligationState>> => ticketObligationsAt(ticketClocksOf(events), at, calendars)
