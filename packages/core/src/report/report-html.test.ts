import * as E from 'fp-ts/lib/Either.js'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { buildComplianceReport, type ComplianceReport, type ObligationSection } from './compliance-report.js'
import { exampleLedger } from '../testing/example-ledger.js'
import { barLength, obligationsChart } from './report-charts.js'
import { verdictCsvColumns, renderVerdictsCsv } from './report-csv.js'
import { reportEventNames } from './report-event-names.js'
import { citedEvents, shortEventIds } from './report-evidence.js'
import { reportLanguages, type ReportLanguage } from './report-format.js'
import { quarterlyTrend, reportHeadline } from './report-headline.js'
import { FOLD_AFTER, renderReportHtml } from './report-html.js'
import { reportLabels } from './report-labels.js'
import type { ReportPeriod } from './report-period.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const year = exampleLedger({ tickets: 80 })
const build = (period: ReportPeriod): ComplianceReport => {
  const r = buildComplianceReport({ contractId: year.terms.contractId, events: year.events, asOf: year.asOf, period, calendars })
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
const report = build({ kind: 'contract-to-date' })
const quarters = ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'].map((quarter) => build({ kind: 'quarter', quarter }))
const eventTypes = new Map(year.events.map((e) => [e.eventId, e.type]))
const pages = Object.fromEntries(reportLanguages.map((l) => [l, renderReportHtml(report, l, { quarters, eventTypes })])) as Record<ReportLanguage, string>

/** Every string leaf of a label table, by its path. */
const leaves = (value: unknown, path = ''): ReadonlyArray<readonly [string, string]> =>
  typeof value === 'string' ? [[path, value]] : Object.entries(value as object).flatMap(([k, v]) => leaves(v, path === '' ? k : `${path}.${k}`))

/** The text a reader sees: no style, no tags, entities decoded, and the report's own data (names, titles, reasons, ids) taken out. */
const visibleText = (html: string, r: ComplianceReport): string => {
  const text = html.replace(/<style>[\s\S]*?<\/style>/, ' ').replace(/<title>[\s\S]*?<\/title>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')
  const data = [r.product, r.customer, r.supplier, ...r.incidents.map((i) => i.summary), ...r.budget.changes.map((c) => c.title), ...r.budget.refused.map((x) => x.reason), ...citedEvents(r).map((e) => e.eventId)]
  // One pass over the page for all of them (hundreds of cited ids), the longest first where one contains another.
  const escaped = [...new Set(data)].filter((d) => d !== '').sort((a, b) => b.length - a.length).map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return escaped.length === 0 ? text : text.replace(new RegExp(escaped.join('|'), 'g'), ' ')
}

describe('the report\'s words in every language', () => {
  const en = new Map(leaves(reportLabels.en))
  it('every language has every label, none empty, with the same {places}', () => {
    for (const language of reportLanguages) {
      const table = new Map(leaves(reportLabels[language]))
      expect([...table.keys()].sort(), language).toEqual([...en.keys()].sort())
      for (const [path, text] of table) {
        expect(text.trim(), `${language} ${path}`).not.toBe('')
        expect(text.match(/\{\w+\}/g)?.sort() ?? [], `${language} ${path}`).toEqual(en.get(path)?.match(/\{\w+\}/g)?.sort() ?? [])
      }
    }
  })

  it('Kazakh is its own: written in Cyrillic, and not a copy of the Russian table', () => {
    const ru = new Map(leaves(reportLabels.ru))
    const kk = leaves(reportLabels.kk)
    const same = kk.filter(([path, text]) => ru.get(path) === text)
    // Shared words only: SHA-256, Redmine, Инцидент, Лимит and the like.
    expect(same.length).toBeLessThan(kk.length / 10)
    expect(kk.filter(([, text]) => /[әғқңөұүһі]/i.test(text)).length).toBeGreaterThan(kk.length / 2)
    expect(Object.keys(reportEventNames.kk).sort()).toEqual(Object.keys(reportEventNames.en).sort())
  })

  it('the Russian and Kazakh pages contain no English label or event name', () => {
    const others = [...leaves(reportLabels.ru), ...leaves(reportLabels.kk)].map(([, t]) => t)
    // The English strings no other language shares, cut at their {places}; short fragments would match inside data.
    const englishOnly = [...leaves(reportLabels.en).map(([, t]) => t), ...Object.values(reportEventNames.en)]
      .flatMap((t) => t.split(/\{\w+\}/))
      .map((t) => t.trim().replace(/^[,.:;()…]+|[,.:;()…]+$/g, '').trim())
      // Words every language shares (SHA-256, Redmine) are not English-only.
      .filter((t) => t.length >= 4 && /[a-z]/i.test(t) && !others.some((o) => o.includes(t)))
    expect(englishOnly.length).toBeGreaterThan(150)
    const englishText = visibleText(pages.en, report)
    // The probe can fail: the English page is full of them.
    expect(englishOnly.filter((t) => englishText.includes(t)).length).toBeGreaterThan(50)
    for (const language of ['ru', 'kk'] as const) {
      const text = visibleText(pages[language], report)
      expect(englishOnly.filter((t) => new RegExp(`(^|[^A-Za-z])${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z]|$)`).test(text)), language).toEqual([])
      expect(pages[language]).toContain(`<html lang="${language}">`)
    }
  })

  it('writes money, dates and the period the way the parties read them, and names the zone once', () => {
    for (const language of reportLanguages) {
      const page = pages[language]
      expect(page, language).toMatch(/\d{1,3}(\u00a0\d{3})+,\d{2}\u00a0₸/)
      expect(page, language).toContain('01.01.2024\u00a0–\u00a015.01.2025')
      expect(page, language).toMatch(/\b\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}\b/)
      // No ISO-like local times are left from the Markdown's way of writing them.
      expect(page, language).not.toMatch(/\b20\d\d-\d\d-\d\d \d\d:\d\d\b/)
      expect(page.split('Asia/Almaty').length - 1, language).toBe(1)
    }
  })
})

describe('the headline, charts, folding and evidence', () => {
  const headline = reportHeadline(report)

  it('the headline tallies every verdict and lists every breach, first on the page', () => {
    const total = report.obligations.reduce((n, o) => n + o.total, 0)
    expect(headline.total.total).toBe(total)
    expect(headline.breaches.length).toBe(report.obligations.reduce((n, o) => n + o.breached, 0))
    expect(headline.breaches.length).toBeGreaterThan(0)
    expect(headline.total.complianceBps).toBe(Math.floor((headline.total.met * 10_000) / (headline.total.met + headline.total.breached)))
    for (const language of reportLanguages) {
      const page = pages[language]
      expect(page.indexOf('class="headline"'), language).toBeLessThan(page.indexOf('class="charts"'))
      expect(page, language).toContain(reportLabels[language].overall)
    }
  })

  it('draws counts on one scale: a bar\'s length is its number, so 1/0/0 and 91/0/0 differ', () => {
    const section = (clause: number, met: number): ObligationSection => ({ clause, obligation: 'consultation', total: met, met, breached: 0, pending: 0, verdicts: [] })
    const svg = obligationsChart([section(1, 1), section(2, 91)], reportLabels.en)
    const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"[^>]*data-count="(\d+)"/g)].map((m) => Number(m[1]))
    expect(widths).toHaveLength(2)
    expect(widths[1]).toBeGreaterThan((widths[0] ?? Infinity) * 40)
    expect(barLength(1, 1000, 400)).toBe(2)
    expect(barLength(0, 1000, 400)).toBe(0)
    expect(barLength(500, 1000, 400)).toBe(200)
  })

  it('draws the trend from the quarterly reports, in order, leaving out other contracts and periods', () => {
    const trend = quarterlyTrend(report.contractId, [quarters[2]!, report, quarters[0]!, quarters[1]!, quarters[3]!, { ...quarters[1]!, contractId: 'C-OTHER' }])
    expect(trend.map((q) => q.quarter)).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'])
    trend.forEach((q, i) => expect(q).toEqual({ quarter: q.quarter, ...reportHeadline(quarters[i]!).total }))
    expect(pages.ru).toContain(`aria-label="${reportLabels.ru.chartTrend}"`)
    expect(renderReportHtml(report, 'ru')).not.toContain(`aria-label="${reportLabels.ru.chartTrend}"`)
  })

  it('folds the met verdicts of a long list and shows its exceptions', () => {
    const long = report.obligations.find((o) => o.verdicts.length > FOLD_AFTER && o.met > 0 && o.met < o.total)
    expect(long).toBeDefined()
    const page = pages.en
    expect(page).toContain(`<summary>${long!.met} met, shown on demand</summary>`)
    for (const o of report.obligations.filter((x) => x.verdicts.length <= FOLD_AFTER && x.verdicts.length > 0)) {
      expect(page).not.toContain(`<summary>${o.met} met, shown on demand</summary><div class="table"><table><thead><tr><th>Subject`)
    }
  })

  it('every cited event has one short name that links to its row in the appendix', () => {
    const cited = citedEvents(report)
    const short = shortEventIds(cited.map((e) => e.eventId))
    expect(new Set(short.values()).size).toBe(cited.length)
    const page = pages.en
    const links = new Set([...page.matchAll(/href="#(ev-[^"]+)"/g)].map((m) => m[1]))
    const anchors = new Set([...page.matchAll(/id="(ev-[^"]+)"/g)].map((m) => m[1]))
    expect(links.size).toBeGreaterThan(100)
    for (const l of links) expect(anchors.has(l), l).toBe(true)
  })

  it('shortens uuid ids to their first 8 hex digits, longer only where two share them', () => {
    const a = '0190a1b2-0000-7000-8000-00000000aaaa'
    const b = '0190a1b2-0000-7000-8000-00000000bbbb'
    const c = '77aa0000-0000-7000-8000-000000000001'
    const short = shortEventIds([a, b, c])
    expect(short.get(c)).toBe('77aa0000')
    expect(short.get(a)).toBe('0190a1b2…aaaa')
    expect(short.get(b)).toBe('0190a1b2…bbbb')
  })

  it('prints on A4 with each section on a new page', () => {
    expect(pages.en).toContain('@page{size:A4')
    const print = pages.en.slice(pages.en.indexOf('@media print{'))
    expect(print).toContain('section{break-before:page}')
  })
})

describe('the verdicts as CSV', () => {
  const csv = renderVerdictsCsv(report)
  const rows = parse(csv, { columns: true }) as Array<Record<(typeof verdictCsvColumns)[number], string>>

  it('has one row per verdict, with its clause, status, times, reason and evidence', () => {
    expect(csv.split('\r\n')[0]).toBe(verdictCsvColumns.join(','))
    const verdicts = report.obligations.flatMap((o) => o.verdicts.map((v) => ({ o, v })))
    expect(rows).toHaveLength(verdicts.length)
    rows.forEach((row, i) => {
      const { o, v } = verdicts[i]!
      expect(row).toMatchObject({ contract: report.contractId, clause: String(o.clause), obligation: o.obligation, subject: v.subject, status: v.verdict, opens_at: v.opensAt, due_at: v.dueAt ?? '', reason: v.detail ?? '' })
      expect(row.evidence.split(' ').filter((x) => x !== '')).toEqual(v.evidence.map((e) => e.eventId))
      if (v.verdict === 'met' && v.evidence.length > 0) expect(v.evidence.map((e) => e.at)).toContain(row.met_at)
      else expect(row.met_at).toBe('')
    })
  })

  it('keeps commas, quotes and line breaks in a field as one field', () => {
    const tricky = { ...report, obligations: [{ ...report.obligations[0]!, verdicts: [{ ...report.obligations[0]!.verdicts[0]!, subject: 'a, "b"\nc' }] }] }
    const [row] = parse(renderVerdictsCsv(tricky), { columns: true }) as Array<{ subject: string }>
    expect(row?.subject).toBe('a, "b"\nc')
  })
})
