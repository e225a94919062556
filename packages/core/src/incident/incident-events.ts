/** The incident's events: a failure of the product from its report to the accepted failure report. */
import * as t from 'io-ts'
import { ContractId } from '../contract/contract-terms.js'
import { eventCatalog, eventType } from '../kernel/event-catalog.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { WindowRule } from '../sla/sla-policy.js'

// model

/** The brand that marks a string as a checked `IncidentId`. */
export interface IncidentIdBrand {
  readonly IncidentId: unique symbol
}
/** An incident's id within its contract, 1 to 128 characters. */
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

/**
 * `reportRule`: the failure report's window (clause 7), fixed from the contract's policy when the
 * failure is reported. Absent only from incidents recorded before the obligation ran from the
 * report; theirs ran from restoration (`ServiceRestored.reportRule`).
 */
export const FailureReported = t.readonly(
  t.intersection([t.type({ ...base, summary: t.string, site: t.string, calendarId: t.string, timeZone: t.string }), t.partial({ reportRule: WindowRule })]),
  'FailureReported',
)
export type FailureReported = t.TypeOf<typeof FailureReported>

/** The arrival rule is fixed when the demand is made, so a later amendment never alters this verdict. */
export const OnSiteDemanded = t.readonly(t.type({ ...base, site: t.string, arrivalRule: WindowRule }), 'OnSiteDemanded')
export type OnSiteDemanded = t.TypeOf<typeof OnSiteDemanded>

/** The supplier's engineer arrived on site: stops the on-site arrival clock. */
export const EngineerArrived = t.readonly(t.type({ ...base, engineer: t.string }), 'EngineerArrived')
export type EngineerArrived = t.TypeOf<typeof EngineerArrived>

/** The report's window as fixed when the failure was reported (for older records: at restoration), with the calendar in force at restoration. */
export const ServiceRestored = t.readonly(
  t.type({ ...base, note: t.string, reportRule: WindowRule, calendarId: t.string }),
  'ServiceRestored',
)
export type ServiceRestored = t.TypeOf<typeof ServiceRestored>

/** The supplier submitted the failure report (clause 7); `revision` counts submissions, starting at 1. */
export const FailureReportSubmitted = t.readonly(t.type({ ...base, report: FailureReport, revision: t.number }), 'FailureReportSubmitted')
export type FailureReportSubmitted = t.TypeOf<typeof FailureReportSubmitted>

/** The customer returned the report for rework, with a reason; the supplier submits a new revision. */
export const FailureReportReturned = t.readonly(t.type({ ...base, reason: t.string, revision: t.number }), 'FailureReportReturned')
export type FailureReportReturned = t.TypeOf<typeof FailureReportReturned>

/** The customer accepted revision `revision` of the failure report. */
export const FailureReportAccepted = t.readonly(t.type({ ...base, revision: t.number }), 'FailureReportAccepted')
export type FailureReportAccepted = t.TypeOf<typeof FailureReportAccepted>

/** The incident is over; no further command is taken for it. */
export const IncidentClosed = t.readonly(t.type(base), 'IncidentClosed')
export type IncidentClosed = t.TypeOf<typeof IncidentClosed>

/** The catalog of incident events, with their codecs and upcasters: what a store of incident streams is built with. */
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
/** Any event of an incident stream. */
export type IncidentEvent = t.TypeOf<typeof incidentEvents.codec>

// operations

/** An incident's stream, scoped by its contract like a ticket's: the same incident id on two contracts is two incidents. */
export const incidentStreamId = (contractId: string, incidentId: string): string => `incident-${encodeURIComponent(contractId)}/${encodeURIComponent(incidentId)}`
