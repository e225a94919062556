/** Pure queries over recorded incidents: each incident's steps with event ids, and the verdicts of its two obligations. */
import { calendarNotFound, type CalendarNotFound, type CalendarRegistry } from '../calendar/business-calendar.js'
import { defaultContractPolicy } from '../contract/contract-policy.js'
import type { Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import { businessMeter, elapsedMeter, readClock, thresholdReached, type ClockRun } from '../sla/clock.js'
import type { Evidence, ObligationState } from '../sla/obligation.js'
import type { WindowRule } from '../sla/sla-policy.js'
import type { FailureReported, IncidentEvent } from './incident-events.js'

// model

interface Stamp {
  readonly eventId: string
  readonly at: Instant
}

/** An incident's history as the report reads it, up to an instant. */
export interface IncidentRecord {
  readonly reported: Stamp & { readonly data: FailureReported }
  readonly demanded?: Stamp & { readonly rule: WindowRule }
  readonly arrived?: Stamp
  readonly restored?: Stamp & { readonly rule: WindowRule; readonly calendarId: string }
  readonly submissions: ReadonlyArray<Stamp & { readonly revision: number }>
  readonly returns: ReadonlyArray<Stamp & { readonly reason: string }>
  readonly accepted?: Stamp
  readonly closed?: Stamp
}

// operations

/** Folds recorded incident events, each incident's in stream order, into one record per incident. Events after `asOf` are left out. */
export const incidentRecords = (events: ReadonlyArray<RecordedEvent<IncidentEvent>>, asOf: Instant): ReadonlyArray<IncidentRecord> => {
  const byId = new Map<string, IncidentRecord>()
  for (const e of events) {
    if (e.data.at > asOf) continue
    const stamp = { eventId: e.eventId, at: e.data.at }
    if (e.type === 'FailureReported') {
      byId.set(e.data.incidentId, { reported: { ...stamp, data: e.data }, submissions: [], returns: [] })
      continue
    }
    const r = byId.get(e.data.incidentId)
    if (r === undefined) continue
    switch (e.type) {
      case 'OnSiteDemanded':
        byId.set(e.data.incidentId, { ...r, demanded: { ...stamp, rule: e.data.arrivalRule } })
        break
      case 'EngineerArrived':
        byId.set(e.data.incidentId, { ...r, arrived: stamp })
        break
      case 'ServiceRestored':
        byId.set(e.data.incidentId, { ...r, restored: { ...stamp, rule: e.data.reportRule, calendarId: e.data.calendarId } })
        break
      case 'FailureReportSubmitted':
        byId.set(e.data.incidentId, { ...r, submissions: [...r.submissions, { ...stamp, revision: e.data.revision }] })
        break
      case 'FailureReportReturned':
        byId.set(e.data.incidentId, { ...r, returns: [...r.returns, { ...stamp, reason: e.data.reason }] })
        break
      case 'FailureReportAccepted':
        byId.set(e.data.incidentId, { ...r, accepted: stamp })
        break
      case 'IncidentClosed':
        byId.set(e.data.incidentId, { ...r, closed: stamp })
        break
    }
  }
  return [...byId.values()]
}

/** The order of evidence: by time, ties by event id, so the order never depends on how the events arrived. */
export const evidenceOrder = (a: Evidence, b: Evidence): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)

/** Evidence in time order, as a new list of exactly its length. */
export const byTime = (evidence: ReadonlyArray<Evidence>): ReadonlyArray<Evidence> => [...evidence].sort(evidenceOrder)

/** One incident clock: a fixed window from `start`, stopped by `stop`; `awaiting` is a result in the customer's hands. */
interface IncidentClock {
  readonly record: IncidentRecord
  readonly obligation: 'on-site-arrival' | 'failure-report'
  readonly clause: number
  readonly rule: WindowRule
  readonly calendarId: string
  readonly start: Stamp
  readonly stop: Stamp | undefined
  readonly awaiting: Stamp | undefined
  readonly evidence: ReadonlyArray<Evidence>
}

const clockState = (c: IncidentClock, asOf: Instant, calendars: CalendarRegistry): ObligationState | CalendarNotFound => {
  let meter = elapsedMeter
  if (c.rule.measure === 'business') {
    const calendar = calendars.calendarAt(c.calendarId, c.start.at)
    if (calendar === undefined) {
      return calendarNotFound(c.calendarId, c.start.at)
    }
    meter = businessMeter(calendar)
  }
  const run: ClockRun = { meter, start: c.start.at, target: { minutes: c.rule.minutes }, pauses: [] }
  const common = {
    contractId: c.record.reported.data.contractId,
    subject: { aggregate: 'incident' as const, id: c.record.reported.data.incidentId },
    obligation: c.obligation,
    clause: c.clause,
    measure: c.rule.measure,
    startedAt: c.start.at,
  }
  if (c.stop !== undefined) {
    const reading = readClock(run, c.stop.at)
    const dueAt = reading.dueAt ?? meter.add(c.start.at, c.rule.minutes)
    const evidence = byTime(c.evidence)
    return c.stop.at <= dueAt
      ? { status: 'met', ...common, windowMinutes: reading.windowMinutes, evidence, dueAt, metAt: c.stop.at, marginMinutes: reading.leftMinutes }
      : { status: 'breached', ...common, windowMinutes: reading.windowMinutes, evidence, dueAt, stoppedAt: c.stop.at }
  }
  const reading = readClock(run, asOf)
  const dueAt = reading.dueAt ?? meter.add(c.start.at, c.rule.minutes)
  const evidence = byTime(c.evidence)
  // A result handed over in time and awaiting the customer cannot be breached by the customer's delay.
  const awaitingInTime = c.awaiting !== undefined && c.awaiting.at <= dueAt
  if (asOf > dueAt && !awaitingInTime) return { status: 'breached', ...common, windowMinutes: reading.windowMinutes, evidence, dueAt }
  const running = {
    ...common,
    windowMinutes: reading.windowMinutes,
    evidence,
    usedMinutes: reading.usedMinutes,
    leftMinutes: reading.leftMinutes,
    pausedBy: [],
    dueAt,
    ...(awaitingInTime ? { awaiting: 'acceptance' as const } : {}),
  }
  const threshold = thresholdReached(reading, c.rule.warnAtBps)
  return threshold === undefined ? { status: 'pending', ...running } : { status: 'warned', ...running, thresholdBps: threshold }
}

/**
 * Clause 6: the engineer arrives within the window of the customer's demand. Service restored
 * before anyone arrived also stops the clock: the demand's purpose (restoring the product) was served.
 */
export const arrivalObligation = (r: IncidentRecord, asOf: Instant, calendars: CalendarRegistry): ObligationState | CalendarNotFound | undefined => {
  if (r.demanded === undefined) return undefined
  const stop = r.arrived ?? (r.restored === undefined ? undefined : { eventId: r.restored.eventId, at: r.restored.at })
  return clockState({
    record: r,
    obligation: 'on-site-arrival',
    clause: 6,
    rule: r.demanded.rule,
    calendarId: r.reported.data.calendarId,
    start: r.demanded,
    stop,
    awaiting: undefined,
    evidence: [{ eventId: r.demanded.eventId, at: r.demanded.at, role: 'started' }, ...(stop === undefined ? [] : [{ eventId: stop.eventId, at: stop.at, role: 'stopped' as const }])],
  }, asOf, calendars)
}

/**
 * Where the clause-7 clock of an incident starts and on what rule: from the failure's report, on the
 * window fixed there. Incidents recorded before the report fixed its window ran from restoration;
 * one of those never restored runs from its report on the default window, so no failure goes unowed.
 */
export const failureReportClock = (r: IncidentRecord): { readonly start: Stamp; readonly rule: WindowRule; readonly calendarId: string } => {
  const fixed = r.reported.data.reportRule
  if (fixed !== undefined) return { start: r.reported, rule: fixed, calendarId: r.reported.data.calendarId }
  if (r.restored !== undefined) return { start: r.restored, rule: r.restored.rule, calendarId: r.restored.calendarId }
  return { start: r.reported, rule: defaultContractPolicy.failureReportWindow, calendarId: r.reported.data.calendarId }
}

/**
 * Clause 7: for every failure a report is submitted within the window after the failure was
 * reported (`ContractPolicy.failureReportWindow`). The submission the customer accepts stops the
 * clock; a returned one counts for nothing, and one awaiting the customer's answer keeps the clock
 * from breaching if it was made in time.
 */
export const failureReportObligation = (r: IncidentRecord, asOf: Instant, calendars: CalendarRegistry): ObligationState | CalendarNotFound => {
  const clock = failureReportClock(r)
  const last = r.submissions[r.submissions.length - 1]
  const lastReturn = r.returns[r.returns.length - 1]
  const accepted = r.accepted !== undefined ? last : undefined
  const awaiting = accepted === undefined && last !== undefined && (lastReturn === undefined || lastReturn.at < last.at) ? last : undefined
  const returned = r.submissions.filter((s) => s !== accepted && s !== awaiting)
  return clockState({
    record: r,
    obligation: 'failure-report',
    clause: 7,
    rule: clock.rule,
    calendarId: clock.calendarId,
    start: clock.start,
    stop: accepted,
    awaiting,
    evidence: [
      { eventId: clock.start.eventId, at: clock.start.at, role: 'started' },
      ...returned.map((s) => ({ eventId: s.eventId, at: s.at, role: 'delivered' as const })),
      ...r.returns.map((x) => ({ eventId: x.eventId, at: x.at, role: 'rejected' as const })),
      ...(awaiting === undefined ? [] : [{ eventId: awaiting.eventId, at: awaiting.at, role: 'delivered' as const }]),
      ...(accepted === undefined || r.accepted === undefined ? [] : [{ eventId: accepted.eventId, at: accepted.at, role: 'stopped' as const }, { eventId: r.accepted.eventId, at: r.accepted.at, role: 'accepted' as const }]),
    ],
  }, asOf, calendars)
}

/** Both clocks of every incident, as of an instant. */
export const incidentObligationsAt = (
  records: ReadonlyArray<IncidentRecord>,
  asOf: Instant,
  calendars: CalendarRegistry,
): ReadonlyArray<ObligationState> | CalendarNotFound => {
  const out: ObligationState[] = []
  for (const r of records) {
    for (const s of [arrivalObligation(r, asOf, calendars), failureReportObligation(r, asOf, calendars)]) {
      if (s === undefined) continue
      if ('_tag' in s) return s
      out.push(s)
    }
  }
  return out
}
