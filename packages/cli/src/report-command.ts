/** `support-ledger report`: a contract's compliance report for a period, as HTML, Markdown, JSON or a CSV of verdicts. */
import {
  contractLedger,
  createCalendarRegistry,
  KAZAKHSTAN_CALENDAR,
  ledgerEvents,
  renderReportHtml,
  renderReportJson,
  renderReportMarkdown,
  renderVerdictsCsv,
  ReportPeriod,
  type ComplianceReport,
  complianceReportFold,
  type CalendarRegistry,
  type EventStore,
  type LedgerEvent,
  type Instant,
  type ReportHtmlOptions,
} from '@support-ledger/core'
import { postgresEventStore } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { done, withStore, type CliContext, type CommandResult } from './cli-context.js'
import type { ReportFormat, ReportLanguage } from './cli-config.js'
import { storeFailure } from './cli-store.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'

// The verdicts' CSV lives in core beside the other renderings; the CLI's entry keeps naming it.
export { renderVerdictsCsv } from '@support-ledger/core'

// model

export interface ReportOptions {
  readonly contract: string
  /** `2025-Q1`, `2025-03` or `contract-to-date`. */
  readonly period: string
  readonly asOf: Instant
  readonly format: ReportFormat
  readonly language: ReportLanguage
  /** A file, a folder (ending in `/`), or `-` for stdout. */
  readonly out?: string
  readonly outDir: string
  readonly failOnBreach: boolean
  /** HTML only: add the trend over the contract's quarters (one more report per quarter). Default true. */
  readonly trend?: boolean
}

// operations

/** Reads `2025-Q1`, `2025-03` or `contract-to-date` into the report's period codec. */
export const parsePeriod = (text: string): E.Either<CliFailure, ReportPeriod> => {
  const candidate = /^\d{4}-Q\d$/.test(text) ? { kind: 'quarter', quarter: text } : /^\d{4}-\d{2}$/.test(text) ? { kind: 'month', month: text } : { kind: text }
  const decoded = ReportPeriod.decode(candidate)
  return E.isRight(decoded) ? decoded : E.left(cliFailure(ExitCode.usage, `--period ${text}: expected a quarter (2025-Q1), a month (2025-03) or contract-to-date`))
}

const extension: Record<ReportFormat, string> = { html: 'html', md: 'md', json: 'json', csv: 'csv' }

const render = (report: ComplianceReport, format: ReportFormat, language: ReportLanguage, html: ReportHtmlOptions): string => {
  switch (format) {
    case 'html':
      return renderReportHtml(report, language, html)
    case 'md':
      return renderReportMarkdown(report, language)
    case 'json':
      return renderReportJson(report)
    case 'csv':
      return renderVerdictsCsv(report)
  }
}

export const reportCommand = async (ctx: CliContext, options: ReportOptions): Promise<E.Either<CliFailure, CommandResult>> => {
  const period = parsePeriod(options.period)
  if (E.isLeft(period)) return period
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) return E.left(cliFailure(ExitCode.internal, calendars.left.message))
  const language = options.language

  return withStore(ctx, async (store) => {
    const ledger = contractLedger({ storeFor: (catalog) => postgresEventStore(catalog, store.storage), calendars: calendars.right })
    const made = await ledger.report({ contractId: options.contract, asOf: options.asOf, period: period.right })()
    if (E.isLeft(made)) {
      if (made.left._tag === 'ContractNotRegistered') return E.left(cliFailure(ExitCode.notFound, made.left.message))
      if (made.left._tag === 'InvalidInput') return E.left(cliFailure(ExitCode.usage, made.left.message))
      if (made.left._tag === 'StoreUnavailable') return E.left(storeFailure(store, made.left.message))
      return E.left(cliFailure(ExitCode.internal, made.left.message))
    }
    const report = made.right
    let html: ReportHtmlOptions = {}
    if (options.format === 'html') {
      const extras = await htmlExtras(postgresEventStore(ledgerEvents, store.storage).readContract, calendars.right, report, options, period.right)
      if (E.isLeft(extras)) return E.left(extras.left._tag === 'StoreUnavailable' ? storeFailure(store, extras.left.message) : cliFailure(ExitCode.internal, extras.left.message))
      html = extras.right
    }
    const text = render(report, options.format, language, html)
    const suffix = options.format === 'json' || options.format === 'csv' ? '' : `.${options.language}`
    const name = `compliance-report-${report.contractId}-${report.period.label}${suffix}.${extension[options.format]}`
    const target = options.out === undefined ? join(options.outDir, name) : options.out.endsWith('/') ? join(options.out, name) : options.out
    const breached = report.obligations.reduce((n, s) => n + s.breached, 0)
    const counts = report.obligations.reduce((c, s) => ({ met: c.met + s.met, breached: c.breached + s.breached, pending: c.pending + s.pending }), { met: 0, breached: 0, pending: 0 })
    const note: string[] = []
    const code = options.failOnBreach && breached > 0 ? ExitCode.checkFailed : ExitCode.ok
    if (target === '-') {
      // The report itself is the output; the summary goes to stderr.
      ctx.io.out(text)
      for (const line of note) ctx.io.err(line)
      return E.right({ code, lines: [], json: undefined })
    }
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, text, 'utf8')
    return done(
      [...note, `contract ${report.contractId}, period ${report.period.label}: ${counts.met} met, ${counts.breached} breached, ${counts.pending} pending`, `wrote ${target}`],
      { contract: report.contractId, period: report.period.label, format: options.format, language: options.language, file: target, ...counts },
      code,
    )
  })
}

type ReadContract = EventStore<LedgerEvent>['readContract']

/**
 * What the HTML page adds to the report: one report per quarter of the contract up to the period's
 * end (the trend), and the type of every event of the contract (the evidence appendix). The
 * contract's events are read once, into a report fold that then builds each quarter.
 */
const htmlExtras = async (
  readContract: ReadContract,
  calendars: CalendarRegistry,
  report: ComplianceReport,
  options: ReportOptions,
  period: ReportPeriod,
): Promise<E.Either<{ readonly _tag: string; readonly message: string }, ReportHtmlOptions>> => {
  const eventTypes = new Map<string, string>()
  const fold = complianceReportFold(report.contractId)
  for (let after = 0; ; ) {
    const page = await readContract(report.contractId, { after, limit: 5_000 })()
    if (E.isLeft(page)) return page
    if (page.right.events.length === 0) break
    for (const e of page.right.events) eventTypes.set(e.eventId, e.type)
    fold.add(page.right.events)
    after = page.right.next
  }
  if (options.trend === false) return E.right({ eventTypes })
  // The contract's quarters are those its contract-to-date report lists.
  const whole = period.kind === 'contract-to-date' ? E.right(report) : fold.build({ asOf: options.asOf, period: { kind: 'contract-to-date' }, calendars })
  if (E.isLeft(whole)) return whole
  const quarters: ComplianceReport[] = []
  for (const q of whole.right.deliveries.quarters) {
    const made = fold.build({ asOf: options.asOf, period: { kind: 'quarter', quarter: q.quarter }, calendars })
    if (E.isLeft(made)) return made
    if (made.right.period.from < report.period.to) quarters.push(made.right)
  }
  return E.right({ quarters, eventTypes })
}
