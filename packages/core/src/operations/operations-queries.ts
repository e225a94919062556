/** Pure queries over recorded operations: the verdict of each archive period, backup check, test stand update and database move. */
import { DateTime } from 'luxon'
import type { CalendarNotFound, CalendarRegistry } from '../calendar/business-calendar.js'
import { addDays, endOfLocalDate, startOfLocalDate } from '../contract/command-guards.js'
import type { ArchivingCadence, ContractPolicy } from '../contract/contract-policy.js'
import type { ContractTerms } from '../contract/contract-terms.js'
import type { LocalDate } from '../values/local-date.js'
import type { RecordedDelivery } from '../delivery/delivery-queries.js'
import { byTime } from '../incident/incident-queries.js'
import { addMillis, type Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { Evidence, ObligationVerdict } from '../sla/obligation.js'
import { windowDue } from '../sla/window-due.js'
import type { OperationsEvent } from './operations-events.js'

// model

/** One instance of a recurring obligation and its verdict. */
export interface OperationVerdict {
  /** What the instance is about: `2026-03` (archive period), a check id, `stand@delivery`, a move id. */
  readonly subject: string
  readonly opensAt: Instant
  readonly dueAt: Instant
  readonly verdict: ObligationVerdict
  readonly evidence: ReadonlyArray<Evidence>
  /** A short fact behind the verdict, e.g. the lag found or the archive's size. */
  readonly detail?: string
}

// operations

/** The contract's policy in force at an instant, as the contract's record says (the caller folds it). */
export type PolicyAt = (at: Instant) => ContractPolicy

/** From which local date each archiving cadence holds: the one signed with the contract, then each amendment's. */
export interface CadenceFrom {
  readonly from: LocalDate
  readonly cadence: ArchivingCadence
}

const before = (events: ReadonlyArray<RecordedEvent<OperationsEvent>>, asOf: Instant) => events.filter((e) => e.data.at <= asOf)

/** The archive periods of the term: calendar weeks (Monday first), months or quarters, cut to the term. */
export const archivePeriods = (
  terms: Pick<ContractTerms, 'term' | 'timeZone'>,
  cadence: ArchivingCadence,
): ReadonlyArray<{ readonly label: string; readonly start: LocalDate; readonly end: LocalDate }> => {
  const unit = cadence === 'weekly' ? 'week' : cadence === 'monthly' ? 'month' : 'quarter'
  const out: Array<{ label: string; start: LocalDate; end: LocalDate }> = []
  let cursor = DateTime.fromISO(terms.term.start, { zone: 'utc' }).startOf(unit)
  const last = DateTime.fromISO(terms.term.end, { zone: 'utc' })
  while (cursor <= last) {
    const start = (cursor.toISODate() as LocalDate) < terms.term.start ? terms.term.start : (cursor.toISODate() as LocalDate)
    const endRaw = cursor.endOf(unit).toISODate() as LocalDate
    const end = endRaw > terms.term.end ? terms.term.end : endRaw
    const label = unit === 'week' ? cursor.toFormat("kkkk-'W'WW") : unit === 'month' ? cursor.toFormat('yyyy-MM') : `${cursor.year}-Q${cursor.quarter}`
    out.push({ label, start, end })
    cursor = cursor.plus({ [unit + 's']: 1 })
  }
  return out
}

/**
 * The archive periods of the term when the cadence changes from dates in it: each cadence's periods
 * from its date to the day before the next, the periods cut at each change.
 */
export const archivePeriodsOf = (
  terms: Pick<ContractTerms, 'term' | 'timeZone'>,
  cadences: ReadonlyArray<CadenceFrom>,
): ReadonlyArray<{ readonly label: string; readonly start: LocalDate; readonly end: LocalDate }> => {
  const sorted = [...cadences].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
  return sorted.flatMap((c, i) => {
    const start = c.from < terms.term.start ? terms.term.start : c.from
    const next = sorted[i + 1]
    const endRaw = next === undefined ? terms.term.end : addDays(next.from, -1)
    const end = endRaw > terms.term.end ? terms.term.end : endRaw
    return end < start ? [] : archivePeriods({ term: { start, end }, timeZone: terms.timeZone }, c.cadence)
  })
}

/**
 * Clause 12: every archive period of the term has an archive recorded within it. Each cadence holds
 * from its effective date (`cadences`; by default the one in `terms` for the whole term).
 */
export const archivingVerdicts = (
  terms: ContractTerms,
  events: ReadonlyArray<RecordedEvent<OperationsEvent>>,
  asOf: Instant,
  cadences: ReadonlyArray<CadenceFrom> = [{ from: terms.term.start, cadence: terms.policy.archiving }],
): ReadonlyArray<OperationVerdict> => {
  const known = before(events, asOf)
  const archives = known.flatMap((e) => (e.type === 'DatabaseArchived' ? [e] : []))
  return archivePeriodsOf(terms, cadences).map((p) => {
    const opensAt = startOfLocalDate(p.start, terms.timeZone)
    const dueAt = endOfLocalDate(p.end, terms.timeZone)
    const inPeriod = archives.filter((a) => a.data.at >= opensAt && a.data.at <= dueAt)
    const first = inPeriod[0]
    return {
      subject: p.label,
      opensAt,
      dueAt,
      verdict: first !== undefined ? 'met' : asOf > dueAt ? 'breached' : 'pending',
      evidence: byTime(inPeriod.map((a) => ({ eventId: a.eventId, at: a.data.at, role: 'stopped' as const }))),
      ...(first === undefined ? {} : { detail: `${first.data.archiveId} ${first.data.sizeBytes} B sha256:${first.data.sha256.slice(0, 12)}` }),
    }
  })
}

/**
 * Clause 13: the backup is kept current. Each check is met when its lag is within the limit;
 * and the backup must be verified at least once per limit: every longer stretch without a check
 * (from the start of the term, between checks, and up to the as-of instant) is a breach. Each
 * stretch is measured against the limit in force when it opened.
 */
export const backupSyncVerdicts = (
  terms: ContractTerms,
  events: ReadonlyArray<RecordedEvent<OperationsEvent>>,
  asOf: Instant,
  policyAt: PolicyAt = () => terms.policy,
): ReadonlyArray<OperationVerdict> => {
  const known = before(events, asOf)
  const termStart = startOfLocalDate(terms.term.start, terms.timeZone)
  const termEnd = endOfLocalDate(terms.term.end, terms.timeZone)
  const checks = known.flatMap((e) => (e.type === 'BackupSyncVerified' ? [e] : [])).sort((a, b) => (a.data.at < b.data.at ? -1 : a.data.at > b.data.at ? 1 : 0))
  const out: OperationVerdict[] = []
  let previous: { readonly at: Instant; readonly eventId?: string } = { at: termStart }
  // A stretch without a check is due by the limit in force when it opened: a limit loosened later does not forgive a stretch already overdue.
  const limitFrom = (at: Instant) => policyAt(at).backupLagLimitMinutes * 60_000
  for (const c of checks) {
    const gapDue = addMillis(previous.at, limitFrom(previous.at))
    if (c.data.at > gapDue) {
      out.push({
        subject: `gap after ${previous.eventId ?? 'term start'}`,
        opensAt: previous.at,
        dueAt: gapDue,
        verdict: 'breached',
        evidence: [...(previous.eventId === undefined ? [] : [{ eventId: previous.eventId, at: previous.at, role: 'started' as const }]), { eventId: c.eventId, at: c.data.at, role: 'stopped' as const }],
        detail: 'no verification within the limit',
      })
    }
    out.push({
      subject: c.data.checkId,
      opensAt: c.data.at,
      dueAt: c.data.at,
      verdict: c.data.withinLimit ? 'met' : 'breached',
      evidence: [{ eventId: c.eventId, at: c.data.at, role: 'stopped' }],
      detail: `lag ${c.data.lagMinutes} min, limit ${c.data.lagLimitMinutes} min`,
    })
    previous = { at: c.data.at, eventId: c.eventId }
  }
  const nextDue = addMillis(previous.at, limitFrom(previous.at))
  if (previous.at < termEnd && nextDue <= termEnd) {
    out.push({
      subject: `next check after ${previous.eventId ?? 'term start'}`,
      opensAt: previous.at,
      dueAt: nextDue,
      verdict: asOf > nextDue ? 'breached' : 'pending',
      evidence: previous.eventId === undefined ? [] : [{ eventId: previous.eventId, at: previous.at, role: 'started' }],
      detail: asOf > nextDue ? 'no verification within the limit' : 'awaiting the next verification',
    })
  }
  return out
}

/**
 * Clause 9: the supplier keeps test stands at all, and keeps them current. A stand is registered
 * within the window from the term's start (a contract with none is unmet, never silent); every
 * stand registered by a delivery is brought to the delivered version within the window after it,
 * and a delivery with no stand to bring current is owed on whichever stand is registered and updated
 * in time. Deliveries the customer rejected are not owed. Business time runs on the
 * calendar in force when the delivery was made (`calendarIdAt`), so an amendment that moves the
 * contract to another calendar leaves earlier deliveries' windows as they were.
 */
export const testStandVerdicts = (
  terms: ContractTerms,
  events: ReadonlyArray<RecordedEvent<OperationsEvent>>,
  deliveries: ReadonlyArray<RecordedDelivery>,
  asOf: Instant,
  calendars: CalendarRegistry,
  calendarIdAt: (at: Instant) => string = () => terms.calendarId,
  policyAt: PolicyAt = () => terms.policy,
): ReadonlyArray<OperationVerdict> | CalendarNotFound => {
  const known = before(events, asOf)
  const stands = known.flatMap((e) => (e.type === 'TestStandRegistered' ? [e] : []))
  const updates = known.flatMap((e) => (e.type === 'TestStandUpdated' ? [e] : []))
  const out: OperationVerdict[] = []
  const termStart = startOfLocalDate(terms.term.start, terms.timeZone)
  const firstDue = windowDue(policyAt(termStart).testStandWindow, termStart, calendarIdAt(termStart), calendars)
  if (typeof firstDue !== 'string') return firstDue
  const first = stands[0]
  out.push({
    subject: 'test stand registered',
    opensAt: termStart,
    dueAt: firstDue,
    verdict: first !== undefined ? (first.data.at <= firstDue ? 'met' : 'breached') : asOf > firstDue ? 'breached' : 'pending',
    evidence: first === undefined ? [] : [{ eventId: first.eventId, at: first.data.at, role: 'stopped' }],
    detail: first === undefined ? 'no test stand registered' : `${first.data.standId} registered`,
  })
  for (const d of deliveries) {
    if (d.status === 'rejected') continue
    const opensAt = d.recorded.at
    const dueAt = windowDue(policyAt(opensAt).testStandWindow, opensAt, calendarIdAt(opensAt), calendars)
    if (typeof dueAt !== 'string') return dueAt
    if (!stands.some((s) => s.data.at <= opensAt)) {
      const update = updates.find((u) => u.data.version === d.recorded.version && u.data.at >= opensAt)
      out.push({
        subject: `no test stand@${d.recorded.version}`,
        opensAt,
        dueAt,
        verdict: update !== undefined ? (update.data.at <= dueAt ? 'met' : 'breached') : asOf > dueAt ? 'breached' : 'pending',
        evidence: [{ eventId: d.recordedEventId, at: opensAt, role: 'started' }, ...(update === undefined ? [] : [{ eventId: update.eventId, at: update.data.at, role: 'stopped' as const }])],
        detail: update === undefined ? 'no test stand registered when delivered' : `${update.data.standId} brought to ${d.recorded.version}`,
      })
    }
    for (const s of stands) {
      if (s.data.at > opensAt) continue
      const update = updates.find((u) => u.data.standId === s.data.standId && u.data.version === d.recorded.version && u.data.at >= opensAt)
      out.push({
        subject: `${s.data.standId}@${d.recorded.version}`,
        opensAt,
        dueAt,
        verdict: update !== undefined ? (update.data.at <= dueAt ? 'met' : 'breached') : asOf > dueAt ? 'breached' : 'pending',
        evidence: [{ eventId: d.recordedEventId, at: opensAt, role: 'started' }, ...(update === undefined ? [] : [{ eventId: update.eventId, at: update.data.at, role: 'stopped' as const }])],
      })
    }
  }
  return out
}

/** Clause 8: each planned database move has every step executed and verified by its due instant. */
export const databaseMoveVerdicts = (events: ReadonlyArray<RecordedEvent<OperationsEvent>>, asOf: Instant): ReadonlyArray<OperationVerdict> => {
  const known = before(events, asOf)
  return known.flatMap((e) => {
    if (e.type !== 'DatabaseMovePlanned') return []
    const steps = known.filter((x) => (x.type === 'MoveStepExecuted' || x.type === 'MoveStepVerified') && x.data.moveId === e.data.moveId)
    const verified = new Map(steps.flatMap((x) => (x.type === 'MoveStepVerified' ? [[x.data.stepId, x] as const] : [])))
    const done = e.data.steps.every((s) => verified.has(s.stepId))
    const finishedAt = done ? [...verified.values()].map((v) => v.data.at).sort().at(-1) : undefined
    const verdict: ObligationVerdict = finishedAt !== undefined ? (finishedAt <= e.data.dueAt ? 'met' : 'breached') : asOf > e.data.dueAt ? 'breached' : 'pending'
    return [{
      subject: `${e.data.moveId} (${e.data.target})`,
      opensAt: e.data.at,
      dueAt: e.data.dueAt,
      verdict,
      evidence: byTime([
        { eventId: e.eventId, at: e.data.at, role: 'started' },
        ...steps.map((x) => ({ eventId: x.eventId, at: x.data.at, role: x.type === 'MoveStepVerified' ? ('accepted' as const) : ('delivered' as const) })),
      ]),
      detail: `${verified.size}/${e.data.steps.length} steps verified`,
    }]
  })
}
