/** The obligation schedule: every open obligation with its due and warning instants, a read model kept from the global log. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import { startOfLocalDate } from '../contract/command-guards.js'
import { contractDecider, termsAt } from '../contract/contract-decider.js'
import { defaultContractPolicy } from '../contract/contract-policy.js'
import type { ContractEvent } from '../contract/contract-events.js'
import { BasisPoints } from '../contract/contract-terms.js'
import { defaultDeliveryGraceDays } from '../delivery/delivery-commands.js'
import type { DeliveryEvent } from '../delivery/delivery-events.js'
import { deliveriesAsOf, quarterVerdicts } from '../delivery/delivery-queries.js'
import { quarterSchedule } from '../delivery/quarter-schedule.js'
import { failureReportClock, incidentObligationsAt, incidentRecords } from '../incident/incident-queries.js'
import type { IncidentEvent } from '../incident/incident-events.js'
import { fold } from '../kernel/decider.js'
import type { DomainError } from '../kernel/domain-error.js'
import type { StoreUnavailable } from '../kernel/event-store.js'
import { addMillis, Instant, instantOf } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { LedgerEvent } from '../report/ledger-events.js'
import { businessMeter, elapsedMeter, type ClockMeter } from '../sla/clock.js'
import { ObligationName, ObligationSubject, type ObligationState } from '../sla/obligation.js'
import { ClockMeasure } from '../sla/sla-policy.js'
import { obligationsOfTicket } from '../sla/ticket-obligations.js'
import type { TicketEvent } from '../ticket/ticket-events.js'

// codecs

/** A warning threshold still ahead, and the instant the obligation reaches it if nothing else is recorded. */
export const ScheduledWarning = t.readonly(t.type({ bps: BasisPoints, at: Instant }), 'ScheduledWarning')
export type ScheduledWarning = t.TypeOf<typeof ScheduledWarning>

/** What an obligation is about: a ticket, an incident, or one quarter of a contract (`C-1/2025-Q2`). */
export const ScheduleSubject = t.union([ObligationSubject, t.readonly(t.type({ aggregate: t.literal('quarter'), id: t.string }))], 'ScheduleSubject')
export type ScheduleSubject = t.TypeOf<typeof ScheduleSubject>

/** The clocks of tickets and incidents, and the quarterly delivery (clause 10). */
export const ScheduledObligationName = t.union([ObligationName, t.literal('quarterly-delivery')], 'ScheduledObligationName')
export type ScheduledObligationName = t.TypeOf<typeof ScheduledObligationName>

/**
 * One open obligation: started and not stopped. It looks ahead from `knownAt`, the instant of its
 * subject's latest event: its state at any later instant follows from it (`scheduledStateAt`) until
 * the subject's next event, which replaces it.
 */
export const ScheduledObligation = t.readonly(
  t.intersection([
    t.type({
      contractId: t.string,
      subject: ScheduleSubject,
      obligation: ScheduledObligationName,
      /** The numbered clause of the contract it serves. */
      clause: t.number,
      measure: ClockMeasure,
      startedAt: Instant,
      windowMinutes: t.number,
      /** A result handed over in time awaits the customer's verdict: the obligation cannot breach while it waits. */
      awaiting: t.boolean,
      /** Thresholds not reached by `knownAt`, in order; empty while there is no due instant (they are not known yet). */
      warnings: t.readonlyArray(ScheduledWarning),
      /** Ids of the events that started it (for a quarter: the contract's registration, both signatures). */
      openedBy: t.readonlyArray(t.string),
      knownAt: Instant,
    }),
    t.partial({
      /**
       * Absent while the due instant is not known: a pause is open, or no deadline is agreed yet (a
       * request due by an agreed deadline owes one from its receipt). Such a row is open but raises
       * no alarm. May lie before `knownAt` (overdue, still open).
       */
      dueAt: Instant,
      /** The highest threshold already reached at `knownAt`. */
      reachedBps: BasisPoints,
    }),
  ]),
  'ScheduledObligation',
)
export type ScheduledObligation = t.TypeOf<typeof ScheduledObligation>

/** Something that happens to an open obligation at an instant: it falls due, or crosses a warning threshold. */
export interface ScheduleAlarm {
  readonly at: Instant
  readonly kind: 'due' | 'warning'
  /** The threshold, for a warning. */
  readonly bps?: BasisPoints
  readonly obligation: ScheduledObligation
}

/** The state of a scheduled obligation at an instant, as `obligationsAt` would report it. */
export type ScheduledState =
  | { readonly status: 'pending' }
  | { readonly status: 'warned'; readonly thresholdBps: BasisPoints }
  | { readonly status: 'breached' }

/** The span of time a query looks in for alarms: warnings and due instants that fall within it. */
export interface AlarmWindow {
  /** Inclusive. */
  readonly from: Instant
  /** Exclusive. */
  readonly to: Instant
}

/**
 * What a store keeps events under and recomputes together: one ticket, one incident, or one
 * contract's deliveries (its contract and delivery streams, from which its quarters follow).
 */
export interface ScheduleSource {
  readonly kind: 'ticket' | 'incident' | 'deliveries'
  readonly id: string
}

/** A source whose obligations could not be computed (a business calendar missing): it has no rows until fixed and replayed. */
export interface ScheduleProblem {
  readonly source: ScheduleSource
  readonly message: string
}

/** What the schedule needs besides the events. */
export interface ScheduleDeps {
  readonly calendars: CalendarRegistry
  /** Days after a quarter's end its delivery is due, as the report is given; default 10. */
  readonly deliveryGraceDays?: number
}

/** A query of the schedule is malformed (not an instant, a window that ends before it starts); `field` names the part at fault. */
export interface InvalidScheduleQuery extends DomainError<'InvalidScheduleQuery'> {
  readonly field: string
}

/** Every way a schedule query can fail: a malformed query, or a store that cannot be reached. */
export type ScheduleQueryError = InvalidScheduleQuery | StoreUnavailable

/** The queries of the schedule. Every store of it (in memory, PostgreSQL) answers them the same way. */
export interface ObligationSchedule {
  /** The open obligations of one contract, soonest due first (those with no due instant yet, paused or awaiting an agreed deadline, last). */
  readonly openOf: (contractId: string) => TaskEither<ScheduleQueryError, ReadonlyArray<ScheduledObligation>>
  /** What falls due or crosses a warning threshold in `[from, to)`, across all contracts, in order of time. */
  readonly alarmsBetween: (window: AlarmWindow) => TaskEither<ScheduleQueryError, ReadonlyArray<ScheduleAlarm>>
}

// operations

/** The source an event is kept under, if any event of its kind can open or close an obligation. */
export const scheduleSourceOf = (e: RecordedEvent<LedgerEvent>): ScheduleSource | undefined => {
  const data = e.data as { readonly ticketId?: unknown; readonly incidentId?: unknown; readonly contractId?: unknown }
  if (e.streamId.startsWith('ticket-') && typeof data.ticketId === 'string') return { kind: 'ticket', id: data.ticketId }
  if (e.streamId.startsWith('incident-') && typeof data.incidentId === 'string') return { kind: 'incident', id: data.incidentId }
  if ((e.streamId.startsWith('contract-') || e.streamId.startsWith('delivery-')) && typeof data.contractId === 'string') return { kind: 'deliveries', id: data.contractId }
  return undefined
}

/** Checks a query before any store runs it. */
export const validateScheduleQuery = (query: { readonly contractId?: unknown } | { readonly from?: unknown; readonly to?: unknown }): InvalidScheduleQuery | undefined => {
  const bad = (field: string, why: string): InvalidScheduleQuery => ({ _tag: 'InvalidScheduleQuery', message: `schedule query: ${field} ${why}`, field })
  if ('contractId' in query && !(typeof query.contractId === 'string' && query.contractId.length > 0 && query.contractId.length <= 512)) return bad('contractId', 'must be 1 to 512 characters')
  if ('from' in query || 'to' in query) {
    const w = query as { readonly from?: unknown; readonly to?: unknown }
    if (!Instant.is(w.from)) return bad('from', 'must be an instant')
    if (!Instant.is(w.to)) return bad('to', 'must be an instant')
    if (w.to < w.from) return bad('to', 'must not be before from')
  }
  return undefined
}

/** The key a store files a source under. */
export const sourceKey = (s: ScheduleSource): string => `${s.kind}:${s.id}`

/** The key of a row's subject: unique with the obligation's name. */
export const subjectKey = (s: ScheduleSubject): string => `${s.aggregate}:${s.id}`

/** The obligations of one subject at an instant, by the same queries the report uses. */
const statesAt = (
  subject: ObligationSubject,
  events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
  at: Instant,
  calendars: CalendarRegistry,
): E.Either<string, ReadonlyArray<ObligationState>> => {
  if (subject.aggregate === 'ticket') {
    const r = obligationsOfTicket(events as ReadonlyArray<RecordedEvent<TicketEvent>>, at, calendars)
    return E.isLeft(r) ? E.left(r.left.message) : E.right(r.right)
  }
  const r = incidentObligationsAt(incidentRecords(events as ReadonlyArray<RecordedEvent<IncidentEvent>>, at), at, calendars)
  return '_tag' in r ? E.left(r.message) : E.right(r)
}

const isOpen = (s: ObligationState): boolean => s.status === 'pending' || s.status === 'warned' || (s.status === 'breached' && s.stoppedAt === undefined)

const sameObligation = (a: ObligationState) => (b: ObligationState) => b.obligation === a.obligation

/**
 * Every `warnAtBps` a subject's rules could name: the candidates a clock may cross. Any rule a
 * subject's events carry (a ticket's policy, a demand's, a report window fixed at the failure or at
 * restoration) and the contract policy's defaults, which an incident recorded before its report
 * window was fixed falls back on. A candidate the clock's own rule does not name fails the check
 * against the queries, so taking too many costs a probe, never a wrong warning.
 */
const candidateThresholds = (events: ReadonlyArray<RecordedEvent<LedgerEvent>>): ReadonlyArray<number> => {
  const found = new Set<number>(defaultContractPolicy.failureReportWindow.warnAtBps)
  const walk = (u: unknown, depth: number): void => {
    if (depth > 8 || u === null || typeof u !== 'object') return
    for (const [k, v] of Object.entries(u)) {
      if (k !== 'warnAtBps' || !Array.isArray(v)) walk(v, depth + 1)
      else for (const b of v) if (typeof b === 'number') found.add(b)
    }
  }
  for (const e of events) walk(e.data, 0)
  return [...found].sort((a, b) => a - b)
}

/** The calendar a clock runs on: the ticket's, the incident's, or the one the failure report's window was fixed with. */
const calendarOf = (state: ObligationState, events: ReadonlyArray<RecordedEvent<LedgerEvent>>): string | undefined => {
  if (state.subject.aggregate === 'incident' && state.obligation === 'failure-report') {
    const record = incidentRecords(events as ReadonlyArray<RecordedEvent<IncidentEvent>>, latestAt(events))[0]
    return record === undefined ? undefined : failureReportClock(record).calendarId
  }
  for (const e of events) if (e.type === 'RequestFiled' || e.type === 'FailureReported') return e.data.calendarId
  return undefined
}

/** The meter a clock runs on: business time on the calendar in force at its start, or elapsed time. */
const meterOf = (
  state: ObligationState,
  events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
  calendars: CalendarRegistry,
): ClockMeter | undefined => {
  if (state.measure === 'elapsed') return elapsedMeter
  const calendarId = calendarOf(state, events)
  const calendar = calendarId === undefined ? undefined : calendars.calendarAt(calendarId, state.startedAt)
  return calendar === undefined ? undefined : businessMeter(calendar)
}

/**
 * The first instant from `from` at which `reached` holds, knowing it holds at `hint` or near it:
 * the meter's arithmetic is exact only to the millisecond, so the answer is checked with the query itself.
 */
const firstInstant = (reached: (at: Instant) => boolean, from: Instant, hint: Instant, limit: Instant): Instant | undefined => {
  let at = hint < from ? from : hint
  for (let i = 0; i < 4 && !reached(at); i++) at = addMillis(at, 1)
  for (let i = 0; i < 4 && reached(at) && at > from && reached(addMillis(at, -1)); i++) at = addMillis(at, -1)
  if (reached(at) && (at <= from || !reached(addMillis(at, -1)))) return at
  // The hint was off by more than a rounding: bisect between `from` (not reached) and `limit`.
  if (!reached(limit)) return undefined
  let lo = Date.parse(from)
  let hi = Date.parse(limit)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (reached(instantOf(mid))) hi = mid
    else lo = mid
  }
  return instantOf(hi)
}

const latestAt = (events: ReadonlyArray<RecordedEvent<LedgerEvent>>): Instant => {
  let knownAt = (events[0]!.data as { readonly at: Instant }).at
  for (const e of events) {
    const at = (e.data as { readonly at: Instant }).at
    if (at > knownAt) knownAt = at
  }
  return knownAt
}

/**
 * The open obligations of one source from all its events so far. A ticket's and an incident's
 * states come from the same queries as `obligationsAt` and the report, read at the latest event;
 * warning instants are found on the clock's own meter and checked against those queries to the
 * millisecond. A contract's quarters come from the quarter schedule and `quarterVerdicts`.
 */
export const scheduleOfSource = (
  source: ScheduleSource,
  events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
  deps: ScheduleDeps,
): E.Either<ScheduleProblem, ReadonlyArray<ScheduledObligation>> => {
  if (events.length === 0) return E.right([])
  if (source.kind === 'deliveries') return E.right(quarterRows(events, deps))
  const rows = clockRows({ aggregate: source.kind, id: source.id }, events, deps.calendars)
  return E.isLeft(rows) ? E.left({ source, message: rows.left }) : rows
}

/**
 * The quarters of a contract without a delivery that counts (none recorded, or only rejected ones),
 * past and future: each falls due at its due instant. The term is the one in force once every
 * recorded amendment has taken effect.
 */
const quarterRows = (events: ReadonlyArray<RecordedEvent<LedgerEvent>>, deps: ScheduleDeps): ReadonlyArray<ScheduledObligation> => {
  const byStream = [...events].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.streamVersion - b.streamVersion))
  const contractEvents = byStream.filter((e) => e.streamId.startsWith('contract-')) as ReadonlyArray<RecordedEvent<ContractEvent>>
  const deliveryEvents = byStream.filter((e) => e.streamId.startsWith('delivery-')) as ReadonlyArray<RecordedEvent<DeliveryEvent>>
  const knownAt = latestAt(events)
  const contract = fold(contractDecider, contractEvents)
  // The contract is registered by both signatures (or, in records from before both signed, by one event).
  const registration = contractEvents.filter((e) => e.type === 'ContractRegistered' || e.type === 'ContractProposed' || e.type === 'ContractCountersigned')
  if (contract.status !== 'registered' || registration.length === 0) return []
  const horizon = contract.amendments.reduce((at, a) => (a.effectiveAt > at ? a.effectiveAt : at), knownAt)
  const terms = termsAt(contract, horizon)
  if (terms === undefined) return []
  const schedule = quarterSchedule(terms, deps.deliveryGraceDays ?? defaultDeliveryGraceDays)
  return quarterVerdicts(schedule, deliveriesAsOf(deliveryEvents, knownAt), knownAt)
    .filter((q) => q.deliveryId === undefined)
    .map((q) => {
      const startedAt = startOfLocalDate(q.start, terms.timeZone)
      return {
        contractId: terms.contractId,
        subject: { aggregate: 'quarter' as const, id: `${terms.contractId}/${q.quarter}` },
        obligation: 'quarterly-delivery' as const,
        clause: 10,
        measure: 'elapsed' as const,
        startedAt,
        windowMinutes: Math.max(0, (Date.parse(q.dueAt) - Date.parse(startedAt)) / 60_000),
        awaiting: false,
        warnings: [],
        openedBy: registration.map((e) => e.eventId),
        knownAt,
        dueAt: q.dueAt,
      }
    })
}

const clockRows = (
  subject: ObligationSubject,
  events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
  calendars: CalendarRegistry,
): E.Either<string, ReadonlyArray<ScheduledObligation>> => {
  const knownAt = latestAt(events)
  const now = statesAt(subject, events, knownAt, calendars)
  if (E.isLeft(now)) return now
  const out: ScheduledObligation[] = []
  for (const state of now.right.filter(isOpen)) {
    const base = {
      contractId: state.contractId,
      subject: state.subject,
      obligation: state.obligation,
      clause: state.clause,
      measure: state.measure,
      startedAt: state.startedAt,
      windowMinutes: state.windowMinutes,
      openedBy: state.evidence.filter((e) => e.role === 'started').map((e) => e.eventId),
      knownAt,
    }
    if (state.status === 'breached' || state.status === 'met') {
      out.push({ ...base, dueAt: state.dueAt, awaiting: false, warnings: [] })
      continue
    }
    const reachedBps = state.status === 'warned' ? state.thresholdBps : undefined
    const warnings: ScheduledWarning[] = []
    const meter = meterOf(state, events, calendars)
    // While a pause is open the clock stands still: no threshold ahead has an instant yet.
    if (state.pausedBy.length === 0 && state.dueAt !== undefined && meter !== undefined && state.windowMinutes > 0) {
      const thresholdAt = (at: Instant): number => {
        const r = statesAt(subject, events, at, calendars)
        const s = E.isRight(r) ? r.right.find(sameObligation(state)) : undefined
        return s?.status === 'warned' ? s.thresholdBps : s?.status === 'breached' ? Number.POSITIVE_INFINITY : -1
      }
      const limit = state.dueAt > knownAt ? state.dueAt : knownAt
      for (const bps of candidateThresholds(events)) {
        if (reachedBps !== undefined && bps <= reachedBps) continue
        const needed = (state.windowMinutes * bps) / 10_000 - state.usedMinutes
        if (needed <= 0) continue
        const at = firstInstant((i) => thresholdAt(i) >= bps, knownAt, meter.add(knownAt, needed), limit)
        // A candidate this clock's rule does not name is never the threshold shown at its instant.
        if (at === undefined || at > state.dueAt || thresholdAt(at) !== bps) continue
        warnings.push({ bps: bps as BasisPoints, at })
      }
    }
    out.push({
      ...base,
      ...(state.dueAt === undefined ? {} : { dueAt: state.dueAt }),
      ...(reachedBps === undefined ? {} : { reachedBps }),
      awaiting: state.awaiting === 'acceptance',
      warnings,
    })
  }
  return E.right(out)
}

/** The state at `at` (not before `knownAt`) of a scheduled obligation: what `obligationsAt` reports then. */
export const scheduledStateAt = (o: ScheduledObligation, at: Instant): ScheduledState => {
  if (o.dueAt !== undefined && at > o.dueAt && !o.awaiting) return { status: 'breached' }
  let reached = o.reachedBps
  for (const w of o.warnings) if (w.at <= at && (reached === undefined || w.bps > reached)) reached = w.bps
  return reached === undefined ? { status: 'pending' } : { status: 'warned', thresholdBps: reached }
}

/** The alarms of an obligation: its due instant and its warnings ahead. */
export const alarmsOf = (o: ScheduledObligation): ReadonlyArray<ScheduleAlarm> => [
  ...o.warnings.map((w) => ({ at: w.at, kind: 'warning' as const, bps: w.bps, obligation: o })),
  ...(o.dueAt === undefined ? [] : [{ at: o.dueAt, kind: 'due' as const, obligation: o }]),
]

/** Soonest due first, those with no due instant last; then by subject and obligation, so every store lists them in one order. */
export const compareScheduled = (a: ScheduledObligation, b: ScheduledObligation): number => {
  const da = a.dueAt ?? '~'
  const db = b.dueAt ?? '~'
  if (da !== db) return da < db ? -1 : 1
  const ka = `${subjectKey(a.subject)}|${a.obligation}`
  const kb = `${subjectKey(b.subject)}|${b.obligation}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** In order of time; at one instant, warnings before due, then by subject and obligation. */
export const compareAlarms = (a: ScheduleAlarm, b: ScheduleAlarm): number => {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1
  if (a.kind !== b.kind) return a.kind === 'warning' ? -1 : 1
  const ka = `${subjectKey(a.obligation.subject)}|${a.obligation.obligation}|${a.bps ?? 0}`
  const kb = `${subjectKey(b.obligation.subject)}|${b.obligation.obligation}|${b.bps ?? 0}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}
