/** The incident's events: a failure of the product from its report to the accepted failure report. */
import * as t from 'io-ts'
import { ContractId } from '../contract/contract-terms.js'
import { eventCatalog, eventType } from '../kernel/event-catalog.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { WindowRule } from '../sla/sla-policy.js'

// model

export interface IncidentIdBrand {
  readonly IncidentId: unique symbol
}
export const IncidentId = t.brand(
  t.string,
  (s): s is t.Branded<string, IncidentIdBrand> => s.length > 0 && s.length <= 128,
  'IncidentId',
)
export type IncidentId = t.TypeOf<typeof IncidentId>

/** One line of the failure's timeline. */
export const TimelineEntry = t.readonly(t.type({ at: Instant, what: t.string }), 'TimelineEntry')
export type TimelineEntry = t.TypeOf<typeof TimelineEntry>

/** The failure report: what happened, why, and what makes a repeat less likely. */
export const FailureReport = t.readonly(
  t.type({
    summary: t.string,
    rootCauses: t.readonlyArray(t.string),
    preventiveMeasures: t.readonlyArray(t.string),
    timeline: t.readonlyArray(TimelineEntry),
  }),
  'FailureReport',
)
export type FailureReport = t.TypeOf<typeof FailureReport>

// codecs

const base = { incidentId: IncidentId, contractId: ContractId, at: Instant, actor: Actor }

export const FailureReported = t.readonly(
  t.type({ ...base, summary: t.string, site: t.string, calendarId: t.string, timeZone: t.string }),
  'FailureReported',
)
export type FailureReported = t.TypeOf<typeof FailureReported>

/** The arrival rule is fixed when the demand is made, so a later amendment never alters this verdict. */
export const OnSiteDemanded = t.readonly(t.type({ ...base, site: t.string, arrivalRule: WindowRule }), 'OnSiteDemanded')
export type OnSiteDemanded = t.TypeOf<typeof OnSiteDemanded>

export const EngineerArrived = t.readonly(t.type({ ...base, engineer: t.string }), 'EngineerArrived')
export type EngineerArrived = t.TypeOf<typeof EngineerArrived>

/** The report's window is fixed at restoration, with the calendar in force then. */
export const ServiceRestored = t.readonly(
  t.type({ ...base, note: t.string, reportRule: WindowRule, calendarId: t.string }),
  'ServiceRestored',
)
export type ServiceRestored = t.TypeOf<typeof ServiceRestored>

export const FailureReportSubmitted = t.readonly(t.type({ ...base, report: FailureReport, revision: t.number }), 'FailureReportSubmitted')
export type FailureReportSubmitted = t.TypeOf<typeof FailureReportSubmitted>

export const FailureReportReturned = t.readonly(t.type({ ...base, reason: t.string, revision: t.number }), 'FailureReportReturned')
export type FailureReportReturned = t.TypeOf<typeof FailureReportReturned>

export const FailureReportAccepted = t.readonly(t.type({ ...base, revision: t.number }), 'FailureReportAccepted')
export type FailureReportAccepted = t.TypeOf<typeof FailureReportAccepted>

export const IncidentClosed = t.readonly(t.type(base), 'IncidentClosed')
export type IncidentClosed = t.TypeOf<typeof IncidentClosed>

export const incidentEvents = eventCatalog([
  eventType('FailureReported', FailureReported),
  eventType('OnSiteDemanded', OnSiteDemanded),
  eventType('EngineerArrived', EngineerArrived),
  eventType('ServiceRestored', ServiceRestored),
  eventType('FailureReportSubmitted', FailureReportSubmitted),
  eventType('FailureReportReturned', FailureReportReturned),
  eventType('FailureReportAccepted', FailureReportAccepted),
  eventType('IncidentClosed', IncidentClosed),
])
export type IncidentEvent = t.TypeOf<typeof incidentEvents.codec>

// operations

export const incidentStreamId = (incidentId: IncidentId): string => `incident-${incidentId}`
