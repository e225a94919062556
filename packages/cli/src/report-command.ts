/** `support-ledger report`: a contract's compliance report for a period, as HTML, Markdown, JSON or a CSV of verdicts. */
import {
  contractLedger,
  createCalendarRegistry,
  KAZAKHSTAN_CALENDAR,
  renderReportHtml,
  renderReportJson,
  renderReportMarkdown,
  reportLabels,
  ReportPeriod,
  type ComplianceReport,
  type Instant,
  type Language,
} from '@support-ledger/core'
import { postgresEventStore } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { done, withStore, type CliContext, type CommandResult } from './cli-context.js'
import type { ReportFormat, ReportLanguage } from './cli-config.js'
import { storeFailure } from './cli-store.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'

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
}

// operations

/** Reads `2025-Q1`, `2025-03` or `contract-to-date` into the report's period codec. */
export const parsePeriod = (text: string): E.Either<CliFailure, ReportPeriod> => {
  const candidate = /^\d{4}-Q\d$/.test(text) ? { kind: 'quarter', quarter: text } : /^\d{4}-\d{2}$/.test(text) ? { kind: 'month', month: text } : { kind: text }
  const decoded = ReportPeriod.decode(candidate)
  return E.isRight(decoded) ? decoded : E.left(cliFailure(ExitCode.usage, `--period ${text}: expected a quarter (2025-Q1), a month (2025-03) or contract-to-date`))
}

/**
 * The labels the report is rendered with. Kazakh falls back to Russian labels while the report
 * has no Kazakh ones: the fallback is said on stderr, and disappears once core ships `kk` labels.
 */
export const renderLanguage = (requested: ReportLanguage): { readonly language: Language; readonly fallback: boolean } =>
  Object.hasOwn(reportLabels, requested) ? { language: requested as Language, fallback: false } : { language: 'ru', fallback: true }

const csvCell = (value: string): string => (/[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)

/** One row per verdict, every obligation: what a spreadsheet or another system reads. */
export const renderVerdictsCsv = (report: ComplianceReport): string => {
  const header = ['contract', 'period', 'clause', 'obligation', 'subject', 'opens_at', 'due_at', 'verdict', 'detail', 'evidence']
  const rows = report.obligations.flatMap((section) =>
    section.verdicts.map((v) => [
      report.contractId,
      report.period.label,
      String(section.clause),
      section.obligation,
      v.subject,
      v.opensAt,
      v.dueAt ?? '',
      v.verdict,
      v.detail ?? '',
      v.evidence.map((e) => e.eventId).join(' '),
    ]),
  )
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

const extension: Record<ReportFormat, string> = { html: 'html', md: 'md', json: 'json', csv: 'csv' }

const render = (report: ComplianceReport, format: ReportFormat, language: Language): string => {
  switch (format) {
    case 'html':
      return renderReportHtml(report, language)
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
  const { language, fallback } = renderLanguage(options.language)

  return withStore(ctx, async (store) => {
    const ledger = contractLedger({ storeFor: (catalog) => postgresEventStore(catalog, store.storage), calendars: calendars.right })
    const made = await ledger.report({ contractId: options.contract, asOf: options.asOf, period: period.right })()
    if (E.isLeft(made)) {
      if (made.left._tag === 'ReportInputInvalid') return E.left(cliFailure(ExitCode.notFound, made.left.message))
      if (made.left._tag === 'StoreUnavailable') return E.left(storeFailure(store, made.left.message))
      return E.left(cliFailure(ExitCode.internal, made.left.message))
    }
    const report = made.right
    const text = render(report, options.format, language)
    const suffix = options.format === 'json' || options.format === 'csv' ? '' : `.${options.language}`
    const name = `compliance-report-${report.contractId}-${report.period.label}${suffix}.${extension[options.format]}`
    const target = options.out === undefined ? join(options.outDir, name) : options.out.endsWith('/') ? join(options.out, name) : options.out
    const breached = report.obligations.reduce((n, s) => n + s.breached, 0)
    const counts = report.obligations.reduce((c, s) => ({ met: c.met + s.met, breached: c.breached + s.breached, pending: c.pending + s.pending }), { met: 0, breached: 0, pending: 0 })
    const note = fallback ? [`note: the report has no ${options.language} labels yet; it is written with ru labels`] : []
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
      { contract: report.contractId, period: report.period.label, format: options.format, language: options.language, renderedIn: language, file: target, ...counts },
      code,
    )
  })
}
