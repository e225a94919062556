/** The compliance report: from the recorded events, for a period and an as-of instant, every obligation's verdicts with their proof. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { CalendarNotFound, CalendarRegistry } from '../calendar/business-calendar.js'
import { customizationCap } from '../budget/budget-decider.js'
import type { BudgetEvent } from '../budget/budget-events.js'
import { contractDecider, termsAt, type ContractState } from '../contract/contract-decider.js'
import { policyRules, showRule, sourceOf } from '../contract/contract-policy.js'
import type { ContractNotRegistered } from '../contract/contract-errors.js'
import type { ContractEvent } from '../contract/contract-events.js'
import type { ContractTerms } from '../contract/contract-terms.js'
import type { AcceptedChange, DeliveryEvent } from '../delivery/delivery-events.js'
import { changesAwaitingDelivery, changesLeftOut, deliveriesAsOf, quarterVerdicts } from '../delivery/delivery-queries.js'
import { quarterSchedule } from '../delivery/quarter-schedule.js'
import { arrivalObligation, byTime, failureReportObligation, incidentRecords } from '../incident/incident-queries.js'
import type { IncidentEvent } from '../incident/incident-events.js'
import { fold } from '../kernel/decider.js'
import type { EventStore, ReadError } from '../kernel/event-store.js'
import { endOfLocalDate, startOfLocalDate } from '../contract/command-guards.js'
import { BoundedInstant, decodeInput, invalidInput, type InvalidInput } from '../kernel/input-codec.js'
import { instantOf, type Instant } from '../kernel/instant.js'
import * as t from 'io-ts'
import { RecordedLate, type RecordedEvent, type TimeSource } from '../kernel/recorded-event.js'
import type { OperationsEvent } from '../operations/operations-events.js'
import { archivingVerdicts, backupSyncVerdicts, databaseMoveVerdicts, testStandVerdicts, type CadenceFrom } from '../operations/operations-queries.js'
import type { Evidence, ObligationState, ObligationVerdict } from '../sla/obligation.js'
import { verdictOf } from '../sla/obligation.js'
import { emptyTicketClocks, evolveTicketClocks, ticketObligationsAt, type TicketClocks } from '../sla/ticket-obligations.js'
import type { RequestFiled } from '../ticket/ticket-events.js'
import { ticketKinds } from '../ticket/ticket-kind.js'
import type { LedgerEvent } from './ledger-events.js'
import { ratioBps } from './report-format.js'
import { ReportPeriod, resolvePeriod, type ResolvedPeriod } from './report-period.js'

// model

/** The obligations a report always lists, in the contract's order, with the clause each serves. */
export const reportedObligations = [
  { clause: 1, obligation: 'consultation' },
  { clause: 2, obligation: 'deadline-proposal' },
  { clause: 3, obligation: 'agreed-deadline' },
  { clause: 4, obligation: 'agreed-deadline' },
  { clause: 5, obligation: 'agreed-deadline' },
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
  /** For the clocks of a deadline agreement (clauses 2 to 5): when one was first proposed and first agreed. */
  readonly proposedAt?: Instant
  readonly agreedAt?: Instant
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

/**
 * One obligation of the contract in the report: its clause, its counts and the verdict of each instance, with the
 * events behind it.
 */
export interface ObligationSection {
  readonly clause: number
  readonly obligation: string
  readonly total: number
  readonly met: number
  readonly breached: number
  readonly pending: number
  readonly verdicts: ReadonlyArray<VerdictRow>
}

/**
 * The modernization budget in the report (clause 11): the cap, what is committed, spent and left, the warnings given
 * and every change. Amounts in tiyn.
 */
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

/**
 * The quarterly deliveries in the report (clause 10): each quarter's verdict and delivery, and the accepted changes
 * left out of a delivery or still awaiting one.
 */
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

/** One incident in the report: its timeline, the on-site arrival verdict and where its failure report stands. */
export interface IncidentSummary {
  readonly incidentId: string
  readonly summary: string
  readonly reportedAt: Instant
  readonly onSiteDemandedAt?: Instant
  readonly engineerArrivedAt?: Instant
  readonly restoredAt?: Instant
  readonly arrival?: ObligationVerdict
  readonly failureReport: {
    /** Owed from the failure's report: `awaited` until a report is submitted. */
    readonly status: 'awaited' | 'submitted' | 'returned' | 'accepted'
    readonly revision: number
    readonly dueAt?: Instant
    readonly verdict?: ObligationVerdict
  }
  readonly closed: boolean
}

/** A rule the report applied that the contract does not state in numbers: as the parties agreed it, or the default, and from when. */
export interface Assumption {
  readonly rule: string
  readonly value: string
  readonly source: 'default' | 'agreed'
  /** The first day it applied: the term's start, or the effective date of the amendment that set it. */
  readonly from: string
}

/**
 * The compliance report of one contract for a period, as of an instant: every obligation's verdict with its proof, the
 * budget, the deliveries and the incidents. Plain data: render it with `renderReportJson`, `renderReportMarkdown` or
 * `renderReportHtml`.
 */
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
  /** Every contract-policy rule the record applied up to `asOf`: as signed from the term's start, then each amended value from its effective date. */
  readonly assumptions: ReadonlyArray<Assumption>
}

/**
 * What a report is built from: one contract's recorded events, the as-of instant, the period and the calendars the
 * clocks ran on.
 */
export interface ComplianceReportInput {
  readonly contractId: string
  /** The recorded events, in any order; other contracts' events are left out. */
  readonly events: ReadonlyArray<RecordedEvent<LedgerEvent>>
  readonly asOf: Instant
  readonly period: ReportPeriod
  readonly calendars: CalendarRegistry
}

/**
 * Why a report cannot be made: the contract is not registered by the as-of instant in the events
 * read, a calendar a clock needs has no version in force, or the request itself (a period such as
 * 2025-Q7, an as-of instant out of range, or another than a scoped fold kept events for) is wrong.
 */
export type ReportError = ContractNotRegistered | CalendarNotFound | InvalidInput

/** What a report is asked for; the delivery grace days come from the contract's policy, never the request. */
const ReportAsked = t.type({ asOf: BoundedInstant, period: ReportPeriod })

// operations

const compareRows = (a: VerdictRow, b: VerdictRow): number =>
  a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0

/** Events sorted by stream and version: the one order every input order comes to, so the report never depends on it. */
const canonical = (events: ReadonlyArray<RecordedEvent<LedgerEvent>>): ReadonlyArray<RecordedEvent<LedgerEvent>> =>
  [...events].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.streamVersion - b.streamVersion))

/**
 * What the report keeps of one ticket: its filing, its clocks folded event by event, and for a
 * defect, when each of its results was accepted. Never its events: a ticket costs its clocks, not
 * its history. A defect the report's scope leaves out (`outside`) keeps only its acceptances; any
 * other ticket left out is not kept at all, as nothing of it is in the report.
 */
interface TicketRecord {
  readonly ticketId: string
  readonly kind: RequestFiled['kind']
  /** The filing is in them (`clocks.filed`) unless the ticket is outside the scope. */
  clocks: TicketClocks
  /** A defect's acceptances: none, one (the usual case, kept without an array) or several in order. */
  accepted: Instant | Instant[] | undefined
  readonly outside: boolean
  /** Cleared when another contract's filing takes the stream: its later events are not this ticket's. */
  ours: boolean
}

/** Adds an acceptance to a defect's record, an array only from the second one on. */
const noteAccepted = (ticket: TicketRecord, at: Instant): void => {
  const known = ticket.accepted
  ticket.accepted = known === undefined ? at : typeof known === 'string' ? [known, at] : (known.push(at), known)
}

/** A defect's first acceptance up to `asOf`. */
const firstAccepted = (ticket: TicketRecord, asOf: Instant): Instant | undefined => {
  const known = ticket.accepted
  return known === undefined ? undefined : typeof known === 'string' ? (known <= asOf ? known : undefined) : known.find((at) => at <= asOf)
}

interface Streams {
  readonly contract: RecordedEvent<ContractEvent>[]
  readonly tickets: Map<string, TicketRecord>
  readonly incidents: RecordedEvent<IncidentEvent>[]
  readonly budget: RecordedEvent<BudgetEvent>[]
  readonly deliveries: RecordedEvent<DeliveryEvent>[]
  readonly operations: RecordedEvent<OperationsEvent>[]
  /** The events kept that the ledger marked as recorded late, by event id. */
  readonly late: Map<string, RecordedLate>
  /** The SLA policy of the last filing kept. */
  policy?: RequestFiled['slaPolicy']
  /** The short names the kept filings share (`interned`). */
  readonly names: Map<string, string>
}

/** One copy of each kind's name: a report keeps a kind per ticket, and a decoded event carries a string of its own. */
const kindOf: ReadonlyMap<string, RequestFiled['kind']> = new Map(ticketKinds.map((k) => [k, k]))

type Filing = Extract<LedgerEvent, { readonly type: 'RequestFiled' }>

const contractIdOf = (e: RecordedEvent<LedgerEvent>): string | undefined => {
  const data = e.data as { readonly contractId?: unknown }
  return typeof data.contractId === 'string' ? data.contractId : undefined
}

const emptyStreams = (): Streams => ({ contract: [], tickets: new Map(), incidents: [], budget: [], deliveries: [], operations: [], late: new Map(), names: new Map() })

/**
 * Which filings a report can leave out before it knows the contract's time zone: those filed
 * after `asOf`, or received more than a day outside the period's dates (no time zone is a day
 * away from UTC). Every row of a ticket opens at its receipt, so none of theirs is in the report.
 */
export interface ReportScope {
  readonly asOf: Instant
  readonly period: ReportPeriod
}

const DAY = 86_400_000

const outsideOf = (scope: ReportScope | undefined): ((filed: RequestFiled) => boolean) => {
  if (scope === undefined) return () => false
  const { asOf, period } = scope
  const window = (y: number, m: number, months: number): readonly [Instant, Instant] =>
    [instantOf(Date.UTC(y, m, 1) - DAY), instantOf(Date.UTC(y, m + months, 1) + DAY)]
  const [from, to] =
    period.kind === 'month' ? window(Number(period.month.slice(0, 4)), Number(period.month.slice(5, 7)) - 1, 1)
    : period.kind === 'quarter' ? window(Number(period.quarter.slice(0, 4)), (Number(period.quarter.slice(6)) - 1) * 3, 3)
    : [undefined, undefined]
  return (filed) => filed.at > asOf || filed.receivedAt > asOf || (from !== undefined && (filed.receivedAt < from || filed.receivedAt >= to))
}

/** Whether two decoded JSON values are equal, member by member. */
const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** One copy of each short name the filings repeat (contract, calendar, time zone, channel, priority). */
const interned = <S extends string>(s: Streams, name: S): S => {
  const known = s.names.get(name) as S | undefined
  if (known !== undefined) return known
  s.names.set(name, name)
  return name
}

/**
 * A filing as the fold keeps it: what the clocks read, with its SLA policy shared with the
 * previous filing's when the two are equal (every request of a contract carries the policy in
 * force, and the fold keeps one copy of it, not one per ticket) and the names it repeats shared
 * too. The request's free text beyond its subject (description, references) is not kept: no
 * clock reads it. The report reads the filing and never changes it.
 */
const keptFiling = (s: Streams, e: RecordedEvent<Filing>): RecordedEvent<Filing> => {
  const d = e.data
  const policy = s.policy !== undefined && s.policy !== d.slaPolicy && sameJson(s.policy, d.slaPolicy) ? s.policy : d.slaPolicy
  s.policy = policy
  const data: RequestFiled = {
    ticketId: d.ticketId,
    at: d.at,
    contractId: interned(s, d.contractId),
    kind: interned(s, d.kind),
    priority: interned(s, d.priority),
    channel: interned(s, d.channel),
    receivedAt: d.receivedAt === d.at ? d.at : d.receivedAt,
    subject: d.subject,
    calendarId: interned(s, d.calendarId),
    timeZone: interned(s, d.timeZone),
    slaPolicy: policy,
  }
  return { ...e, data }
}

const keepLate = (s: Streams, e: RecordedEvent<LedgerEvent>): void => {
  const mark = (e.metadata as { readonly recordedLate?: unknown }).recordedLate
  if (mark !== undefined && RecordedLate.is(mark)) s.late.set(e.eventId, mark)
}

/**
 * Adds events to the contract's streams, by aggregate. A ticket's later events carry no contract
 * id; its filing, which comes first in its stream, decides which contract it is of (the ticket
 * records kept, across calls, with `ours` cleared by another contract's filing). Each stream's events come in version
 * order, as a store gives them in log order; a ticket's are folded into its clocks as they come.
 */
const splitInto = (
  s: Streams,
  events: Iterable<RecordedEvent<LedgerEvent>>,
  contractId: string,
  outside: (filed: RequestFiled) => boolean,
): void => {
  const keep = <Ev extends LedgerEvent>(into: RecordedEvent<Ev>[], e: RecordedEvent<Ev>): void => {
    into.push(e)
    keepLate(s, e)
  }
  for (const e of events) {
    switch (e.type) {
      case 'ContractRegistered':
      case 'ContractAmended':
      case 'ContractProposed':
      case 'ContractCountersigned':
      case 'AmendmentProposed':
      case 'AmendmentCountersigned':
        if (contractIdOf(e) === contractId) keep(s.contract, e)
        break
      case 'RequestFiled': {
        if (e.data.contractId !== contractId) {
          const known = s.tickets.get(e.streamId)
          if (known !== undefined) known.ours = false
          break
        }
        const out = outside(e.data)
        const kind = kindOf.get(e.data.kind) ?? e.data.kind
        if (out && kind !== 'defect') s.tickets.delete(e.streamId)
        else s.tickets.set(e.streamId, { ticketId: e.data.ticketId, kind, clocks: out ? emptyTicketClocks : evolveTicketClocks(emptyTicketClocks, keptFiling(s, e)), accepted: undefined, outside: out, ours: true })
        // A ticket left out gives no row, so no evidence of it is ever marked late.
        if (!out) keepLate(s, e)
        break
      }
      case 'FailureReported': case 'OnSiteDemanded': case 'EngineerArrived': case 'ServiceRestored':
      case 'FailureReportSubmitted': case 'FailureReportReturned': case 'FailureReportAccepted': case 'IncidentClosed':
        if (e.data.contractId === contractId) keep(s.incidents, e)
        break
      case 'ChangeEstimated': case 'ChangeApproved': case 'CapWarningReached': case 'ChangeDelivered': case 'ChangeAccepted': case 'ChangeCancelled':
        if (e.data.contractId === contractId) keep(s.budget, e)
        break
      case 'DeliveryRecorded': case 'DeliveryAccepted': case 'DeliveryRejected':
        if (e.data.contractId === contractId) keep(s.deliveries, e)
        break
      case 'OperationsPolicySet': case 'DatabaseArchived': case 'BackupSyncVerified': case 'TestStandRegistered':
      case 'TestStandUpdated': case 'DatabaseMovePlanned': case 'MoveStepExecuted': case 'MoveStepVerified':
        if (e.data.contractId === contractId) keep(s.operations, e)
        break
      default: {
        const ticket = s.tickets.get(e.streamId)
        if (ticket === undefined || !ticket.ours) break
        if (e.type === 'ResultAccepted' && ticket.kind === 'defect') noteAccepted(ticket, e.data.at)
        if (ticket.outside) break
        ticket.clocks = evolveTicketClocks(ticket.clocks, e)
        keepLate(s, e)
      }
    }
  }
}

/** Splits the events by aggregate. */
const split = (events: ReadonlyArray<RecordedEvent<LedgerEvent>>, contractId: string): Streams => {
  const s = emptyStreams()
  splitInto(s, events, contractId, outsideOf(undefined))
  return s
}

const byStream = <Ev extends LedgerEvent>(events: ReadonlyArray<RecordedEvent<Ev>>): RecordedEvent<Ev>[] =>
  [...events].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.streamVersion - b.streamVersion))

/**
 * Puts streams split in any order into the order `split(canonical(...))` gives: by stream, then
 * version. The tickets stay as they are: the report takes the ones it reports in stream order
 * (`reportedTickets`), and the rest only give acceptances, which it sorts itself.
 */
const canonicalStreams = (s: Streams): Streams => ({
  contract: byStream(s.contract),
  tickets: s.tickets,
  incidents: byStream(s.incidents),
  budget: byStream(s.budget),
  deliveries: byStream(s.deliveries),
  operations: byStream(s.operations),
  late: s.late,
  names: s.names,
})

type Rows = Map<string, { readonly clause: number; readonly obligation: string; rows: VerdictRow[] }>

const addRow = (rows: Rows, clause: number, obligation: string, row: VerdictRow): void => {
  const key = `${String(clause).padStart(2, '0')}:${obligation}`
  const entry = rows.get(key) ?? { clause, obligation, rows: [] }
  entry.rows.push(row)
  rows.set(key, entry)
}

/** What a row says beside its verdict: a warning, what it waits for, and for a deadline agreement, when it was proposed and agreed. */
const detailOf = (st: ObligationState): string | undefined => {
  const notes: string[] = []
  if (st.status === 'warned') notes.push(`warned at ${st.thresholdBps / 100}%`)
  if ((st.status === 'pending' || st.status === 'warned') && st.awaiting !== undefined) notes.push(st.awaiting === 'agreement' ? 'no deadline agreed' : 'awaiting acceptance')
  if (st.obligation === 'deadline-proposal' || (st.obligation === 'agreed-deadline' && st.agreedAt === undefined)) {
    if (st.proposedAt !== undefined) notes.push(`proposed ${st.proposedAt}`)
    notes.push(st.agreedAt === undefined ? 'not agreed' : `agreed ${st.agreedAt}`)
  }
  return notes.length === 0 ? undefined : notes.join('; ')
}

/** A clock's state as a report row, opening at `opensAt` (its start unless given): tickets and incidents both come through here. */
const rowOf = (st: ObligationState, opensAt: Instant = st.startedAt): VerdictRow => {
  const detail = detailOf(st)
  return {
    subject: `${st.subject.aggregate} ${st.subject.id}`,
    opensAt,
    ...(st.dueAt === undefined ? {} : { dueAt: st.dueAt }),
    ...(st.proposedAt === undefined ? {} : { proposedAt: st.proposedAt }),
    ...(st.agreedAt === undefined ? {} : { agreedAt: st.agreedAt }),
    verdict: verdictOf(st),
    ...(detail === undefined ? {} : { detail }),
    evidence: st.evidence,
  }
}

/** The tickets the scope kept whole, by stream: the only ones that can have rows. */
const reportedTickets = (s: Streams): ReadonlyArray<TicketRecord> => {
  // Collected one by one, not spread: most of a contract's tickets are outside the scope, and a pair for each would be garbage.
  const streams: string[] = []
  for (const [streamId, ticket] of s.tickets) if (!ticket.outside) streams.push(streamId)
  return streams.sort().map((streamId) => s.tickets.get(streamId)!)
}

/**
 * Tickets: clause 1 (each consultation, met once answered) and every SLA clock from the ticket
 * query. With `release`, a ticket's clocks are let go once its rows are made, so that the report
 * grows as the clocks go (a modernization request keeps them for clause 11).
 */
const ticketRows = (tickets: ReadonlyArray<TicketRecord>, input: ComplianceReportInput, period: ResolvedPeriod, rows: Rows, release: boolean): E.Either<CalendarNotFound, void> => {
  for (const ticket of tickets) {
    const filed = ticket.clocks.filed
    // Every row of a ticket opens at its receipt: a ticket received outside the period has none in the report.
    if (ticket.outside || filed === undefined || filed.at > input.asOf || !inPeriodAt(filed.data.receivedAt, period, input.asOf)) continue
    const ticketId = ticket.ticketId
    if (ticket.kind === 'consultation') {
      // Clause 1 sets no count and no deadline: a consultation is met once answered, never breached.
      const answer = ticket.clocks.deliveries.find((d) => d.at <= input.asOf)
      addRow(rows, 1, 'consultation', {
        subject: `ticket ${ticketId}`,
        opensAt: filed.data.receivedAt,
        verdict: answer === undefined ? 'pending' : 'met',
        detail: answer === undefined ? 'awaiting an answer' : 'answered',
        evidence: [{ eventId: filed.eventId, at: filed.at, role: 'started' }, ...(answer === undefined ? [] : [{ eventId: answer.eventId, at: answer.at, role: 'stopped' as const }])],
      })
    }
    const states = ticketObligationsAt(ticket.clocks, input.asOf, input.calendars)
    if (E.isLeft(states)) return states
    // A ticket's clocks belong to the period of its receipt, so a row never moves to another period when its deadline is agreed later.
    for (const st of states.right) addRow(rows, st.clause, st.obligation, rowOf(st, filed.data.receivedAt))
    if (release && ticket.kind !== 'modernization') ticket.clocks = emptyTicketClocks
  }
  return E.right(undefined)
}

/**
 * The changes the customer accepted by `asOf`, which quarterly deliveries must carry: each defect
 * whose result was accepted (a fix) and each accepted customization. In acceptance order.
 */
const acceptedIn = (s: Streams, asOf: Instant): ReadonlyArray<AcceptedChange> => {
  const out: AcceptedChange[] = []
  for (const [, ticket] of s.tickets) {
    if (ticket.kind !== 'defect') continue
    const acceptedAt = firstAccepted(ticket, asOf)
    if (acceptedAt !== undefined) out.push({ kind: 'fix', id: ticket.ticketId, acceptedAt })
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

const incidentSection = (s: Streams, input: ComplianceReportInput, rows: Rows): E.Either<CalendarNotFound, ReadonlyArray<IncidentSummary & { readonly opensAt: Instant }>> => {
  const out: Array<IncidentSummary & { readonly opensAt: Instant }> = []
  for (const r of incidentRecords(s.incidents, input.asOf)) {
    const id = r.reported.data.incidentId
    const arrival = arrivalObligation(r, input.asOf, input.calendars)
    if (arrival !== undefined && '_tag' in arrival) return E.left(arrival)
    const report = failureReportObligation(r, input.asOf, input.calendars)
    if ('_tag' in report) return E.left(report)
    if (arrival !== undefined) addRow(rows, arrival.clause, arrival.obligation, rowOf(arrival))
    addRow(rows, report.clause, report.obligation, rowOf(report))
    const lastSubmission = r.submissions[r.submissions.length - 1]
    const lastReturn = r.returns[r.returns.length - 1]
    const status: IncidentSummary['failureReport']['status'] =
      r.accepted !== undefined ? 'accepted'
      : lastSubmission === undefined ? 'awaited'
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
        ...(report.dueAt === undefined ? {} : { dueAt: report.dueAt }),
        verdict: verdictOf(report),
      },
      closed: r.closed !== undefined,
    })
  }
  return E.right(out)
}

const budgetSection = (
  s: Streams,
  tickets: ReadonlyArray<TicketRecord>,
  terms: ContractTerms,
  input: ComplianceReportInput,
  rows: Rows,
  contract: ContractState,
  period: ResolvedPeriod,
): BudgetSection => {
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
  capRows(s, tickets, input, contract, period, rows)
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

/** The policy as signed, rule by rule from the term's start, then each change both parties signed, from its effective date. */
const assumptionsOf = (contract: ContractState, asOf: Instant): ReadonlyArray<Assumption> => {
  if (contract.status !== 'registered') return []
  const signed = contract.registered
  const out: Assumption[] = policyRules.map((rule) => ({ rule, value: showRule(signed.policy, rule), source: sourceOf(rule, signed.policy[rule]), from: signed.term.start }))
  for (const a of contract.amendments) {
    const changed = a.changes.policy
    if (changed === undefined || a.effectiveAt > asOf) continue
    for (const rule of policyRules) {
      if (changed[rule] !== undefined) out.push({ rule, value: showRule(changed, rule), source: sourceOf(rule, changed[rule]), from: a.effectiveFrom })
    }
  }
  return out
}

/** The archiving cadence signed with the contract and each countersigned change of it, from its effective date. */
const cadencesOf = (contract: ContractState): ReadonlyArray<CadenceFrom> => {
  if (contract.status !== 'registered') return []
  return [
    { from: contract.registered.term.start, cadence: contract.registered.policy.archiving },
    ...contract.amendments.flatMap((a) => (a.changes.policy?.archiving === undefined ? [] : [{ from: a.effectiveFrom, cadence: a.changes.policy.archiving }])),
  ]
}

/**
 * The row with its evidence in time order. The row itself is given its sorted evidence rather than
 * copied: every row was made for this report and is in one section only, and a report holds tens
 * of thousands.
 */
const withEvidenceByTime = (row: VerdictRow): VerdictRow => {
  ;(row as { evidence: VerdictRow['evidence'] }).evidence = byTime(row.evidence)
  return row
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
const capRows = (s: Streams, tickets: ReadonlyArray<TicketRecord>, input: ComplianceReportInput, contract: ContractState, period: ResolvedPeriod, rows: Rows): void => {
  type Point = { readonly at: Instant; readonly eventId: string; readonly delta: number }
  const points: Point[] = []
  for (const e of s.budget) {
    if (e.data.at > input.asOf) continue
    const delta = e.type === 'ChangeApproved' ? e.data.amount : e.type === 'ChangeCancelled' ? -e.data.released : 0
    points.push({ at: e.data.at, eventId: e.eventId, delta })
  }
  if (contract.status === 'registered') {
    for (const a of contract.amendments) {
      // The event that put it in force: the other party's countersignature (or, in older records, the one-signature amendment).
      const recorded = s.contract.find((e) => (e.type === 'ContractAmended' || e.type === 'AmendmentCountersigned') && e.data.amendmentId === a.amendmentId)
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
  for (const ticket of tickets) {
    const filed = ticket.clocks.filed
    // Its row opens at the ticket's receipt: outside the period, it is not in the report.
    if (ticket.outside || filed === undefined || ticket.kind !== 'modernization' || !inPeriodAt(filed.data.receivedAt, period, input.asOf)) continue
    const delivered = ticket.clocks.deliveries.find((d) => d.at <= input.asOf)
    if (delivered === undefined) continue
    const priced = new Set(s.budget.flatMap((e) => (e.type === 'ChangeEstimated' && e.data.ticketId === filed.data.ticketId ? [e.data.changeId] : [])))
    const approval = s.budget.find((e) => e.type === 'ChangeApproved' && priced.has(e.data.changeId) && e.data.at <= delivered.at)
    if (approval !== undefined) continue
    addRow(rows, 11, 'customization-cap', {
      subject: `ticket ${filed.data.ticketId}`,
      opensAt: filed.data.receivedAt,
      verdict: 'breached',
      detail: 'modernization handed over outside the budget',
      evidence: [{ eventId: filed.eventId, at: filed.data.at, role: 'started' }, { eventId: delivered.eventId, at: delivered.at, role: 'delivered' }],
    })
  }
}

const inPeriodAt = (opensAt: Instant, period: ResolvedPeriod, asOf: Instant): boolean => opensAt >= period.from && opensAt < period.to && opensAt <= asOf
const inPeriod = (row: VerdictRow, period: ResolvedPeriod, asOf: Instant): boolean => inPeriodAt(row.opensAt, period, asOf)

/**
 * Builds the report. A pure function of its input: the same events, as-of instant and period
 * always give the same value, whatever order the events come in (they are put in stream order
 * first), and nothing reads a clock. An obligation instance belongs to the period in which its
 * clock opened; its verdict is as of `asOf`.
 */
export const buildComplianceReport = (input: ComplianceReportInput): E.Either<ReportError, ComplianceReport> =>
  buildFromStreams(split(canonical(input.events), input.contractId), input, false)

/**
 * A report folded from pages of the log as they are read (each stream's events in version order,
 * as a store's log order gives them), so the whole log is never held: a ticket is kept as its
 * clocks, the other aggregates' events of the contract as they are. `build` gives the same
 * report, byte for byte, as `buildComplianceReport` over all the pages at once, however the log
 * was paged. Given a scope, the fold keeps of each ticket filed outside it only its acceptances,
 * and `build` refuses another as-of instant or period.
 */
export interface ComplianceReportFold {
  /** Adds one page of the log, in log order; other contracts' events are dropped at once. */
  readonly add: (page: ReadonlyArray<RecordedEvent<LedgerEvent>>) => void
  /** Builds the report from the pages added so far. */
  readonly build: (input: Omit<ComplianceReportInput, 'events' | 'contractId'>) => E.Either<ReportError, ComplianceReport>
  /** What `acceptedChangesOf` gives for the events added so far. */
  readonly acceptedChanges: (asOf: Instant) => ReadonlyArray<AcceptedChange>
}

/**
 * Starts a report fold for one contract. // @example ;; const fold = complianceReportFold(contractId) ;; for (const
 * page of pages) fold.add(page) ;; const report = fold.build({ asOf, period, calendars })
 */
export const complianceReportFold = (contractId: string, scope?: ReportScope): ComplianceReportFold => {
  const { add, build, acceptedChanges } = reportFold(contractId, scope)
  return { add, build: (input) => build(input, false), acceptedChanges }
}

/** The fold, whose `build` can also let go of each ticket's clocks as it reports them: then the fold is done with. */
const reportFold = (contractId: string, scope: ReportScope | undefined) => {
  const s = emptyStreams()
  const outside = outsideOf(scope)
  return {
    add: (page: ReadonlyArray<RecordedEvent<LedgerEvent>>) => splitInto(s, page, contractId, outside),
    build: (input: Omit<ComplianceReportInput, 'events' | 'contractId'>, release: boolean) =>
      scope !== undefined && (input.asOf !== scope.asOf || JSON.stringify(input.period) !== JSON.stringify(scope.period))
        ? E.left(invalidInput('report', [{ path: input.asOf !== scope.asOf ? 'asOf' : 'period', message: `the fold of contract ${contractId} kept what a report as of ${scope.asOf} for ${JSON.stringify(scope.period)} needs, not one as of ${input.asOf} for ${JSON.stringify(input.period)}` }]))
        : buildFromStreams(canonicalStreams(s), { ...input, contractId, events: [] }, release),
    acceptedChanges: (asOf: Instant) => acceptedIn(canonicalStreams(s), asOf),
  }
}

/** The report of one contract from a store, its events read page by page (`readContract`) through the fold. */
export const complianceReportFromLog = (
  readContract: EventStore<LedgerEvent>['readContract'],
  input: Omit<ComplianceReportInput, 'events'>,
  pageSize = 5_000,
): TaskEither<ReadError | ReportError, ComplianceReport> => async () => {
  // Only the contract's events are read: the cost grows with its own history, not the log's.
  const fold = reportFold(input.contractId, { asOf: input.asOf, period: input.period })
  // One page at a time, in a call of its own: a page is let go once folded, never held while the next is read.
  const foldPage = async (after: number): Promise<E.Either<ReadError, number | undefined>> => {
    const page = await readContract(input.contractId, { after, limit: pageSize })()
    if (E.isLeft(page)) return page
    if (page.right.events.length === 0) return E.right(undefined)
    fold.add(page.right.events)
    return E.right(page.right.next)
  }
  for (let after: number | undefined = 0; after !== undefined; ) {
    const next = await foldPage(after)
    if (E.isLeft(next)) return next
    after = next.right
  }
  const { contractId: _contractId, ...rest } = input
  // The fold is not asked again: each ticket's clocks go as soon as its rows are made.
  return fold.build(rest, true)
}

const buildFromStreams = (s: Streams, input: ComplianceReportInput, release: boolean): E.Either<ReportError, ComplianceReport> => {
  // A period such as 2025-Q7, or an as-of instant that is not one, is refused before anything is built.
  const asked = decodeInput(ReportAsked, { asOf: input.asOf, period: input.period }, 'report')
  if (E.isLeft(asked)) return asked
  const contract = fold(contractDecider, s.contract.filter((e) => e.data.at <= input.asOf))
  const terms = termsAt(contract, input.asOf)
  if (terms === undefined) return E.left({ _tag: 'ContractNotRegistered', message: `contract ${input.contractId} is not registered by ${input.asOf}`, contractId: input.contractId })
  const period = resolvePeriod(input.period, terms, input.asOf)
  const rows: Rows = new Map()

  const reported = reportedTickets(s)
  const tickets = ticketRows(reported, input, period, rows, release)
  if (E.isLeft(tickets)) return tickets
  const incidents = incidentSection(s, input, rows)
  if (E.isLeft(incidents)) return incidents
  const budget = budgetSection(s, reported, terms, input, rows, contract, period)

  const deliveries = deliveriesAsOf(s.deliveries, input.asOf)
  // Every rule comes from the record: the policy in force when each quarter, stretch or delivery it governs began.
  const policyAt = (at: Instant) => (termsAt(contract, at) ?? terms).policy
  const schedule = quarterSchedule(terms, (end) => policyAt(endOfLocalDate(end, terms.timeZone)).deliveryGraceDays)
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
  const stands = testStandVerdicts(terms, s.operations, deliveries, input.asOf, input.calendars, (at) => termsAt(contract, at)?.calendarId ?? terms.calendarId, policyAt)
  if ('_tag' in stands) return E.left(stands)
  for (const v of stands) addRow(rows, 9, 'test-stand', v)
  for (const v of archivingVerdicts(terms, s.operations, input.asOf, cadencesOf(contract))) addRow(rows, 12, 'archiving', v)
  for (const v of backupSyncVerdicts(terms, s.operations, input.asOf, policyAt)) addRow(rows, 13, 'backup-sync', v)

  for (const o of reportedObligations) if (!rows.has(`${String(o.clause).padStart(2, '0')}:${o.obligation}`)) rows.set(`${String(o.clause).padStart(2, '0')}:${o.obligation}`, { clause: o.clause, obligation: o.obligation, rows: [] })
  const late = s.late
  const obligations: ObligationSection[] = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => {
      const { clause, obligation, rows: all } = entry
      const verdicts = all.filter((r) => inPeriod(r, period, input.asOf)).map((r) => withLateEvidence(withEvidenceByTime(r), late)).sort(compareRows)
      // The rows as added are copied into the section: let them go before the next section is copied.
      entry.rows = []
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
    assumptions: assumptionsOf(contract, input.asOf),
    incidents: incidents.right
      .filter((i) => i.opensAt >= period.from && i.opensAt < period.to)
      .sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : a.incidentId < b.incidentId ? -1 : 1))
      .map(({ opensAt: _opensAt, ...rest }) => rest),
  })
}
