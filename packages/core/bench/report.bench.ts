/** Compliance report benchmark: a generated year of a large contract (about 50,000 requests, 500,000 events); `BENCH_SCALE` (0..1) shrinks it. */
import * as E from 'fp-ts/lib/Either.js'
import { performance } from 'node:perf_hooks'
import {
  buildComplianceReport,
  createCalendarRegistry,
  KAZAKHSTAN_CALENDAR,
  renderReportHtml,
  renderReportJson,
  renderReportMarkdown,
} from '../src/index.js'
import { exampleLedger } from '../src/testing/example-ledger.js'
import type { Figures } from './measure.js'

const MB = 1024 * 1024

const scale = (): number => {
  const raw = Number(process.env['BENCH_SCALE'] ?? '1')
  return Number.isFinite(raw) && raw > 0 ? Math.min(1, raw) : 1
}

/** Collects garbage when the process runs with --expose-gc; says whether it could. */
const collect = (): boolean => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) return false
  gc()
  return true
}

/**
 * Generates the ledger, then times the report over it and the three renderings. Memory: the heap
 * growth across the build (the report value and its garbage not yet collected) and across build and
 * renderings (the output strings included), and the process's peak RSS (the generated ledger included).
 */
export const benchReport = async (): Promise<Figures> => {
  const tickets = Math.max(100, Math.round(50_000 * scale()))
  const generatedAt = performance.now()
  const ledger = exampleLedger({ tickets })
  const generateSeconds = (performance.now() - generatedAt) / 1000
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) throw new Error(calendars.left.message)

  collect()
  const heapBefore = process.memoryUsage().heapUsed
  let heapPeak = heapBefore
  const started = performance.now()
  const report = buildComplianceReport({
    contractId: ledger.terms.contractId,
    events: ledger.events,
    asOf: ledger.asOf,
    period: { kind: 'contract-to-date' },
    calendars: calendars.right,
  })
  const buildSeconds = (performance.now() - started) / 1000
  const heapAfterBuild = process.memoryUsage().heapUsed
  heapPeak = Math.max(heapPeak, heapAfterBuild)
  if (E.isLeft(report)) throw new Error(report.left.message)

  // What the report value itself keeps alive, once the garbage of building it is gone.
  const retained = collect() ? process.memoryUsage().heapUsed - heapBefore : undefined

  const renderStarted = performance.now()
  const json = renderReportJson(report.right)
  const markdown = renderReportMarkdown(report.right, 'en')
  const html = renderReportHtml(report.right, 'ru')
  const renderSeconds = (performance.now() - renderStarted) / 1000
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)

  const verdicts = report.right.obligations.reduce((n, o) => n + o.total, 0)
  return {
    'report: tickets': { value: tickets, unit: 'tickets' },
    'report: events': { value: ledger.events.length, unit: 'events' },
    'report: verdicts': { value: verdicts, unit: 'verdicts' },
    'report: generate ledger': { value: Math.round(generateSeconds * 100) / 100, unit: 's' },
    'report: build (contract to date)': { value: Math.round(buildSeconds * 100) / 100, unit: 's' },
    'report: build rate': { value: Math.round(ledger.events.length / buildSeconds), unit: 'events/s' },
    'report: render JSON+MD+HTML': { value: Math.round(renderSeconds * 100) / 100, unit: 's' },
    'report: output size JSON+MD+HTML': { value: Math.round(((json.length + markdown.length + html.length) / MB) * 10) / 10, unit: 'MB' },
    'report: heap growth build': { value: Math.round((heapAfterBuild - heapBefore) / MB), unit: 'MB' },
    'report: heap growth build+render': { value: Math.round((heapPeak - heapBefore) / MB), unit: 'MB' },
    ...(retained === undefined ? {} : { 'report: heap retained by the report': { value: Math.round(retained / MB), unit: 'MB' } }),
    'report: peak RSS of the process': { value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB' },
  }
}
