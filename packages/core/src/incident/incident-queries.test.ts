import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor, RecordedEvent } from '../kernel/recorded-event.js'
import { exampleTerms } from '../ticket/ticket.fixture.js'
import { defaultSlaPolicy, type PositiveMinutes } from '../sla/sla-policy.js'
import { verdictOf } from '../sla/obligation.js'
import type { IncidentCommand } from './incident-commands.js'
import { incidentDecider } from './incident-decider.js'
import type { FailureReport, IncidentEvent } from './incident-events.js'
import type { IncidentId } from '../values/domain-ids.js'
import { arrivalObligation, failureReportObligation, incidentObligationsAt, incidentRecords } from './incident-queries.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const customer: Actor = { party: 'customer', id: 'aigerim' }
const supplier: Actor = { party: 'supplier', id: 'daniyar' }
const incidentId = 'INC-9' as IncidentId
// A contract whose parties agreed the failure report within 5 business days of the failure's report.
const terms = { ...exampleTerms, policy: { ...exampleTerms.policy, failureReportWindow: { ...exampleTerms.policy.failureReportWindow, minutes: 2400 as PositiveMinutes } } }
const report: FailureReport = { summary: 's', rootCauses: ['c'], preventiveMeasures: ['m'], timeline: [] }
// Friday 7 June 2024, Almaty (UTC+5).
const at = (local: string) => new Date(`${local}+05:00`).toISOString() as Instant

type Step = IncidentCommand extends infer C ? (C extends unknown ? Omit<C, 'actor' | 'at' | 'terms' | 'incidentId'> : never) : never
const recorded = (commands: ReadonlyArray<readonly [Actor, string, Step]>): RecordedEvent<IncidentEvent>[] => {
  const events: IncidentEvent[] = []
  for (const [actor, when, rest] of commands) {
    const r = incidentDecider.decide({ ...rest, incidentId, actor, at: at(when), terms } as IncidentCommand, fold(incidentDecider, events))
    if (E.isLeft(r)) throw new Error(r.left.message)
    events.push(...r.right)
  }
  return events.map((e, i) => ({ ...e, streamId: 'incident-INC-9', streamVersion: i + 1, globalPosition: i + 1, eventId: `inc/${i + 1}`, schemaVersion: 1, metadata: { actor: e.data.actor, at: e.data.at, recordedAt: e.data.at } }) as RecordedEvent<IncidentEvent>)
}
const record = (events: ReadonlyArray<RecordedEvent<IncidentEvent>>, asOf: string) => {
  const [r] = incidentRecords(events, at(asOf))
  if (r === undefined) throw new Error('no incident')
  return r
}

const reported = [customer, '2024-06-07T16:00:00', { type: 'ReportFailure', summary: 'down', site: 'DC' }] as const
const demanded = [customer, '2024-06-07T16:05:00', { type: 'DemandOnSite', site: 'DC', arrivalRule: defaultSlaPolicy.onSiteArrival.default }] as const
// Reported after hours on Friday: the report's business clock starts on Monday 09:00.
const reportedEvening = [customer, '2024-06-07T18:30:00', { type: 'ReportFailure', summary: 'down', site: 'DC' }] as const
const restored = [supplier, '2024-06-07T20:00:00', { type: 'RecordServiceRestored', note: 'ok' }] as const

describe('incident obligations', () => {
  it('an arrival 3 h 20 min after the demand breaches clause 6, proved by the demand and the arrival', () => {
    const events = recorded([reported, demanded, [supplier, '2024-06-07T19:25:00', { type: 'RecordEngineerArrival', engineer: 'd' }]])
    const s = arrivalObligation(record(events, '2024-06-08T00:00:00'), at('2024-06-08T00:00:00'), calendars)
    expect(s).toMatchObject({ status: 'breached', obligation: 'on-site-arrival', clause: 6, dueAt: at('2024-06-07T19:05:00'), stoppedAt: at('2024-06-07T19:25:00') })
    expect(s !== undefined && 'evidence' in s && s.evidence.map((e) => `${e.eventId}:${e.role}`)).toEqual(['inc/2:started', 'inc/3:stopped'])
  })

  it('while the engineer is on the way the arrival clock warns at half of the window, and breaches after it', () => {
    const events = recorded([reported, demanded])
    expect(arrivalObligation(record(events, '2024-06-07T17:40:00'), at('2024-06-07T17:40:00'), calendars)).toMatchObject({ status: 'warned', thresholdBps: 5000, leftMinutes: 85 })
    expect(arrivalObligation(record(events, '2024-06-07T19:06:00'), at('2024-06-07T19:06:00'), calendars)).toMatchObject({ status: 'breached' })
  })

  it('the failure report is due the agreed 5 business days after the failure was reported: a Friday-evening report is due Friday next week at the end of the day', () => {
    const events = recorded([reportedEvening, restored])
    const s = failureReportObligation(record(events, '2024-06-10T10:00:00'), at('2024-06-10T10:00:00'), calendars)
    // Counting starts Monday 09:00; 40 business hours end Friday 14 June 18:00. Restoration does not restart it.
    expect(s).toMatchObject({ status: 'pending', obligation: 'failure-report', measure: 'business', dueAt: at('2024-06-14T18:00:00') })
    expect('evidence' in s && s.evidence.map((e) => `${e.eventId}:${e.role}`)).toEqual(['inc/1:started'])
  })

  it('clause 7 covers every failure: one never marked restored owes its report from the failure report, and breaches after the window', () => {
    const events = recorded([reportedEvening])
    expect(failureReportObligation(record(events, '2024-06-10T10:00:00'), at('2024-06-10T10:00:00'), calendars)).toMatchObject({ status: 'pending', dueAt: at('2024-06-14T18:00:00') })
    expect(failureReportObligation(record(events, '2025-05-01T10:00:00'), at('2025-05-01T10:00:00'), calendars)).toMatchObject({ status: 'breached', dueAt: at('2024-06-14T18:00:00') })
    expect(incidentObligationsAt(incidentRecords(events, at('2024-06-10T10:00:00')), at('2024-06-10T10:00:00'), calendars)).toMatchObject([{ obligation: 'failure-report', clause: 7 }])
  })

  it('a report submitted in time that awaits the customer stays pending past the due instant; accepted, it is met', () => {
    const submitted = [supplier, '2024-06-13T10:00:00', { type: 'SubmitFailureReport', report }] as const
    const waiting = recorded([reportedEvening, restored, submitted])
    const late = failureReportObligation(record(waiting, '2024-06-20T10:00:00'), at('2024-06-20T10:00:00'), calendars)
    // Past the due instant the clock shows its last warning, but the verdict waits on the customer.
    expect(late).toMatchObject({ status: 'warned', awaiting: 'acceptance' })
    expect(late !== undefined && 'status' in late && verdictOf(late)).toBe('pending')
    const accepted = recorded([reportedEvening, restored, submitted, [customer, '2024-06-20T10:00:00', { type: 'AcceptFailureReport' }]])
    const s = failureReportObligation(record(accepted, '2024-06-21T10:00:00'), at('2024-06-21T10:00:00'), calendars)
    expect(s).toMatchObject({ status: 'met', metAt: at('2024-06-13T10:00:00') })
  })

  it('a returned report counts for nothing: resubmitted after the due instant, the obligation is breached', () => {
    const events = recorded([reportedEvening, restored,
      [supplier, '2024-06-13T10:00:00', { type: 'SubmitFailureReport', report }],
      [customer, '2024-06-13T12:00:00', { type: 'ReturnFailureReport', reason: 'thin' }],
      [supplier, '2024-06-17T10:00:00', { type: 'SubmitFailureReport', report }],
      [customer, '2024-06-17T12:00:00', { type: 'AcceptFailureReport' }],
    ])
    const s = failureReportObligation(record(events, '2024-06-18T00:00:00'), at('2024-06-18T00:00:00'), calendars)
    expect(s).toMatchObject({ status: 'breached', stoppedAt: at('2024-06-17T10:00:00') })
    expect(s !== undefined && 'evidence' in s && s.evidence.map((e) => e.role)).toEqual(['started', 'delivered', 'rejected', 'stopped', 'accepted'])
  })

  it('a calendar missing from the registry is reported, not thrown', () => {
    const events = recorded([reported, restored])
    const empty = { calendarAt: () => undefined }
    expect(incidentObligationsAt(incidentRecords(events, at('2024-06-10T00:00:00')), at('2024-06-10T00:00:00'), empty)).toMatchObject({ _tag: 'CalendarNotFound', calendarId: 'kz-5day' })
  })
})
