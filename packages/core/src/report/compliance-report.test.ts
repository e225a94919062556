import { fc, test as propTest } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { fiveDayWeek, workingHours, type CalendarDefinition, type CalendarId } from '../calendar/calendar-definition.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import { addMillis, type Instant } from '../kernel/instant.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../testing/contract-fixtures.js'
import type { ContractId, TicketId } from '../values/domain-ids.js'
import type { LocalDate } from '../values/local-date.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { TicketKind } from '../ticket/ticket-kind.js'
import type { TicketRequest } from '../ledger/contract-ledger.js'
import { buildComplianceReport, reportedObligations, type ComplianceReport, type ComplianceReportInput } from './compliance-report.js'
import { contractLedger } from '../ledger/contract-ledger.js'
import { exampleLedger } from '../testing/example-ledger.js'
import { renderReportHtml } from './report-html.js'
import { renderReportJson } from './report-json.js'
import { renderReportMarkdown } from './report-markdown.js'
import type { LedgerEvent } from './ledger-events.js'
import type { ReportPeriod } from './report-period.js'
import { expectReaches } from '../testing/arbitraries.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const ledger = exampleLedger({ tickets: 300 })
const input = (over: Partial<ComplianceReportInput> = {}): ComplianceReportInput => ({
  contractId: ledger.terms.contractId, events: ledger.events, asOf: ledger.asOf, period: { kind: 'contract-to-date' }, calendars, ...over,
})
const build = (over: Partial<ComplianceReportInput> = {}): ComplianceReport => {
  const r = buildComplianceReport(input(over))
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
const section = (r: ComplianceReport, obligation: string, clause?: number) => {
  const s = r.obligations.find((o) => o.obligation === obligation && (clause === undefined || o.clause === clause))
  if (s === undefined) throw new Error(`no section ${obligation}`)
  return s
}
const renders = (r: ComplianceReport) => [renderReportJson(r), renderReportMarkdown(r, 'en'), renderReportMarkdown(r, 'ru'), renderReportHtml(r, 'en'), renderReportHtml(r, 'ru')]

describe('compliance report', () => {
  const report = build()

  it('lists every obligation of the contract, even those with nothing in the period', () => {
    for (const o of reportedObligations) expect(report.obligations.some((s) => s.clause === o.clause && s.obligation === o.obligation)).toBe(true)
    const empty = build({ period: { kind: 'month', month: '2024-02' }, events: ledger.events.filter((e) => e.streamId.startsWith('contract-')) })
    expect(empty.obligations.every((o) => o.total === 0 || o.obligation === 'quarterly-delivery' || o.obligation === 'archiving' || o.obligation === 'backup-sync')).toBe(true)
  })

  it('finds the late second quarterly delivery and proves it with the delivery event', () => {
    const q = section(report, 'quarterly-delivery').verdicts.find((v) => v.subject === 'quarter 2024-Q2')
    expect(q).toMatchObject({ verdict: 'breached', detail: 'late' })
    const recorded = ledger.events.find((e) => e.type === 'DeliveryRecorded' && e.data.quarter === '2024-Q2')
    expect(q?.evidence.map((e) => e.eventId)).toContain(recorded?.eventId)
  })

  it('finds the missed June archive and the day the backup fell 30 hours behind', () => {
    expect(section(report, 'archiving').verdicts.filter((v) => v.verdict === 'breached').map((v) => v.subject)).toEqual(['2024-06'])
    const behind = section(report, 'backup-sync').verdicts.filter((v) => v.verdict === 'breached')
    expect(behind.map((v) => v.subject)).toEqual(['SYNC-201'])
  })

  it('every verdict cites events that exist in the record; every met verdict cites at least one', () => {
    const ids = new Set(ledger.events.map((e) => e.eventId))
    for (const o of report.obligations) for (const v of o.verdicts) {
      // A breach by absence (a month without an archive) has no event to cite; a verdict of met always has.
      if (v.verdict === 'met') expect(v.evidence.length).toBeGreaterThan(0)
      for (const e of v.evidence) expect(ids.has(e.eventId)).toBe(true)
    }
  })

  it('budget use adds up: committed = approved + spent, remaining = cap - committed, both warnings raised', () => {
    const b = report.budget
    expect(b.cap).toBe(1_500_000_000)
    expect(b.committed).toBe(b.approvedOpen + b.spent)
    expect(b.remaining).toBe(b.cap - b.committed)
    expect(b.warnings.map((w) => w.thresholdBps)).toEqual([8000, 9500])
  })

  it('a month report counts only the clocks that opened in that month', () => {
    const march = build({ period: { kind: 'month', month: '2024-03' } })
    expect(march.period).toMatchObject({ from: '2024-02-29T19:00:00.000Z', to: '2024-03-31T19:00:00.000Z' })
    for (const o of march.obligations) for (const v of o.verdicts) {
      expect(v.opensAt >= march.period.from && v.opensAt < march.period.to).toBe(true)
    }
    expect(section(march, 'database-move').total).toBe(1)
  })

  it('a report as of an earlier instant ignores what happened after it', () => {
    const early = build({ asOf: '2024-04-05T00:00:00.000Z' as Instant })
    expect(section(early, 'quarterly-delivery').verdicts.map((v) => `${v.subject}:${v.verdict}`)).toEqual(['quarter 2024-Q1:met', 'quarter 2024-Q2:pending'])
    expect(early.incidents.every((i) => i.reportedAt <= '2024-04-05T00:00:00.000Z')).toBe(true)
  })

  it('an amendment that moves the contract to another calendar leaves the test-stand verdicts before it as they were', () => {
    // Given a calendar of two working hours a day, and an amendment moving the contract to it from 1 December 2024
    const shortDays: CalendarDefinition = {
      id: 'kz-short-days' as CalendarId,
      name: 'Two hours a day',
      versions: [{ effectiveFrom: '2023-11-30T18:00:00.000Z' as Instant, timeZone: 'Asia/Almaty', weeklyHours: fiveDayWeek(workingHours('09:00', '11:00')), days: [] }],
    }
    const both = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR, shortDays]))
    const registered = ledger.events.find((e) => e.type === 'ContractCountersigned')
    if (registered === undefined) throw new Error('no registration')
    const amended = {
      type: 'ContractAmended',
      data: {
        contractId: ledger.terms.contractId, amendmentId: 'A-1', effectiveFrom: '2024-12-01', effectiveAt: '2024-11-30T19:00:00.000Z',
        changes: { calendarId: shortDays.id }, reason: 'new office hours', at: '2024-11-20T04:00:00.000Z',
      },
      streamId: registered.streamId, streamVersion: registered.streamVersion + 1, globalPosition: ledger.events.length + 1,
      eventId: `${registered.streamId}/${registered.streamVersion + 1}`, schemaVersion: 1,
      metadata: { actor: ledger.terms.parties.customer, at: '2024-11-20T04:00:00.000Z', recordedAt: '2024-11-20T04:00:00.000Z' },
    } as unknown as RecordedEvent<LedgerEvent>
    const before = section(build({ calendars: both }), 'test-stand').verdicts.filter((v) => v.opensAt < '2024-11-30T19:00:00.000Z')
    // When the report is made with the amendment in the record
    const after = section(build({ calendars: both, events: [...ledger.events, amended] }), 'test-stand').verdicts.filter((v) => v.opensAt < '2024-11-30T19:00:00.000Z')
    // Then every verdict on a delivery made before the amendment took effect is unchanged, breaches included
    expect(before.some((v) => v.verdict === 'breached')).toBe(true)
    expect(after).toEqual(before)
  })

  it('refuses to report on a contract the events do not register, with the error the commands give', () => {
    expect(buildComplianceReport(input({ contractId: 'C-unknown' }))).toEqual(E.left({ _tag: 'ContractNotRegistered', message: expect.stringContaining('C-unknown'), contractId: 'C-unknown' }))
  })

  it('refuses a report whose clocks need a calendar with no version in force, naming the calendar', () => {
    const none = createCalendarRegistry([])
    if (E.isLeft(none)) throw new Error(none.left.message)
    const made = buildComplianceReport(input({ calendars: none.right }))
    expect(made).toMatchObject(E.left({ _tag: 'CalendarNotFound', calendarId: expect.any(String), at: expect.any(String) }))
  })

  it('the HTML page is standalone: inline SVG charts, no scripts, no external references, user text escaped', () => {
    const html = renderReportHtml(report, 'ru')
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html.match(/<svg /g)?.length).toBe(2)
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
    expect(html).toContain('Отчёт об исполнении договора')
    const hostile = { ...report, product: '<img src=x onerror=alert(1)>' }
    expect(renderReportHtml(hostile, 'en')).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('formats money and shares deterministically in both languages', () => {
    expect(renderReportMarkdown(report, 'en')).toContain('- Cap: 15,000,000.00 KZT (15.00%)')
    expect(renderReportMarkdown(report, 'ru')).toContain('- Лимит: 15\u00a0000\u00a0000,00\u00a0₸ (15,00\u00a0%)')
  })
})

// Properties

const periodArb: fc.Arbitrary<ReportPeriod> = fc.oneof(
  fc.constant({ kind: 'contract-to-date' as const }),
  fc.integer({ min: 1, max: 12 }).map((m) => ({ kind: 'month' as const, month: `2024-${String(m).padStart(2, '0')}` })),
  fc.integer({ min: 1, max: 4 }).map((q) => ({ kind: 'quarter' as const, quarter: `2024-Q${q}` })),
)
describe('compliance report: clauses 2 to 5, deadlines set, agreed and kept', () => {
  const contractId = 'C-2024-001' as ContractId
  const at = (iso: string) => new Date(iso).toISOString() as Instant
  const setUp = async () => {
    const storage = createInMemoryStorage()
    const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars })
    const registered = await ledger.contracts.handle(exampleRegistration({ term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } }))()
    if (E.isLeft(registered)) throw new Error(registered.left.message)
    const signed = await ledger.contracts.handle(exampleCountersignature())()
    if (E.isLeft(signed)) throw new Error(signed.left.message)
    const handle = async (request: TicketRequest) => {
      const r = await ledger.tickets.handle(request)()
      if (E.isLeft(r)) throw new Error(r.left.message)
    }
    const report = async (asOf: string, period: ReportPeriod = { kind: 'contract-to-date' }) => {
      const r = await ledger.report({ contractId, asOf: at(asOf), period })()
      if (E.isLeft(r)) throw new Error(r.left.message)
      return r.right
    }
    return { handle, report }
  }
  const ticket = (ticketId: string) => ({ contractId, ticketId: ticketId as TicketId })
  const file = (ticketId: string, receivedAt: string, kind: TicketKind): TicketRequest => ({
    ...ticket(ticketId), type: 'FileRequest', actor: exampleCustomer, at: at(receivedAt), receivedAt: at(receivedAt), kind, priority: 'normal', channel: 'redmine', subject: 'a request',
  })
  const rowOf = (r: ComplianceReport, clause: number, obligation: string, ticketId: string) => section(r, obligation, clause).verdicts.find((v) => v.subject === `ticket ${ticketId}`)

  it('given a defect whose far-future proposal was rejected, clause 2 is pending then breached and clause 3 stays on the report', async () => {
    const { handle, report } = await setUp()
    await handle(file('T-1', '2024-06-03T10:00:00+05:00', 'defect'))
    const far = at('2030-01-01T00:00:00+05:00')
    await handle({ ...ticket('T-1'), type: 'ProposeDeadline', actor: exampleSupplier, at: at('2024-06-03T10:10:00+05:00'), deadline: far })
    await handle({ ...ticket('T-1'), type: 'RejectDeadline', actor: exampleCustomer, at: at('2024-06-03T10:20:00+05:00'), deadline: far, reason: 'far too late' })
    const early = await report('2024-06-03T11:00:00+05:00')
    expect(rowOf(early, 2, 'deadline-proposal', 'T-1')).toMatchObject({ verdict: 'pending', proposedAt: at('2024-06-03T10:10:00+05:00') })
    const later = await report('2024-06-10T00:00:00+05:00')
    expect(rowOf(later, 2, 'deadline-proposal', 'T-1')).toMatchObject({ verdict: 'breached', dueAt: at('2024-06-03T12:00:00+05:00') })
    expect(rowOf(later, 2, 'deadline-proposal', 'T-1')?.detail).toContain('not agreed')
    expect(rowOf(later, 3, 'agreed-deadline', 'T-1')).toMatchObject({ verdict: 'pending', detail: expect.stringContaining('no deadline agreed') })
  })

  it('shows when the deadline was proposed and when it was agreed', async () => {
    const { handle, report } = await setUp()
    await handle(file('T-2', '2024-06-03T10:00:00+05:00', 'defect'))
    const deadline = at('2024-06-05T18:00:00+05:00')
    await handle({ ...ticket('T-2'), type: 'ProposeDeadline', actor: exampleSupplier, at: at('2024-06-03T10:40:00+05:00'), deadline })
    await handle({ ...ticket('T-2'), type: 'AgreeDeadline', actor: exampleCustomer, at: at('2024-06-03T11:30:00+05:00'), deadline })
    const r = await report('2024-06-04T00:00:00+05:00')
    expect(rowOf(r, 2, 'deadline-proposal', 'T-2')).toMatchObject({
      verdict: 'met',
      proposedAt: at('2024-06-03T10:40:00+05:00'),
      agreedAt: at('2024-06-03T11:30:00+05:00'),
      detail: `proposed ${at('2024-06-03T10:40:00+05:00')}; agreed ${at('2024-06-03T11:30:00+05:00')}`,
    })
    expect(rowOf(r, 3, 'agreed-deadline', 'T-2')).toMatchObject({ verdict: 'pending', dueAt: deadline, agreedAt: at('2024-06-03T11:30:00+05:00') })
  })

  it('lists configuration (clause 4) and performance (clause 5) with their agreed-deadline verdicts', async () => {
    const { handle, report } = await setUp()
    const empty = await report('2024-06-01T00:00:00+05:00')
    expect(section(empty, 'agreed-deadline', 4)).toMatchObject({ total: 0 })
    expect(section(empty, 'agreed-deadline', 5)).toMatchObject({ total: 0 })
    await handle(file('T-4', '2024-06-03T10:00:00+05:00', 'configuration'))
    await handle(file('T-5', '2024-06-03T10:00:00+05:00', 'performance'))
    const deadline = at('2024-06-07T18:00:00+05:00')
    for (const id of ['T-4', 'T-5']) {
      await handle({ ...ticket(id), type: 'ProposeDeadline', actor: exampleSupplier, at: at('2024-06-03T15:00:00+05:00'), deadline })
      await handle({ ...ticket(id), type: 'AgreeDeadline', actor: exampleCustomer, at: at('2024-06-03T16:00:00+05:00'), deadline })
    }
    await handle({ ...ticket('T-4'), type: 'DeliverResult', actor: exampleSupplier, at: at('2024-06-07T12:00:00+05:00'), deliveryId: 'R-1', summary: 'configured' })
    await handle({ ...ticket('T-4'), type: 'AcceptResult', actor: exampleCustomer, at: at('2024-06-08T10:00:00+05:00'), deliveryId: 'R-1' })
    const r = await report('2024-06-10T00:00:00+05:00')
    expect(section(r, 'agreed-deadline', 4)).toMatchObject({ total: 1, met: 1 })
    expect(section(r, 'agreed-deadline', 5)).toMatchObject({ total: 1, breached: 1 })
    // No two-hour clock for them: clause 2 names errors and failures.
    expect(rowOf(r, 2, 'deadline-proposal', 'T-4')).toBeUndefined()
    expect(renderReportMarkdown(r, 'en')).toMatch(/\| 5 \|/)
  })

  it('keeps a ticket in the period of its receipt when its deadline is agreed in the next one', async () => {
    const { handle, report } = await setUp()
    await handle(file('T-6', '2024-05-31T17:00:00+05:00', 'defect'))
    const deadline = at('2024-06-05T18:00:00+05:00')
    await handle({ ...ticket('T-6'), type: 'ProposeDeadline', actor: exampleSupplier, at: at('2024-06-01T10:00:00+05:00'), deadline })
    await handle({ ...ticket('T-6'), type: 'AgreeDeadline', actor: exampleCustomer, at: at('2024-06-01T11:00:00+05:00'), deadline })
    const may = await report('2024-06-10T00:00:00+05:00', { kind: 'month', month: '2024-05' })
    expect(rowOf(may, 3, 'agreed-deadline', 'T-6')).toMatchObject({ opensAt: at('2024-05-31T17:00:00+05:00'), dueAt: deadline, verdict: 'breached' })
    expect(rowOf(may, 2, 'deadline-proposal', 'T-6')).toMatchObject({ verdict: 'breached' })
    const june = await report('2024-06-10T00:00:00+05:00', { kind: 'month', month: '2024-06' })
    expect(rowOf(june, 3, 'agreed-deadline', 'T-6')).toBeUndefined()
  })
})

const asOfArb = fc.integer({ min: 0, max: 380 }).map((d) => addMillis('2024-01-01T00:00:00.000Z' as Instant, d * 86_400_000))
const small = exampleLedger({ tickets: 60, seed: 7 })
const smallInput = (period: ReportPeriod, asOf: Instant): ComplianceReportInput => ({ contractId: small.terms.contractId, events: small.events, asOf, period, calendars })

describe('compliance report properties', () => {
  it('its generators reach every kind of period, mid-year and after-year as-of instants, and reports with breaches and pending rows', () => {
    expectReaches(fc.tuple(periodArb, asOfArb), {
      month: { atLeast: 0.2, reached: ([p]) => p.kind === 'month' },
      quarter: { atLeast: 0.2, reached: ([p]) => p.kind === 'quarter' },
      'contract to date': { atLeast: 0.2, reached: ([p]) => p.kind === 'contract-to-date' },
      'as of after the year': { atLeast: 0.02, reached: ([, asOf]) => asOf >= '2025-01-01' },
    })
    const verdicts = (period: ReportPeriod, asOf: Instant) => {
      const r = buildComplianceReport(smallInput(period, asOf))
      return E.isRight(r) ? r.right.obligations.flatMap((o) => o.verdicts.map((v) => v.verdict)) : []
    }
    expectReaches(fc.tuple(periodArb, asOfArb).map(([p, a]) => verdicts(p, a)), {
      'a breached verdict': { atLeast: 0.2, reached: (v) => v.includes('breached') },
      'a pending verdict': { atLeast: 0.15, reached: (v) => v.includes('pending') },
      'a met verdict': { atLeast: 0.4, reached: (v) => v.includes('met') },
    }, 50)
  })

  propTest.prop([periodArb, asOfArb], { numRuns: 40 })('met + breached + pending = total for every obligation', (period, asOf) => {
    const r = buildComplianceReport(smallInput(period, asOf))
    if (E.isLeft(r)) throw new Error(r.left.message)
    for (const o of r.right.obligations) {
      expect(o.met + o.breached + o.pending).toBe(o.total)
      expect(o.verdicts).toHaveLength(o.total)
    }
  })

  propTest.prop([periodArb, asOfArb, fc.integer()], { numRuns: 15 })('the report is a pure function of the events: the same events in any order give byte-identical JSON, Markdown and HTML', (period, asOf, seed) => {
    const first = buildComplianceReport(smallInput(period, asOf))
    // A deterministic shuffle from the seed: every permutation of the input is a valid presentation of the same record.
    const shuffled = [...small.events]
    let s = seed >>> 0
    for (let i = shuffled.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
      const j = s % (i + 1)
      ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
    }
    const second = buildComplianceReport({ ...smallInput(period, asOf), events: shuffled })
    if (E.isLeft(first) || E.isLeft(second)) throw new Error('report refused')
    expect(renders(second.right)).toEqual(renders(first.right))
  })
})
