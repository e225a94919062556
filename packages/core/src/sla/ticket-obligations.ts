/** The query behind every SLA verdict on tickets: each clock's state at any instant, from the ticket's recorded events. */
import * as E from 'fp-ts/lib/Either.js'
import type { CalendarRegistry, CalendarNotFound } from '../calendar/business-calendar.js'
import type { BasisPoints } from '../values/basis-points.js'
import type { Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { RequestFiled, TicketEvent } from '../ticket/ticket-events.js'
import { clauseOfKind, kindsDueByAgreedDeadline, type Priority } from '../ticket/ticket-kind.js'
import { agreedDeadlineRun, meterAt } from './agreed-deadline-due.js'
import { dueAtStop, elapsedMeter, readClock, thresholdReached, type ClockRun } from './clock.js'
import type { Evidence, ObligationName, ObligationState } from './obligation.js'
import { deadlineMetBy, ruleFor, type ClockMeasure } from './sla-policy.js'

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


// constructors

/** The clock facts of a ticket with no events. */
export const emptyTicketClocks: TicketClocks = {
  filed: undefined,
  priorities: [],
  proposals: [],
  agreements: [],
  deliveries: [],
  questions: [],
}

// operations

/** A list with one more item, its backing store the exact size: a spread copy would leave room for sixteen more. */
const appended = <A>(list: ReadonlyArray<A>, item: A): ReadonlyArray<A> => list.concat([item])

/** The clock facts with one list changed; every other list is shared with `c`. */
const withClocks = (c: TicketClocks, changed: Partial<TicketClocks>): TicketClocks => ({
  filed: changed.filed ?? c.filed,
  priorities: changed.priorities ?? c.priorities,
  proposals: changed.proposals ?? c.proposals,
  agreements: changed.agreements ?? c.agreements,
  deliveries: changed.deliveries ?? c.deliveries,
  questions: changed.questions ?? c.questions,
})

/**
 * Folds one ticket event into the facts its clocks are computed from. Every fact is built as a
 * literal of its own shape, never spread: a report keeps these for tens of thousands of tickets,
 * and spread copies can each carry a hidden class of their own.
 */
export const evolveTicketClocks = (c: TicketClocks, e: RecordedEvent<TicketEvent>): TicketClocks => {
  const eventId = e.eventId
  const at = e.data.at
  switch (e.type) {
    case 'RequestFiled':
      return withClocks(c, { filed: { eventId, at, data: e.data }, priorities: [{ eventId, at, priority: e.data.priority }] })
    case 'PriorityChanged':
      return withClocks(c, { priorities: appended(c.priorities, { eventId, at, priority: e.data.to }) })
    case 'DeadlineProposed':
      return withClocks(c, { proposals: appended(c.proposals, { eventId, at }) })
    case 'DeadlineAgreed':
    case 'DeadlineChangeAgreed':
      return withClocks(c, { agreements: appended(c.agreements, { eventId, at, deadline: e.data.deadline }) })
    case 'ResultDelivered':
      return withClocks(c, { deliveries: appended(c.deliveries, { eventId, at, deliveryId: e.data.deliveryId }) })
    case 'ResultAccepted':
    case 'ResultRejected': {
      const verdict = { eventId, at, accepted: e.type === 'ResultAccepted' }
      return withClocks(c, {
        deliveries: c.deliveries.map((d) => (d.deliveryId === e.data.deliveryId && d.verdict === undefined ? { eventId: d.eventId, at: d.at, deliveryId: d.deliveryId, verdict } : d)),
      })
    }
    case 'CustomerAsked':
      return withClocks(c, { questions: appended(c.questions, { eventId, at, questionId: e.data.questionId, pauses: e.data.pauses }) })
    case 'QuestionAnswered':
      return withClocks(c, {
        questions: c.questions.map((q) =>
          q.questionId === e.data.questionId && q.answered === undefined ? { eventId: q.eventId, at: q.at, questionId: q.questionId, pauses: q.pauses, answered: { eventId, at } } : q,
        ),
      })
    case 'DeadlineRejected':
    case 'DeadlineChangeProposed':
    case 'DeadlineChangeDeclined':
      return c
  }
}

/** Folds a ticket's events, in order, into the facts its clocks are computed from. */
export const ticketClocksOf = (events: Iterable<RecordedEvent<TicketEvent>>): TicketClocks => {
  let c = emptyTicketClocks
  for (const e of events) c = evolveTicketClocks(c, e)
  return c
}

const upTo = <S extends { readonly at: Instant }>(items: ReadonlyArray<S>, at: Instant): ReadonlyArray<S> => items.filter((i) => i.at <= at)

/**
 * Evidence as a frame collects it. `since` is the instant that decides whether a breach cites it
 * (the item's own instant unless given): a rejection counts from its delivery, a retarget from the start.
 */
type Cited = Evidence & { readonly since?: Instant }

const cite = ({ eventId, at, role }: Cited): Evidence => ({ eventId, at, role })

/**
 * What a breach cites: the record up to its due instant, which settled it (a pause begun before
 * the due instant ends before it, a renegotiation is refused after it), with a result delivered by
 * then and the customer's verdict on it, and every retarget. Whatever was recorded between the
 * due instant and the late stop proves nothing about the breach, and the stop, a delivery known only
 * once accepted, may come to lie before it: citing it would change a settled verdict's evidence.
 */
const decidedBy = (evidence: ReadonlyArray<Cited>, dueAt: Instant): ReadonlyArray<Evidence> =>
  evidence.filter((e) => (e.since ?? e.at) <= dueAt).map(cite)

const byTime = (a: Evidence, b: Evidence): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)

interface Frame {
  readonly name: ObligationName
  readonly clause: number
  readonly ticketId: string
  readonly contractId: string
  readonly measure: ClockMeasure
  readonly warnAtBps: ReadonlyArray<BasisPoints>
  readonly run: ClockRun
  readonly evidence: ReadonlyArray<Cited>
  /** The event that stops the clock for good, and whether a result awaits the customer's verdict. */
  readonly stop: (Stamp & { readonly extra: ReadonlyArray<Evidence> }) | undefined
  readonly awaiting: Stamp | undefined
  /** When a deadline was first proposed and first agreed, shown on the clocks of clauses 2 to 5. */
  readonly times: { readonly proposedAt?: Instant; readonly agreedAt?: Instant }
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
    ...f.times,
    contractId: f.contractId,
    subject: { aggregate: 'ticket' as const, id: f.ticketId },
    obligation: f.name,
    clause: f.clause,
    measure: f.measure,
    startedAt: f.run.start,
  }
  if (f.stop !== undefined) {
    const reading = readClock(f.run, f.stop.at)
    const stopped = [{ eventId: f.stop.eventId, at: f.stop.at, role: 'stopped' as const }, ...f.stop.extra]
    // With no pause open at the stop, the due instant is known; a stop during a pause is within the window.
    const dueAt = dueAtStop(f.run, f.stop.at)
    if (f.stop.at <= dueAt) {
      const evidence = [...f.evidence.map(cite), ...stopped].sort(byTime)
      return { status: 'met', ...common, windowMinutes: reading.windowMinutes, evidence, dueAt, metAt: f.stop.at, marginMinutes: reading.leftMinutes }
    }
    // A breach only gains its late stop: the stop and its acceptance follow everything cited before.
    const evidence = [...[...decidedBy(f.evidence, dueAt)].sort(byTime), ...stopped.sort(byTime)]
    return { status: 'breached', ...common, windowMinutes: reading.windowMinutes, evidence, dueAt, stoppedAt: f.stop.at }
  }
  const reading = readClock(f.run, at)
  const awaitingInTime = f.awaiting !== undefined && (reading.dueAt === undefined || f.awaiting.at <= reading.dueAt)
  if (reading.dueAt !== undefined && at > reading.dueAt && !awaitingInTime) {
    return { status: 'breached', ...common, windowMinutes: reading.windowMinutes, evidence: [...decidedBy(f.evidence, reading.dueAt)].sort(byTime), dueAt: reading.dueAt }
  }
  const evidence = f.evidence.map(cite).sort(byTime)
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

/** When the supplier first proposed a deadline and the customer first agreed one, as far as known at `at`. */
const deadlineTimes = (clocks: TicketClocks, at: Instant) => {
  const proposed = upTo(clocks.proposals, at)[0]
  const agreed = upTo(clocks.agreements, at)[0]
  return { ...(proposed === undefined ? {} : { proposedAt: proposed.at }), ...(agreed === undefined ? {} : { agreedAt: agreed.at }) }
}

/** The deliveries seen at `at`: the one the customer accepted, the one awaiting a verdict, and the rejected ones as evidence. */
const deliveriesAt = (clocks: TicketClocks, at: Instant) => {
  // A result delivered before the agreement counts too: the customer may accept it once the deadline is set.
  const deliveries = upTo(clocks.deliveries, at)
  const verdictSeen = (d: (typeof deliveries)[number]) => (d.verdict !== undefined && d.verdict.at <= at ? d.verdict : undefined)
  const accepted = deliveries.find((d) => verdictSeen(d)?.accepted === true)
  const awaiting = accepted === undefined ? deliveries.find((d) => verdictSeen(d) === undefined) : undefined
  const rejected: Cited[] = deliveries
    .filter((d) => verdictSeen(d)?.accepted === false)
    .flatMap((d) => [
      { eventId: d.eventId, at: d.at, role: 'delivered' as const },
      ...(d.verdict === undefined ? [] : [{ eventId: d.verdict.eventId, at: d.verdict.at, role: 'rejected' as const, since: d.at }]),
    ])
  const stop =
    accepted?.verdict === undefined
      ? undefined
      : { eventId: accepted.eventId, at: accepted.at, extra: [{ eventId: accepted.verdict.eventId, at: accepted.verdict.at, role: 'accepted' as const }] }
  return { accepted, awaiting, rejected, stop }
}

/**
 * Each clock of a ticket at `at`, from the events recorded up to then: clause 2 (a deadline set
 * and agreed within its window of receipt) for the kinds the policy names, and the agreed
 * deadline (clauses 3, 4, 5, and any other kind once a deadline is agreed). Business time runs on
 * the calendar version in force when the clock started, so a later calendar change never alters
 * its verdict.
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
  const out: ObligationState[] = []
  const base = { ticketId: filed.data.ticketId, contractId: filed.data.contractId }
  const priorityAt = (until: Instant) => upTo(clocks.priorities, until)
  const latestPriority = (until: Instant): Priority => priorityAt(until).at(-1)?.priority ?? filed.data.priority
  const times = deadlineTimes(clocks, at)
  const seen = deliveriesAt(clocks, at)
  const proposalEvidence: Evidence[] = upTo(clocks.proposals, at).map((p) => ({ eventId: p.eventId, at: p.at, role: 'proposed' as const }))
  const agreements = upTo(clocks.agreements, at)
  const first = agreements[0]

  // Clause 2: a deadline set (and, under the contract's reading, agreed) within the window of receipt.
  // The result itself, accepted, also meets it: a defect fixed in the window needs no deadline.
  let windowDue: Instant | undefined
  if (policy.deadlineProposal.kinds.includes(filed.data.kind)) {
    const set = deadlineMetBy(policy) === 'agreement' ? first : upTo(clocks.proposals, at)[0]
    const fixed = seen.stop
    const earliest = set !== undefined && (fixed === undefined || set.at <= fixed.at) ? { ...set, extra: [] } : fixed
    // A result delivered before that and still with the customer decides first: it waits for the verdict.
    const waiting = seen.awaiting !== undefined && (earliest === undefined || seen.awaiting.at < earliest.at) ? seen.awaiting : undefined
    const stop = waiting === undefined ? earliest : undefined
    // A result with the customer holds the clock where it was delivered until the verdict: an answer
    // given meanwhile is no evidence for a clock the delivery may turn out to have stopped.
    const cutoff = stop?.at ?? waiting?.at ?? at
    const paused = pausesFor(clocks, 'deadline-proposal', cutoff)
    // A priority change retargets the window, counted from receipt, unless the clock was already due:
    // a breach stays a breach whatever the priority becomes later.
    const changes = priorityAt(cutoff)
    let rule = ruleFor(policy.deadlineProposal.rules, filed.data.priority)
    let m = meterAt(rule.measure, calendarId, filed.data.receivedAt, calendars)
    if (E.isLeft(m)) return m
    const retargeted: Cited[] = []
    for (const change of changes.slice(1)) {
      const due = readClock({ meter: m.right, start: filed.data.receivedAt, target: { minutes: rule.minutes }, pauses: paused.pauses }, change.at).dueAt
      if (due !== undefined && change.at > due) break
      rule = ruleFor(policy.deadlineProposal.rules, change.priority)
      m = meterAt(rule.measure, calendarId, filed.data.receivedAt, calendars)
      if (E.isLeft(m)) return m
      retargeted.push({ eventId: change.eventId, at: change.at, role: 'retargeted', since: filed.data.receivedAt })
    }
    const run: ClockRun = { meter: m.right, start: filed.data.receivedAt, target: { minutes: rule.minutes }, pauses: paused.pauses }
    const state = settle(
      {
        ...base,
        name: 'deadline-proposal',
        clause: 2,
        measure: rule.measure,
        warnAtBps: rule.warnAtBps,
        run,
        evidence: [
          { eventId: filed.eventId, at: filed.at, role: 'started' },
          ...retargeted,
          ...paused.evidence,
          // Proposals up to the stop: one made after a proposal met the clause proves nothing about it.
          ...proposalEvidence.filter((p) => p.at <= cutoff && (stop === undefined || p.eventId !== stop.eventId)),
          // Results delivered before the clock stopped: rejected ones, and one still with the customer.
          ...upTo(clocks.deliveries, cutoff).flatMap((d): Cited[] =>
            d.verdict !== undefined && d.verdict.at <= at && !d.verdict.accepted
              ? [{ eventId: d.eventId, at: d.at, role: 'delivered' }, { eventId: d.verdict.eventId, at: d.verdict.at, role: 'rejected', since: d.at }]
              : d === waiting
                ? [{ eventId: d.eventId, at: d.at, role: 'delivered' }]
                : [],
          ),
        ],
        stop,
        awaiting: stop === undefined ? seen.awaiting : undefined,
        // As known when the clock stopped: a settled verdict never changes afterwards.
        times: deadlineTimes(clocks, cutoff),
      },
      at,
      stop === undefined ? paused.open : [],
    )
    windowDue = state.dueAt ?? dueAtStop(run, at)
    out.push(state)
  }

  // The agreed deadline: from the first agreement to the deadline in force, met by the delivery the customer accepts.
  const current = agreements.at(-1)
  if (first !== undefined && current !== undefined) {
    const cutoff = seen.accepted?.at ?? at
    // The rule of the priority when the deadline was agreed: the agreed instant, not the priority, sets the due.
    const rule = ruleFor(policy.agreedDeadline, latestPriority(first.at))
    const paused = pausesFor(clocks, 'agreed-deadline', cutoff)
    // The deadline in force when the result was delivered: a renegotiation after that changes nothing for it.
    const deadline = upTo(agreements, cutoff).at(-1)?.deadline ?? current.deadline
    // The same run the decider reads its due instant from.
    const run = agreedDeadlineRun({ measure: rule.measure, calendarId, agreedAt: first.at, deadline, pauses: paused.pauses }, calendars)
    if (E.isLeft(run)) return run
    out.push(
      settle(
        {
          ...base,
          name: 'agreed-deadline',
          clause: clauseOfKind[filed.data.kind],
          measure: rule.measure,
          warnAtBps: rule.warnAtBps,
          run: run.right,
          evidence: [
            { eventId: first.eventId, at: first.at, role: 'started' },
            ...upTo(agreements, cutoff)
              .slice(1)
              .map((a) => ({ eventId: a.eventId, at: a.at, role: 'retargeted' as const })),
            ...paused.evidence,
            ...seen.rejected,
            ...(seen.awaiting === undefined ? [] : [{ eventId: seen.awaiting.eventId, at: seen.awaiting.at, role: 'delivered' as const }]),
          ],
          stop: seen.stop,
          awaiting: seen.awaiting,
          times,
        },
        at,
        seen.accepted === undefined ? paused.open : [],
      ),
    )
  } else if (kindsDueByAgreedDeadline.includes(filed.data.kind)) {
    out.push(unagreed(filed, base, seen, proposalEvidence, windowDue, times))
  }
  return E.right(out)
}

/**
 * A request due by an agreed deadline that has none yet: it never drops out of the report. It
 * is pending, waiting for the agreement (or for the customer's verdict on a result), until the
 * customer accepts a result. Then, where the policy gives a window for the deadline (clause 2),
 * that window is the only time limit on record: a result delivered in it is met, a later one
 * breached. A kind with no such window (configuration, performance) had no time limit: met.
 */
const unagreed = (
  filed: NonNullable<TicketClocks['filed']>,
  base: { readonly ticketId: string; readonly contractId: string },
  seen: ReturnType<typeof deliveriesAt>,
  proposalEvidence: ReadonlyArray<Evidence>,
  windowDue: Instant | undefined,
  times: ReturnType<typeof deadlineTimes>,
): ObligationState => {
  const common = {
    ...times,
    contractId: base.contractId,
    subject: { aggregate: 'ticket' as const, id: base.ticketId },
    obligation: 'agreed-deadline' as const,
    clause: clauseOfKind[filed.data.kind],
    measure: ruleFor(filed.data.slaPolicy.agreedDeadline, filed.data.priority).measure,
    startedAt: filed.data.receivedAt,
    windowMinutes: 0,
  }
  const evidence = [{ eventId: filed.eventId, at: filed.at, role: 'started' as const }, ...proposalEvidence, ...seen.rejected.map(cite)]
  if (seen.stop !== undefined) {
    const proof = [...evidence, { eventId: seen.stop.eventId, at: seen.stop.at, role: 'stopped' as const }, ...seen.stop.extra].sort(byTime)
    const dueAt = windowDue ?? seen.stop.at
    if (seen.stop.at <= dueAt) {
      return { status: 'met', ...common, evidence: proof, dueAt, metAt: seen.stop.at, marginMinutes: elapsedMeter.between(seen.stop.at, dueAt) }
    }
    return { status: 'breached', ...common, evidence: proof, dueAt, stoppedAt: seen.stop.at }
  }
  const awaiting = seen.awaiting
  return {
    status: 'pending',
    ...common,
    evidence: [...evidence, ...(awaiting === undefined ? [] : [{ eventId: awaiting.eventId, at: awaiting.at, role: 'delivered' as const }])].sort(byTime),
    usedMinutes: 0,
    leftMinutes: 0,
    pausedBy: [],
    awaiting: awaiting === undefined ? 'agreement' : 'acceptance',
  }
}

/** The same query straight from a ticket's recorded events. */
export const obligationsOfTicket = (
  events: Iterable<RecordedEvent<TicketEvent>>,
  at: Instant,
  calendars: CalendarRegistry,
): E.Either<CalendarNotFound, ReadonlyArray<ObligationState>> => ticketObligationsAt(ticketClocksOf(events), at, calendars)
