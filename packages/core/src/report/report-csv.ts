/** The compliance report's verdicts as CSV (RFC 4180): one row per verdict, machine data like the JSON, so not localised. */
import { stringify } from 'csv-stringify/sync'
import type { ComplianceReport, VerdictRow } from './compliance-report.js'

// model

/** The columns, in order: what a spreadsheet or another system reads. */
export const verdictCsvColumns = ['contract', 'period', 'clause', 'obligation', 'subject', 'status', 'opens_at', 'due_at', 'met_at', 'reason', 'evidence'] as const

// operations

/**
 * When a met verdict was met: the last event that stopped its clock, or, for an obligation met by a
 * record rather than a clock (an archive, a check), its last event. Empty for any other verdict.
 */
export const metAt = (row: VerdictRow): string => {
  if (row.verdict !== 'met' || row.evidence.length === 0) return ''
  const stops = row.evidence.filter((e) => e.role === 'stopped')
  const from = stops.length > 0 ? stops : row.evidence
  return from.reduce((last, e) => (e.at > last ? e.at : last), from[0]?.at ?? '')
}

/** Every verdict of every obligation, in the report's order; instants as ISO UTC, evidence as full event ids separated by spaces. */
export const renderVerdictsCsv = (report: ComplianceReport): string =>
  stringify(
    report.obligations.flatMap((section) =>
      section.verdicts.map((v) => [
        report.contractId,
        report.period.label,
        String(section.clause),
        section.obligation,
        v.subject,
        v.verdict,
        v.opensAt,
        v.dueAt ?? '',
        metAt(v),
        v.detail ?? '',
        v.evidence.map((e) => e.eventId).join(' '),
      ]),
    ),
    { header: true, columns: [...verdictCsvColumns], record_delimiter: 'windows' },
  )
