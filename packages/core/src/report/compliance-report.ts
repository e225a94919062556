/** The compliance report: from the recorded events, for a period and an as-of instant, every obligation's verdicts with their proof. */
import * as E from 'fp-ts/lib/Either.js'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import { customizationCap } from '../budget/budget-decider.js'
import type { BudgetEvent } from '../budget/budget-events.js'
import { contractDecider, termsAt, type ContractState } from '../contract/contract-decider.js'
import type { ContractEvent } from '../contract/contract-events.js'
import type { ContractTerms } from '../contract/contract-terms.js'
import { defaultDeliveryGraceDays } from '../delivery/delivery-commands.js'
import type { AcceptedChange, DeliveryEvent } from '../delivery/delivery-events.js'
import { changesAwaitingDelivery, changesLeftOut, deliveriesAsOf, quarterVerdicts } from '../delivery/delivery-queries.js'
import { quarterSchedule } from '../delivery/quarter-schedule.js'
import { arrivalObligation, byTime, failureReportObligation, incidentRecords } from '../incident/incident-queries.js'
import type { IncidentEvent } from '../incident/incident-events.js'
import { fold } from '../kernel/decider.js'
import type { DomainError } from '../kernel/domain-error.js'
import { startOfLocalDate } from '../contract/command-guards.js'
import { BoundedInstant, decodeInput, type InvalidInput } from '../kernel/input-codec.js'
import type { Instant } from '../kernel/instant.js'
import * as t from 'io-ts'
import { RecordedLate, type RecordedEvent, type TimeSource } from '../kernel/recorded-event.js'
import type { OperationsEvent } from '../operations/operations-events.js'
import { archivingVerdicts, backupSyncVerdicts, databaseMoveVerdicts, testStandVerdicts } from '../operations/operations-queries.js'
import type { Evidence, ObligationState, ObligationVerdict } from '../sla/obligation.js'
import { verdictOf } from '../sla/obligation.js'
import { obligationsOfTicket } from '../sla/ticket-obligations.js'
import type { TicketEvent } from '../ticket/ticket-events.js'
import type { LedgerEvent } from './ledger-events.js'
import { ratioBps } from './report-format.js'
import { ReportPeriod, resolvePeriod, type ResolvedPeriod } from './report-period.js'

// model

/** The obligations a report always lists, in the contract's order, with the clause each serves. */
export const reportedObligations = [
  { clause: 1, obligation: 'consultation' },
  { clause: 2, obligation: 'deadline-proposal' },
  { clause: 3, obligation: 'agreed-deadline' },
  { clause: 6, obligation: 'on-site-arrival' },
  { clause: 7, obligation: 'failure-report' },
  { clause: 8, obligation: 'database-move' },
  { clause: 9, obligation: 'test-stand' },
  { clause: 10, obligation: 'quarterly-delivery' },
  { clause: 11, obligation: 'customization-cap' },
  { clause: 12, obligation: 'archiving' },
  { clause: 13, obligation: 'backup-sync' },
] as const

/** One instance of an obligation: what it is about, when its clock opened and was due, the verdict and the events that prove it. */
export interface VerdictRow {
  readonly subject: string
  readonly opensAt: Instant
  readonly dueAt?: Instant
  readonly verdict: ObligationVerdict
  readonly detail?: string
  readonly evidence: ReadonlyArray<Evidence>
  /** The evidence recorded later than the contract's tolerance, with the source its declared time rests on; absent when none was. */
  readonly recordedLate?: ReadonlyArray<LateEvidence>
}

/** One event behind a verdict whose declared instant was recorded late, and where that instant comes from. */
export interface LateEvidence {
  readonly eventId: string
  readonly declaredAt: Instant
  readonly recordedAt: Instant
  readonly source: TimeSource
}

export interface ObligationSection {
  readonly clause: number
  readonly obligation: string
  readonly total: number
  readonly met: number
  readonly breached: number
  readonly pending: number
  readonly verdicts: ReadonlyArray<VerdictRow>
}

export interface BudgetSection {
  readonly value: number
  readonly capBps: number
  readonly cap: number
  /** Approved or delivered, not yet accepted. */
  readonly approvedOpen: number
  readonly spent: number
  readonly committed: number
  readonly remaining: number
  /** Committed as a fraction of the cap, basis points, rounded down. */
  readonly usedBps: number
  readonly warnings: ReadonlyArray<{ readonly thresholdBps: number; readonly at: Instant; readonly eventId: string }>
  readonly changes: ReadonlyArray<{ readonly changeId: string; readonly title: string; readonly amount: number; readonly status: string; readonly eventIds: ReadonlyArray<string> }>
  /** The customer's side: committed as a share of the contract value, basis points rounded down, to set against `capBps` (15% = 1500). */
  readonly valueUsedBps: number
  /** Changes refused: cancelled before approval (the estimate declined) or after it (the work withdrawn), by whom and why. */
  readonly refused: ReadonlyArray<{
    readonly changeId: string
    readonly title: string
    readonly amount: number
    readonly by: string
    readonly afterApproval: boolean
    readonly reason: string
    readonly at: Instant
    readonly eventId: string
  }>
}

export interface DeliverySection {
  readonly quarters: ReadonlyArray<{
    readonly quarter: string
    readonly dueAt: Instant
    readonly verdict: ObligationVerdict
    readonly late: boolean
    readonly missing: boolean
    readonly deliveryId?: string
    readonly deliveredAt?: Instant
    readonly version?: string
    readonly artifactSha256?: string
    readonly changes: number
    readonly status?: string
  }>
  readonly changesLeftOut: ReadonlyArray<{ readonly kind: string; readonly id: string; readonly acceptedAt: Instant; readonly skippedBy: string }>
  readonly changesAwaiting: ReadonlyArray<{ readonly kind: string; readonly id: string; readonly acceptedAt: Instant }>
}

export interface IncidentSummary {
  readonly incidentId: string
  readonly summary: string
  readonly reportedAt: Instant
  readonly onSiteDemandedAt?: Instant
  readonly engineerArrivedAt?: Instant
  readonly restoredAt?: Instant
  readonly arrival?: ObligationVerdict
  readonly failureReport: {
    readonly status: 'not-due' | 'awaited' | 'submitted' | 'returned' | 'accepted'
    readonly revision: number
    readonly dueAt?: Instant
    readonly verdict?: ObligationVerdict
  }
  readonly closed: boolean
}

export interface ComplianceReport {
  readonly contractId: string
  readonly product: string
  readonly customer: string
  readonly supplier: string
  readonly timeZone: string
  readonly asOf: Instant
  readonly period: ResolvedPeriod
  readonly obligations: ReadonlyArray<ObligationSection>
  readonly budget: BudgetSection
  readonly deliveries: DeliverySection
  readonly incidents: ReadonlyArray<IncidentSummary>
}

export interface ComplianceReportInput {
  readonly contractId: string
  /** The recorded events, in any order; other contracts' events are left out. */
  readonly events: ReadonlyArray<RecordedEvent<LedgerEvent>>
  readonly asOf: Instant
  readonly period: ReportPeriod
  readonly calendars: CalendarRegistry
  /** Days after a quarter's end its delivery is due; default 10. */
  readonly deliveryGraceDays?: number
}

/** The report cannot be made: the contract is not in the events, or a calendar a clock needs is missing. */
export interface ReportInputInvalid extends DomainError<'ReportInputInvalid'> {
  readonly contractId: string
}

const ReportAsked = t.intersection([
  t.type({ asOf: BoundedInstant, period: ReportPeriod }),
  t.partial({ deliveryGraceDays: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 92, 'GraceDays') }),
])

// operations

const compareRows = (a: VerdictRow, b: VerdictRow): number =>
  a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0

/** Events sorted by stream and version: the one order every input order comes to, so the report never depends on it. */
const canonical = (events: ReadonlyArray<RecordedEvent<LedgerEvent>>): ReadonlyArray<RecordedEvent<LedgerEvent>> =>
  [...events].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.streamVersion - b.streamVersion))

interface Streams {
  readonly contract: RecordedEvent<ContractEvent>[]
  readonly tickets: Map<string, RecordedEvent<TicketEvent>[]>
  readonly incidents: RecordedEvent<IncidentEvent>[]
  readonly budget: RecordedEvent<BudgetEvent>[]
  readonly deliveries: RecordedEvent<DeliveryEvent>[]
  readonly operations: RecordedEvent<OperationsEvent>[]
}

const contractIdOf = (e: RecordedEvent<LedgerEvent>): string | undefined => {
  const data = e.data as { readonly contractId?: unknown }
  return typeof data.contractId === 'string' ? data.contractId : undefined
}

/** Splits the events by aggregate. A ticket's later events carry no contract id; its filing decides which contract it is of. */
const split = (events: ReadonlyArray<RecordedEvent<LedgerEvent>>, contractId: string): Streams => {
  const s: Streams = { contract: [], tickets: new Map(), incidents: [], budget: [], deliveries: [], operations: [] }
  const ticketOf = new Map<string, boolean>()
  for (const e of events) {
    switch (e.type) {
      case 'ContractRegistered':
      case 'ContractAmended':
        if (contractIdOf(e) === contractId) s.contract.push(e)
        break
      case 'RequestFiled':
        ticketOf.set(e.streamId, e.data.contractId === contractId)
        if (e.data.contractId === contractId) s.tickets.set(e.streamId, [e])
        break
      case 'FailureReported': case 'OnSiteDemanded': case 'EngineerArrived': case 'ServiceRestored':
      case 'FailureReportSubmitted': case 'FailureReportReturned': case 'FailureReportAccepted': case 'IncidentClosed':
        if (e.data.contractId === contractId) s.incidents.push(e)
        break
      case 'ChangeEstimated': case 'ChangeApproved': case 'CapWarningReached': case 'ChangeDelivered': case 'ChangeAccepted': case 'ChangeCancelled':
        if (e.data.contractId === contractId) s.budget.push(e)
        break
      case 'DeliveryRecorded': case 'DeliveryAccepted': case 'DeliveryRejected':
        if (e.data.contractId === contractId) s.deliveries.push(e)
        break
      case 'OperationsPolicySet': case 'DatabaseArchived': case 'BackupSyncVerified': case 'TestStandRegistered':
      case 'TestStandUpdated': case 'DatabaseMovePlanned': case 'MoveStepExecuted': case 'MoveStepVerified':
        if (e.data.contractId === contractId) s.operations.push(e)
        break
      default:
        if (ticketOf.get(e.streamId) === true) s.tickets.get(e.streamId)?.push(e as RecordedEvent<TicketEvent>)
    }
  }
  return s
}

type Rows = Map<string, { clause: number; obligation: string; rows: VerdictRow[] }>

const addRow = (rows: Rows, clause: number, obligation: string, row: VerdictRow): void => {
  const key = `${String(clause).padStart(2, '0')}:${obligation}`
  const entry = rows.get(key) ?? { clause, obligation, rows: [] }
  entry.rows.push(row)
  rows.set(key, entry)
}

/** A clock's state as a report row: tickets and incidents both come through here. */
const rowOf = (st: ObligationState): VerdictRow => ({
  subject: `${st.subject.aggregate} ${st.subject.id}`,
  opensAt: st.startedAt,
  ...(st.dueAt === undefined ? {} : { dueAt: st.dueAt }),
  verdict: verdictOf(st),
  ...(st.status === 'warned' ? { detail: `warned at ${st.thresholdBps / 100}%` } : st.status === 'pending' && st.awaiting !== undefined ? { detail: 'awaiting acceptance' } : {}),
  evidence: st.evidence,
})

const invalid = (contractId: string, message: string): E.Either<ReportInputInvalid, never> => E.left({ _tag: 'ReportInputInvalid', message, contractId })

/** Tickets: clause 1 (each consultation, met once answered) and every SLA clock from the ticket query. */
const ticketRows = (s: Streams, input: ComplianceReportInput, rows: Rows): E.Either<ReportInputInvalid, void> => {
  for (const [, events] of s.tickets) {
    const filed = events[0]
    if (filed === undefined || filed.type !== 'RequestFiled' || filed.data.at > input.asOf) continue
    const ticketId = filed.data.ticketId
    if (filed.data.kind === 'consultation') {
      // Clause 1 sets no count and no deadline: a consultation is met once answered, never breached.
      const answer = events.find((e) => e.type === 'ResultDelivered' && e.data.at <= input.asOf)
      addRow(rows, 1, 'consultation', {
        subject: `ticket ${ticketId}`,
        opensAt: filed.data.receivedAt,
        verdict: answer === undefined ? 'pending' : 'met',
        detail: answer === undefined ? 'awaiting an answer' : 'answered',
        evidence: [{ eventId: filed.eventId, at: filed.data.at, role: 'started' }, ...(answer === undefined ? [] : [{ eventId: answer.eventId, at: answer.data.at, role: 'stopped' as const }])],
      })
    }
    const states = obligationsOfTicket(events, input.asOf, input.calendars)
    if (E.isLeft(states)) return invalid(input.contractId, states.left.message)
    for (const st of states.right) addRow(rows, st.clause, st.obligation, rowOf(st))
  }
  return E.right(undefined)
}

/**
 * The changes the customer accepted by `asOf`, which quarterly deliveries must carry: each defect
 * whose result was accepted (a fix) and each accepted customization. In acceptance order.
 */
const acceptedIn = (s: Streams, asOf: Instant): ReadonlyArray<AcceptedChange> => {
  const out: AcceptedChange[] = []
  for (const [, events] of s.tickets) {
    const filed = events[0]
    if (filed === undefined || filed.type !== 'RequestFiled' || filed.data.kind !== 'defect') continue
    const accepted = events.find((e) => e.type === 'ResultAccepted' && e.data.at <= asOf)
    if (accepted !== undefined) out.push({ kind: 'fix', id: filed.data.ticketId, acceptedAt: accepted.data.at })
  }
  for (const e of s.budget) if (e.type === 'ChangeAccepted' && e.data.at <= asOf) out.push({ kind: 'customization', id: e.data.changeId, acceptedAt: e.data.at })
  return out.sort((a, b) => (a.acceptedAt < b.acceptedAt ? -1 : a.acceptedAt > b.acceptedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** The changes of a contract accepted by `asOf`, from the recorded events in any order: what `RecordDelivery` needs. */
export const acceptedChangesOf = (
  events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
  contractId: string,
  asOf: Instant,
): ReadonlyArray<AcceptedChange> => acceptedIn(split(canonical(events), contractId), asOf)

const incidentSection = (s: Streams, input: ComplianceReportInput, rows: Rows): E.Either<ReportInputInvalid, ReadonlyArray<IncidentSummary & { readonly opensAt: Instant }>> => {
  const out: Array<IncidentSummary & { readonly opensAt: Instant }> = []
  for (const r of incidentRecords(s.incidents, input.asOf)) {
    const id = r.reported.data.incidentId
    const arrival = arrivalObligation(r, input.asOf, input.calendars)
    if (arrival !== undefined && '_tag' in arrival) return invalid(input.contractId, arrival.message)
    const report = failureReportObligation(r, input.asOf, input.calendars)
    if (report !== undefined && '_tag' in report) return invalid(input.contractId, report.message)
    if (arrival !== undefined) addRow(rows, arrival.clause, arrival.obligation, rowOf(arrival))
    if (report !== undefined) addRow(rows, report.clause, report.obligation, rowOf(report))
    const lastSubmission = r.submissions[r.submissions.length - 1]
    const lastReturn = r.returns[r.returns.length - 1]
    const status: IncidentSummary['failureReport']['status'] =
      r.accepted !== undefined ? 'accepted'
      : lastSubmission === undefined ? (r.restored === undefined ? 'not-due' : 'awaited')
      : lastReturn !== undefined && lastReturn.at >= lastSubmission.at ? 'returned'
      : 'submitted'
    out.push({
      opensAt: r.reported.at,
      incidentId: id,
      summary: r.reported.data.summary,
      reportedAt: r.reported.at,
      ...(r.demanded === undefined ? {} : { onSiteDemandedAt: r.demanded.at }),
      ...(r.arrived === undefined ? {} : { engineerArrivedAt: r.arrived.at }),
      ...(r.restored === undefined ? {} : { restoredAt: r.restored.at }),
      ...(arrival === undefined ? {} : { arrival: verdictOf(arrival) }),
      failureReport: {
        status,
        revision: lastSubmission?.revision ?? 0,
        ...(report === undefined ? {} : { ...(report.dueAt === undefined ? {} : { dueAt: report.dueAt }), verdict: verdictOf(report) }),
      },
      closed: r.closed !== undefined,
    })
  }
  return E.right(out)
}

const budgetSection = (s: Streams, terms: ContractTerms, input: ComplianceReportInput, rows: Rows, contract: ContractState): BudgetSection => {
  const changes = new Map<string, { changeId: string; title: string; amount: number; status: string; eventIds: string[] }>()
  const warnings: Array<{ thresholdBps: number; at: Instant; eventId: string }> = []
  const refused: Array<BudgetSection['refused'][number]> = []
  // The cap the contract had in force at an instant: an approval is judged against it, whatever the event says.
  const capAt = (at: Instant): number => {
    const t = termsAt(contract, at)
    return t === undefined ? Number.MAX_SAFE_INTEGER : customizationCap(t)
  }
  let approvedOpen = 0
  let spent = 0
  for (const e of s.budget) {
    if (e.data.at > input.asOf) continue
    const c = changes.get(e.data.changeId)
    const note = (status?: string) => {
      if (c === undefined) return
      c.eventIds.push(e.eventId)
      if (status !== undefined) c.status = status
    }
    switch (e.type) {
      case 'ChangeEstimated':
        changes.set(e.data.changeId, { changeId: e.data.changeId, title: e.data.title, amount: e.data.amount, status: 'estimated', eventIds: [e.eventId] })
        break
      case 'ChangeApproved': {
        approvedOpen += e.data.amount
        note('approved')
        const cap = Math.min(e.data.cap, capAt(e.data.at))
        addRow(rows, 11, 'customization-cap', {
          subject: `change ${e.data.changeId}`,
          opensAt: e.data.at,
          verdict: e.data.committedAfter <= cap ? 'met' : 'breached',
          detail: `${e.data.committedAfter} / ${cap} tiyn`,
          evidence: [{ eventId: e.eventId, at: e.data.at, role: 'stopped' }],
        })
        break
      }
      case 'CapWarningReached':
        warnings.push({ thresholdBps: e.data.thresholdBps, at: e.data.at, eventId: e.eventId })
        break
      case 'ChangeDelivered':
        note('delivered')
        break
      case 'ChangeAccepted':
        approvedOpen -= e.data.amount
        spent += e.data.amount
        note('accepted')
        break
      case 'ChangeCancelled':
        approvedOpen -= e.data.released
        if (c !== undefined) {
          refused.push({ changeId: c.changeId, title: c.title, amount: c.amount, by: e.data.actor.party, afterApproval: e.data.released > 0, reason: e.data.reason, at: e.data.at, eventId: e.eventId })
        }
        note('cancelled')
        break
    }
  }
  capRows(s, input, contract, rows)
  const cap = customizationCap(terms)
  const committed = approvedOpen + spent
  return {
    value: terms.value,
    capBps: terms.customizationCapBps,
    cap,
    approvedOpen,
    spent,
    committed,
    remaining: cap - committed,
    usedBps: ratioBps(committed, cap),
    valueUsedBps: ratioBps(committed, terms.value),
    refused: refused.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.changeId < b.changeId ? -1 : 1)),
    warnings,
    changes: [...changes.values()].sort((a, b) => (a.changeId < b.changeId ? -1 : a.changeId > b.changeId ? 1 : 0)),
  }
}

/** Every event of the contract that the ledger marked as recorded late, by event id. */
const lateEvidenceOf = (s: Streams): ReadonlyMap<string, RecordedLate> => {
  const out = new Map<string, RecordedLate>()
  const all: ReadonlyArray<RecordedEvent<LedgerEvent>> = [...s.contract, ...[...s.tickets.values()].flat(), ...s.incidents, ...s.budget, ...s.deliveries, ...s.operations]
  for (const e of all) {
    const mark = (e.metadata as { readonly recordedLate?: unknown }).recordedLate
    if (mark !== undefined && RecordedLate.is(mark)) out.set(e.eventId, mark)
  }
  return out
}

const withLateEvidence = (row: VerdictRow, late: ReadonlyMap<string, RecordedLate>): VerdictRow => {
  const marked = row.evidence.flatMap((e): LateEvidence[] => {
    const m = late.get(e.eventId)
    return m === undefined ? [] : [{ eventId: e.eventId, declaredAt: m.declaredAt, recordedAt: m.recordedAt, source: m.source }]
  })
  return marked.length === 0 ? row : { ...row, recordedLate: marked }
}

/**
 * Clause 11 from the whole record: commitments above the cap in force at any instant (an
 * approval, or an amendment that lowered the cap, whichever came second), and modernization
 * requests whose result was handed over with no approved change pricing it. Each is a breach.
 */
const capRows = (s: Streams, input: ComplianceReportInput, contract: ContractState, rows: Rows): void => {
  type Point = { readonly at: Instant; readonly eventId: string; readonly delta: number }
  const points: Point[] = []
  for (const e of s.budget) {
    if (e.data.at > input.asOf) continue
    const delta = e.type === 'ChangeApproved' ? e.data.amount : e.type === 'ChangeCancelled' ? -e.data.released : 0
    points.push({ at: e.data.at, eventId: e.eventId, delta })
  }
  if (contract.status === 'registered') {
    for (const a of contract.amendments) {
      const recorded = s.contract.find((e) => e.type === 'ContractAmended' && e.data.amendmentId === a.amendmentId)
      if (a.effectiveAt <= input.asOf && recorded !== undefined) points.push({ at: a.effectiveAt, eventId: recorded.eventId, delta: 0 })
    }
  }
  points.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : b.delta - a.delta))
  let committed = 0
  let over = false
  for (const p of points) {
    committed += p.delta
    const terms = termsAt(contract, p.at)
    if (terms === undefined) continue
    const cap = customizationCap(terms)
    if (committed > cap && !over) {
      addRow(rows, 11, 'customization-cap', {
        subject: 'commitments above the cap',
        opensAt: p.at,
        verdict: 'breached',
        detail: `${committed} / ${cap} tiyn`,
        evidence: [{ eventId: p.eventId, at: p.at, role: 'started' }],
      })
    }
    over = committed > cap
  }
  for (const [, events] of s.tickets) {
    const filed = events[0]
    if (filed === undefined || filed.type !== 'RequestFiled' || filed.data.kind !== 'modernization') continue
    const delivered = events.find((e) => e.type === 'ResultDelivered' && e.data.at <= input.asOf)
    if (delivered === undefined) continue
    const priced = new Set(s.budget.flatMap((e) => (e.type === 'ChangeEstimated' && e.data.ticketId === filed.data.ticketId ? [e.data.changeId] : [])))
    const approval = s.budget.find((e) => e.type === 'ChangeApproved' && priced.has(e.data.changeId) && e.data.at <= delivered.data.at)
    if (approval !== undefined) continue
    addRow(rows, 11, 'customization-cap', {
      subject: `ticket ${filed.data.ticketId}`,
      opensAt: filed.data.receivedAt,
      verdict: 'breached',
      detail: 'modernization handed over outside the budget',
      evidence: [{ eventId: filed.eventId, at: filed.data.at, role: 'started' }, { eventId: delivered.eventId, at: delivered.data.at, role: 'delivered' }],
    })
  }
}

const inPeriod = (row: VerdictRow, period: ResolvedPeriod, asOf: Instant): boolean => row.opensAt >= period.from && row.opensAt < period.to && row.opensAt <= asOf

/**
 * Builds the report. A pure function of its input: the same events, as-of instant and period
 * always give the same value, whatever order the events come in (they are put in stream order
 * first), and nothing reads a clock. An obligation instance belongs to the period in which its
 * clock opened; its verdict is as of `asOf`.
 */
export const buildComplianceReport = (input: ComplianceReportInput): E.Either<ReportInputInvalid | InvalidInput, ComplianceReport> => {
  // A period such as 2025-Q7, or an as-of instant that is not one, is refused before anything is built.
  const asked = decodeInput(ReportAsked, { asOf: input.asOf, period: input.period, ...(input.deliveryGraceDays === undefined ? {} : { deliveryGraceDays: input.deliveryGraceDays }) }, 'report')
  if (E.isLeft(asked)) return asked
  const s = split(canonical(input.events), input.contractId)
  const contract = fold(contractDecider, s.contract.filter((e) => e.data.at <= input.asOf))
  const terms = termsAt(contract, input.asOf)
  if (terms === undefined) return invalid(input.contractId, `contract ${input.contractId} is not registered by ${input.asOf} in the events given`)
  const period = resolvePeriod(input.period, terms, input.asOf)
  const rows: Rows = new Map()

  const tickets = ticketRows(s, input, rows)
  if (E.isLeft(tickets)) return tickets
  const incidents = incidentSection(s, input, rows)
  if (E.isLeft(incidents)) return incidents
  const budget = budgetSection(s, terms, input, rows, contract)

  const deliveries = deliveriesAsOf(s.deliveries, input.asOf)
  const schedule = quarterSchedule(terms, input.deliveryGraceDays ?? defaultDeliveryGraceDays)
  const quarters = quarterVerdicts(schedule, deliveries, input.asOf)
  for (const q of quarters) {
    addRow(rows, 10, 'quarterly-delivery', {
      subject: `quarter ${q.quarter}`,
      opensAt: startOfLocalDate(q.start, terms.timeZone),
      dueAt: q.dueAt,
      verdict: q.verdict,
      ...(q.late ? { detail: 'late' } : q.missing ? { detail: 'missing' } : {}),
      evidence: q.evidence,
    })
  }
  const accepted = acceptedIn(s, input.asOf)

  for (const v of databaseMoveVerdicts(s.operations, input.asOf)) addRow(rows, 8, 'database-move', v)
  const stands = testStandVerdicts(terms, s.operations, deliveries, input.asOf, input.calendars, (at) => termsAt(contract, at)?.calendarId ?? terms.calendarId)
  if ('_tag' in stands) return invalid(input.contractId, stands.message)
  for (const v of stands) addRow(rows, 9, 'test-stand', v)
  for (const v of archivingVerdicts(terms, s.operations, input.asOf)) addRow(rows, 12, 'archiving', v)
  for (const v of backupSyncVerdicts(terms, s.operations, input.asOf)) addRow(rows, 13, 'backup-sync', v)

  for (const o of reportedObligations) if (!rows.has(`${String(o.clause).padStart(2, '0')}:${o.obligation}`)) rows.set(`${String(o.clause).padStart(2, '0')}:${o.obligation}`, { clause: o.clause, obligation: o.obligation, rows: [] })
  const late = lateEvidenceOf(s)
  const obligations: ObligationSection[] = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { clause, obligation, rows: all }]) => {
      const verdicts = all.filter((r) => inPeriod(r, period, input.asOf)).map((r) => withLateEvidence({ ...r, evidence: byTime(r.evidence) }, late)).sort(compareRows)
      const met = verdicts.filter((v) => v.verdict === 'met').length
      const breached = verdicts.filter((v) => v.verdict === 'breached').length
      const pending = verdicts.filter((v) => v.verdict === 'pending').length
      return { clause, obligation, total: verdicts.length, met, breached, pending, verdicts }
    })

  const periodQuarters = quarters.filter((q) => {
    const opens = startOfLocalDate(q.start, terms.timeZone)
    return opens < period.to && opens <= input.asOf && q.dueAt >= period.from
  })
  return E.right({
    contractId: terms.contractId,
    product: terms.product,
    customer: terms.parties.customer.name,
    supplier: terms.parties.supplier.name,
    timeZone: terms.timeZone,
    asOf: input.asOf,
    period,
    obligations,
    budget,
    deliveries: {
      quarters: periodQuarters.map((q) => {
        const d = deliveries.find((x) => x.recorded.deliveryId === q.deliveryId)
        return {
          quarter: q.quarter,
          dueAt: q.dueAt,
          verdict: q.verdict,
          late: q.late,
          missing: q.missing,
          ...(d === undefined
            ? { changes: 0 }
            : { deliveryId: d.recorded.deliveryId, deliveredAt: d.recorded.at, version: d.recorded.version, artifactSha256: d.recorded.artifactSha256, changes: d.recorded.changes.length, status: d.status }),
        }
      }),
      changesLeftOut: changesLeftOut(accepted, deliveries).map((c) => ({ kind: c.kind, id: c.id, acceptedAt: c.acceptedAt, skippedBy: c.skippedBy })),
      changesAwaiting: changesAwaitingDelivery(accepted, deliveries).map((c) => ({ kind: c.kind, id: c.id, acceptedAt: c.acceptedAt })),
    },
    incidents: incidents.right
      .filter((i) => i.opensAt >= period.from && i.opensAt < period.to)
      .sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : a.incidentId < b.incidentId ? -1 : 1))
      .map(({ opensAt: _opensAt, ...rest }) => rest),
  })
}
