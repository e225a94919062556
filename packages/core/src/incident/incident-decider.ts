/** The incident decider: a failure from its report through on-site arrival and restoration to an accepted failure report. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { requireActor, requireActorInForce } from '../contract/command-guards.js'
import type { ContractId } from '../contract/contract-terms.js'
import type { Decider } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { WindowRule } from '../sla/sla-policy.js'
import { defaultOnSiteArrivalRule, type IncidentCommand } from './incident-commands.js'
import type { IncidentError } from './incident-errors.js'
import type { FailureReport, IncidentEvent, IncidentId } from './incident-events.js'

// model

/** Where an incident stands, from the failure reported to the incident closed. */
export type IncidentPhase =
  | 'none'
  | 'reported'
  | 'on-site-demanded'
  | 'engineer-arrived'
  | 'restored'
  | 'report-submitted'
  | 'report-returned'
  | 'report-accepted'
  | 'closed'

/** An incident's state: its phase, the clocks fixed for it, and the failure report's revisions. */
export interface IncidentState {
  readonly phase: IncidentPhase
  readonly incidentId?: IncidentId
  readonly contractId?: ContractId
  /** The latest instant recorded: a command may not go back before it. */
  readonly latestAt?: Instant
  readonly report?: FailureReport
  /** The failure report's window, fixed when the failure was reported. */
  readonly reportRule?: WindowRule
  /** How many reports were submitted; the current one's number. */
  readonly revision: number
}

/** The state of an incident stream with no events. */
export const initialIncidentState: IncidentState = { phase: 'none', revision: 0 }

// operations

/** Applies one incident event to the state. */
export const evolveIncident = (state: IncidentState, event: IncidentEvent): IncidentState => {
  const at = event.data.at
  switch (event.type) {
    case 'FailureReported':
      return {
        ...state,
        phase: 'reported',
        incidentId: event.data.incidentId,
        contractId: event.data.contractId,
        latestAt: at,
        ...(event.data.reportRule === undefined ? {} : { reportRule: event.data.reportRule }),
      }
    case 'OnSiteDemanded':
      return { ...state, phase: 'on-site-demanded', latestAt: at }
    case 'EngineerArrived':
      return { ...state, phase: 'engineer-arrived', latestAt: at }
    case 'ServiceRestored':
      return { ...state, phase: 'restored', latestAt: at }
    case 'FailureReportSubmitted':
      return { ...state, phase: 'report-submitted', report: event.data.report, revision: event.data.revision, latestAt: at }
    case 'FailureReportReturned':
      return { ...state, phase: 'report-returned', latestAt: at }
    case 'FailureReportAccepted':
      return { ...state, phase: 'report-accepted', latestAt: at }
    case 'IncidentClosed':
      return { ...state, phase: 'closed', latestAt: at }
  }
}

const outOfOrder = (command: IncidentCommand, state: IncidentState): IncidentError =>
  state.phase === 'none'
    ? { _tag: 'IncidentNotFound', message: `incident ${command.incidentId} was never reported`, incidentId: command.incidentId }
    : {
        _tag: 'IncidentStepOutOfOrder',
        message: `${command.type} does not apply to incident ${command.incidentId} while it is ${state.phase}`,
        incidentId: command.incidentId,
        command: command.type,
        phase: state.phase,
      }

/** The incident belongs to the contract it was reported under: a command naming another is refused. */
const sameContract = (command: IncidentCommand, state: IncidentState): E.Either<IncidentError, void> =>
  state.contractId === undefined || state.contractId === command.terms.contractId
    ? E.right(undefined)
    : E.left({
        _tag: 'ContractMismatch',
        message: `incident ${command.incidentId} belongs to contract ${state.contractId}, not ${command.terms.contractId}`,
        incidentId: command.incidentId,
        expected: state.contractId,
        actual: command.terms.contractId,
      })

/** Checks the actor, the contract, the phase and the time order shared by every step after the report. */
const step = (command: IncidentCommand, state: IncidentState, phases: ReadonlyArray<IncidentPhase>): E.Either<IncidentError, void> =>
  pipe(
    requireActor(command.type, command.actor, command.terms),
    E.flatMap((): E.Either<IncidentError, void> => sameContract(command, state)),
    E.flatMap((): E.Either<IncidentError, void> => (phases.includes(state.phase) ? E.right(undefined) : E.left(outOfOrder(command, state)))),
    E.flatMap((): E.Either<IncidentError, void> =>
      state.latestAt !== undefined && command.at < state.latestAt
        ? E.left({
            _tag: 'IncidentTimeRunsBackwards',
            message: `${command.type} at ${command.at} is earlier than the incident's last step at ${state.latestAt}`,
            incidentId: command.incidentId,
            at: command.at,
            latest: state.latestAt,
          })
        : E.right(undefined),
    ),
  )

const missingParts = (report: FailureReport): ReadonlyArray<'rootCauses' | 'preventiveMeasures'> => [
  ...(report.rootCauses.some((c) => c.trim().length > 0) ? [] : (['rootCauses'] as const)),
  ...(report.preventiveMeasures.some((m) => m.trim().length > 0) ? [] : (['preventiveMeasures'] as const)),
]

/**
 * A new failure or on-site demand needs the contract in force; the later steps finish an obligation
 * incurred during the term, so they are accepted after it ends.
 */
export const decideIncident = (command: IncidentCommand, state: IncidentState): E.Either<IncidentError, ReadonlyArray<IncidentEvent>> => {
  const base = { incidentId: command.incidentId, contractId: command.terms.contractId, at: command.at, actor: command.actor }
  const then = (events: ReadonlyArray<IncidentEvent>) => (): E.Either<IncidentError, ReadonlyArray<IncidentEvent>> => E.right(events)
  switch (command.type) {
    case 'ReportFailure':
      return pipe(
        requireActorInForce(command.type, command.actor, command.terms, command.at),
        E.flatMap((): E.Either<IncidentError, void> =>
          state.phase === 'none'
            ? E.right(undefined)
            : E.left({ _tag: 'IncidentAlreadyReported', message: `incident ${command.incidentId} was already reported`, incidentId: command.incidentId }),
        ),
        E.flatMap(then([{
          type: 'FailureReported',
          data: {
            ...base, summary: command.summary, site: command.site, calendarId: command.terms.calendarId, timeZone: command.terms.timeZone,
            // Clause 7 holds for every failure: its report is owed from now, on the window the contract's policy sets now.
            reportRule: command.terms.policy.failureReportWindow,
          },
        }])),
      )
    case 'DemandOnSite':
      return pipe(
        requireActorInForce(command.type, command.actor, command.terms, command.at),
        E.flatMap(() => step(command, state, ['reported'])),
        // A caller past the codecs that names no rule gets the contract's own three hours, never an event without one.
        E.flatMap(then([{ type: 'OnSiteDemanded', data: { ...base, site: command.site, arrivalRule: (command.arrivalRule as WindowRule | undefined) ?? defaultOnSiteArrivalRule } }])),
      )
    case 'RecordEngineerArrival':
      return pipe(
        step(command, state, ['on-site-demanded']),
        E.flatMap(then([{ type: 'EngineerArrived', data: { ...base, engineer: command.engineer } }])),
      )
    case 'RecordServiceRestored':
      return pipe(
        step(command, state, ['reported', 'on-site-demanded', 'engineer-arrived']),
        E.flatMap(then([{
          type: 'ServiceRestored',
          // The report's window was fixed when the failure was reported; restoration repeats it, never resets it.
          data: { ...base, note: command.note, reportRule: state.reportRule ?? command.terms.policy.failureReportWindow, calendarId: command.terms.calendarId },
        }])),
      )
    case 'SubmitFailureReport':
      return pipe(
        step(command, state, ['restored', 'report-returned']),
        E.flatMap((): E.Either<IncidentError, void> => {
          const missing = missingParts(command.report)
          return missing.length === 0
            ? E.right(undefined)
            : E.left({
                _tag: 'FailureReportIncomplete',
                message: `the failure report for incident ${command.incidentId} lacks ${missing.join(' and ')}`,
                incidentId: command.incidentId,
                missing,
              })
        }),
        E.flatMap(then([{ type: 'FailureReportSubmitted', data: { ...base, report: command.report, revision: state.revision + 1 } }])),
      )
    case 'ReturnFailureReport':
      return pipe(
        step(command, state, ['report-submitted']),
        E.flatMap(then([{ type: 'FailureReportReturned', data: { ...base, reason: command.reason, revision: state.revision } }])),
      )
    case 'AcceptFailureReport':
      return pipe(
        step(command, state, ['report-submitted']),
        E.flatMap(then([{ type: 'FailureReportAccepted', data: { ...base, revision: state.revision } }])),
      )
    case 'CloseIncident':
      return pipe(
        requireActor(command.type, command.actor, command.terms),
        E.flatMap((): E.Either<IncidentError, void> => sameContract(command, state)),
        E.flatMap((): E.Either<IncidentError, void> =>
          state.phase === 'none' || state.phase === 'closed' || state.phase === 'report-accepted'
            ? E.right(undefined)
            : E.left({
                _tag: 'FailureReportNotAccepted',
                message: `incident ${command.incidentId} cannot be closed before its failure report is accepted (it is ${state.phase})`,
                incidentId: command.incidentId,
                phase: state.phase,
              }),
        ),
        E.flatMap(() => step(command, state, ['report-accepted'])),
        E.flatMap(then([{ type: 'IncidentClosed', data: base }])),
      )
  }
}

/**
 * The incident aggregate (clauses 6 and 7): a failure, the on-site visit it may call for, the restoration of service
 * and the failure report.
 */
export const incidentDecider: Decider<IncidentCommand, IncidentState, IncidentEvent, IncidentError> = {
  initialState: initialIncidentState,
  evolve: evolveIncident,
  decide: decideIncident,
}
