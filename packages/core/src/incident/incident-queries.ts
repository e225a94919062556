/** Pure queries over recorded incidents: each incident's steps with event ids, and the verdicts of its two obligations. */
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import type { Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { Evidence, ObligationVerdict } from '../sla/obligation.js'
import type { WindowRule } from '../sla/sla-policy.js'
import { windowDue, type WindowCalendarMissing } from '../sla/window-due.js'
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

export interface IncidentVerdict {
  readonly opensAt: Instant
  readonly dueAt: Instant
  readonly verdict: ObligationVerdict
  readonly evidence: ReadonlyArray<Evidence>
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

/** Evidence in time order; ties by event id, so the order never depends on how the events arrived. */
export const byTime = (evidence: ReadonlyArray<Evidence>): ReadonlyArray<Evidence> =>
  [...evidence].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0))

const verdict = (dueAt: Instant, stoppedAt: Instant | undefined, asOf: Instant): ObligationVerdict =>
  stoppedAt !== undefined ? (stoppedAt <= dueAt ? 'met' : 'breached') : asOf > dueAt ? 'breached' : 'pending'

/**
 * Clause 6: the engineer arrives within the window of the customer's demand. Service restored
 * before anyone arrived also stops the clock: the demand's purpose (restoring the product) was served.
 */
export const arrivalVerdict = (r: IncidentRecord, asOf: Instant, calendars: CalendarRegistry): IncidentVerdict | WindowCalendarMissing | undefined => {
  if (r.demanded === undefined) return undefined
  const dueAt = windowDue(r.demanded.rule, r.demanded.at, r.reported.data.calendarId, calendars)
  if (typeof dueAt !== 'string') return dueAt
  const stop = r.arrived ?? (r.restored !== undefined ? { eventId: r.restored.eventId, at: r.restored.at } : undefined)
  return {
    opensAt: r.demanded.at,
    dueAt,
    verdict: verdict(dueAt, stop?.at, asOf),
    evidence: [{ eventId: r.demanded.eventId, at: r.demanded.at, role: 'started' }, ...(stop === undefined ? [] : [{ eventId: stop.eventId, at: stop.at, role: 'stopped' as const }])],
  }
}

/**
 * Clause 7: a failure report is submitted within the window after restoration. The first
 * submission in time stops the clock once it is accepted; a returned report leaves it running
 * until a later submission is accepted, and the verdict waits on the customer while one is pending.
 */
export const failureReportVerdict = (r: IncidentRecord, asOf: Instant, calendars: CalendarRegistry): IncidentVerdict | WindowCalendarMissing | undefined => {
  if (r.restored === undefined) return undefined
  const dueAt = windowDue(r.restored.rule, r.restored.at, r.restored.calendarId, calendars)
  if (typeof dueAt !== 'string') return dueAt
  const started: Evidence = { eventId: r.restored.eventId, at: r.restored.at, role: 'started' }
  const lastSubmission = r.submissions[r.submissions.length - 1]
  const returned: Evidence[] = r.returns.map((x) => ({ eventId: x.eventId, at: x.at, role: 'rejected' }))
  if (r.accepted !== undefined && lastSubmission !== undefined) {
    return {
      opensAt: r.restored.at,
      dueAt,
      verdict: lastSubmission.at <= dueAt ? 'met' : 'breached',
      evidence: byTime([started, ...returned, { eventId: lastSubmission.eventId, at: lastSubmission.at, role: 'stopped' }, { eventId: r.accepted.eventId, at: r.accepted.at, role: 'accepted' }]),
    }
  }
  const awaiting = lastSubmission !== undefined && (r.returns.length === 0 || (r.returns[r.returns.length - 1]?.at ?? '') <= lastSubmission.at)
  const inTime = awaiting && lastSubmission.at <= dueAt
  return {
    opensAt: r.restored.at,
    dueAt,
    // A submission in time that awaits the customer's answer cannot be breached yet; one that is late already is.
    verdict: inTime ? 'pending' : asOf > dueAt || (awaiting && lastSubmission.at > dueAt) ? 'breached' : 'pending',
    evidence: byTime([started, ...returned, ...(awaiting ? [{ eventId: lastSubmission.eventId, at: lastSubmission.at, role: 'delivered' as const }] : [])]),
  }
}
