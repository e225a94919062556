/** The state of one time-limited obligation at an instant, with the events that prove it: what reports count. */
import * as t from 'io-ts'
import { BasisPoints } from '../contract/contract-terms.js'
import { Instant } from '../kernel/instant.js'
import { ClockMeasure } from './sla-policy.js'

// model

/** The clocks the contract runs. Tickets run the first two; incidents run on-site arrival and the failure report. */
export const ObligationName = t.keyof(
  { 'deadline-proposal': null, 'agreed-deadline': null, 'on-site-arrival': null, 'failure-report': null },
  'ObligationName',
)
export type ObligationName = t.TypeOf<typeof ObligationName>

/** What the obligation is about: one ticket, one incident. */
export const ObligationSubject = t.readonly(t.type({ aggregate: t.keyof({ ticket: null, incident: null }), id: t.string }), 'ObligationSubject')
export type ObligationSubject = t.TypeOf<typeof ObligationSubject>

/** What an event did to the clock. */
export const EvidenceRole = t.keyof(
  {
    /** Started the clock (a request received, a deadline agreed, a demand made). */
    started: null,
    /** Changed its window (a priority change, a renegotiated deadline). */
    retargeted: null,
    /** A recorded request to the customer that paused it, and the answer that resumed it. */
    paused: null,
    resumed: null,
    /** A deadline the supplier proposed (clauses 2 to 5 show every proposal, whatever the customer answered). */
    proposed: null,
    /** A result delivered that the customer has not yet accepted or rejected, or one rejected. */
    delivered: null,
    rejected: null,
    /** The event that stopped it (a proposal, an accepted result's delivery, an arrival) and its acceptance. */
    stopped: null,
    accepted: null,
  },
  'EvidenceRole',
)
export type EvidenceRole = t.TypeOf<typeof EvidenceRole>

/** One recorded event behind a verdict: its id (the envelope's `eventId`), when it happened, and what it did. */
export const Evidence = t.readonly(t.type({ eventId: t.string, at: Instant, role: EvidenceRole }), 'Evidence')
export type Evidence = t.TypeOf<typeof Evidence>

const common = {
  contractId: t.string,
  subject: ObligationSubject,
  obligation: ObligationName,
  /** The numbered clause of the contract (1-13) this obligation serves. */
  clause: t.number,
  measure: ClockMeasure,
  startedAt: Instant,
  /** The window in minutes of `measure` (for an agreed deadline: from the agreement to the deadline). */
  windowMinutes: t.number,
  /** In order of time. */
  evidence: t.readonlyArray(Evidence),
}

/**
 * For the clocks of a deadline agreement (clauses 2-5): when the supplier first proposed a
 * deadline and when the customer agreed one, so a verdict shows both whatever rule it applied.
 */
const deadlineTimes = { proposedAt: Instant, agreedAt: Instant }

/**
 * Why a running clock cannot breach yet: a result delivered in time awaits the customer's
 * verdict (`acceptance`), or no deadline is agreed yet, so there is no due instant (`agreement`).
 */
export const Awaiting = t.keyof({ acceptance: null, agreement: null }, 'Awaiting')
export type Awaiting = t.TypeOf<typeof Awaiting>

const running = {
  ...common,
  /** Minutes of `measure` used so far, pauses excluded. */
  usedMinutes: t.number,
  /** Minutes of `measure` left until it is due; 0 once due. */
  leftMinutes: t.number,
  /** Ids of the open requests to the customer that pause it now; empty when it runs. */
  pausedBy: t.readonlyArray(t.string),
}

/** Running, no warning threshold reached. `dueAt` is absent while paused or before a deadline is agreed (the due instant is not known yet). */
export const PendingObligation = t.readonly(
  t.intersection([
    t.type({ status: t.literal('pending'), ...running }),
    t.partial({ dueAt: Instant, awaiting: Awaiting, ...deadlineTimes }),
  ]),
  'PendingObligation',
)
export type PendingObligation = t.TypeOf<typeof PendingObligation>

/** Running, with at least one warning threshold reached: `thresholdBps` is the highest reached. */
export const WarnedObligation = t.readonly(
  t.intersection([
    t.type({ status: t.literal('warned'), ...running, thresholdBps: BasisPoints }),
    t.partial({ dueAt: Instant, awaiting: Awaiting, ...deadlineTimes }),
  ]),
  'WarnedObligation',
)
export type WarnedObligation = t.TypeOf<typeof WarnedObligation>

/**
 * Stopped in time. For an agreed deadline, `metAt` is the delivery of the result the customer
 * accepted; `marginMinutes` is how much of the window was left then.
 */
export const MetObligation = t.readonly(
  t.intersection([t.type({ status: t.literal('met'), ...common, dueAt: Instant, metAt: Instant, marginMinutes: t.number }), t.partial(deadlineTimes)]),
  'MetObligation',
)
export type MetObligation = t.TypeOf<typeof MetObligation>

/** Not stopped by `dueAt`. `stoppedAt` is when it was finally stopped, if it was. */
export const BreachedObligation = t.readonly(
  t.intersection([t.type({ status: t.literal('breached'), ...common, dueAt: Instant }), t.partial({ stoppedAt: Instant, ...deadlineTimes })]),
  'BreachedObligation',
)
export type BreachedObligation = t.TypeOf<typeof BreachedObligation>

/**
 * One obligation's state at an instant: pending, warned (a threshold of its window is used), met or breached, with the
 * events that prove it.
 */
export const ObligationState = t.union([PendingObligation, WarnedObligation, MetObligation, BreachedObligation], 'ObligationState')
export type ObligationState = t.TypeOf<typeof ObligationState>

/** The status of an obligation state: `pending`, `warned`, `met` or `breached`. */
export type ObligationStatus = ObligationState['status']

/** The verdict a report counts: a warned obligation is still pending. */
export type ObligationVerdict = 'met' | 'breached' | 'pending'

/** How many obligations are met, breached and still pending, out of a total. */
export interface ObligationCounts {
  readonly total: number
  readonly met: number
  readonly breached: number
  readonly pending: number
}

// operations

/** The verdict a report counts for an obligation state; a warned obligation is still pending. */
export const verdictOf = (state: ObligationState): ObligationVerdict =>
  state.status === 'warned' ? 'pending' : state.status

/** Counts verdicts, e.g. per clause after grouping by `clause`. */
export const countVerdicts = (states: Iterable<ObligationState>): ObligationCounts => {
  let met = 0
  let breached = 0
  let pending = 0
  for (const s of states) {
    const v = verdictOf(s)
    if (v === 'met') met++
    else if (v === 'breached') breached++
    else pending++
  }
  return { total: met + breached + pending, met, breached, pending }
}
