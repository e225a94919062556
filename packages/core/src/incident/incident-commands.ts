/** The incident's commands. Each carries its time, its actor and the contract terms in force at that time. */
import * as t from 'io-ts'
import { ContractTerms } from '../contract/contract-terms.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { defaultContractPolicy } from '../contract/contract-policy.js'
import { defaultSlaPolicy, WindowRule } from '../sla/sla-policy.js'
import { FailureReport, IncidentId } from './incident-events.js'

// model

/** The failure report's window when the parties agreed no other: the contract policy's default (`ContractPolicy.failureReportWindow`). */
export const defaultFailureReportRule: WindowRule = defaultContractPolicy.failureReportWindow

/** On-site arrival follows the contract's SLA policy (3 elapsed hours by default). */
export const defaultOnSiteArrivalRule: WindowRule = defaultSlaPolicy.onSiteArrival.default

// codecs

const base = { incidentId: IncidentId, at: Instant, actor: Actor, terms: ContractTerms }

/** Either party records a failure of the system at a site; the failure report is due within its window from now. */
export const ReportFailure = t.readonly(t.type({ type: t.literal('ReportFailure'), ...base, summary: t.string, site: t.string }), 'ReportFailure')
export type ReportFailure = t.TypeOf<typeof ReportFailure>

/** The customer demands an engineer on site: the arrival clock starts. */
export const DemandOnSite = t.readonly(
  /**
   * `arrivalRule` is the SLA policy's in force at the demand, which the application fills in from
   * the contract: it is never the caller's to choose (the ledger's request has no such field).
   */
  t.type({ type: t.literal('DemandOnSite'), ...base, site: t.string, arrivalRule: WindowRule }),
  'DemandOnSite',
)
export type DemandOnSite = t.TypeOf<typeof DemandOnSite>

/** The supplier records its engineer's arrival on site. */
export const RecordEngineerArrival = t.readonly(t.type({ type: t.literal('RecordEngineerArrival'), ...base, engineer: t.string }), 'RecordEngineerArrival')
export type RecordEngineerArrival = t.TypeOf<typeof RecordEngineerArrival>

/** The supplier records that service is restored, with a note. */
export const RecordServiceRestored = t.readonly(t.type({ type: t.literal('RecordServiceRestored'), ...base, note: t.string }), 'RecordServiceRestored')
export type RecordServiceRestored = t.TypeOf<typeof RecordServiceRestored>

/** The supplier submits the failure report (clause 7); a returned report is submitted again as a new revision. */
export const SubmitFailureReport = t.readonly(t.type({ type: t.literal('SubmitFailureReport'), ...base, report: FailureReport }), 'SubmitFailureReport')
export type SubmitFailureReport = t.TypeOf<typeof SubmitFailureReport>

/** The customer returns the failure report for rework, with a reason. */
export const ReturnFailureReport = t.readonly(t.type({ type: t.literal('ReturnFailureReport'), ...base, reason: t.string }), 'ReturnFailureReport')
export type ReturnFailureReport = t.TypeOf<typeof ReturnFailureReport>

/** The customer accepts the failure report last submitted. */
export const AcceptFailureReport = t.readonly(t.type({ type: t.literal('AcceptFailureReport'), ...base }), 'AcceptFailureReport')
export type AcceptFailureReport = t.TypeOf<typeof AcceptFailureReport>

/** Closes the incident once its report is accepted. */
export const CloseIncident = t.readonly(t.type({ type: t.literal('CloseIncident'), ...base }), 'CloseIncident')
export type CloseIncident = t.TypeOf<typeof CloseIncident>

/** Any incident command, decoded from input at the entrance (`type` picks the command). */
export const IncidentCommand = t.union(
  [ReportFailure, DemandOnSite, RecordEngineerArrival, RecordServiceRestored, SubmitFailureReport, ReturnFailureReport, AcceptFailureReport, CloseIncident],
  'IncidentCommand',
)
export type IncidentCommand = t.TypeOf<typeof IncidentCommand>
