/** The demo's console summary: the verdicts per clause and every breach with its reason, in one screen. */
import { formatInstant, formatTiyn, obligationLabel, reportLabels, type ComplianceReport, type Instant, type VerdictRow } from '@support-ledger/core'
import type { DemoYear } from './demo-year.js'

// operations

const clauseNames: Readonly<Record<number, string>> = {
  3: 'defects fixed by the agreed deadline',
  4: 'configuration by the agreed deadline',
  5: 'performance work by the agreed deadline',
}

/** Why a verdict is a breach, from what the report holds about it. */
export const breachReason = (clause: number, row: VerdictRow, timeZone: string): string => {
  const at = (i: Instant) => formatInstant(i, timeZone)
  const due = row.dueAt === undefined ? '' : `due ${at(row.dueAt)}`
  const stopped = row.evidence.find((e) => e.role === 'stopped')
  switch (clause) {
    case 2:
      return row.agreedAt !== undefined
        ? `${due}; ${row.proposedAt !== undefined && row.proposedAt !== row.agreedAt ? `proposed ${at(row.proposedAt)}, ` : ''}agreed ${at(row.agreedAt)}`
        : `${due}; ${row.proposedAt === undefined ? 'no deadline proposed' : `proposed ${at(row.proposedAt)}, not agreed`}`
    case 3:
    case 4:
    case 5:
      return `${due}; ${stopped === undefined ? 'not delivered' : `delivered ${at(stopped.at)}`}`
    default:
      return [due, row.detail ?? (stopped === undefined ? 'nothing recorded by then' : `done ${at(stopped.at)}`)].filter((s) => s !== '').join('; ')
  }
}

/** The breaches of a report, one line each: clause, subject and why. */
export const breachLines = (report: ComplianceReport): ReadonlyArray<string> =>
  report.obligations.flatMap((s) =>
    s.verdicts.filter((v) => v.verdict === 'breached').map((v) => `  clause ${String(s.clause).padStart(2)}  ${v.subject}: ${breachReason(s.clause, v, report.timeZone)}`),
  )

export const demoSummary = (year: DemoYear): ReadonlyArray<string> => {
  const { report } = year
  const en = reportLabels.en
  const totals = report.obligations.reduce((t, s) => ({ met: t.met + s.met, breached: t.breached + s.breached, pending: t.pending + s.pending }), { met: 0, breached: 0, pending: 0 })
  const judged = totals.met + totals.breached
  const share = judged === 0 ? '-' : `${((100 * totals.met) / judged).toFixed(1)}%`
  const clauseRows = report.obligations
    .filter((s) => s.total > 0)
    .map((s) => `  ${String(s.clause).padStart(2)}  ${(clauseNames[s.clause] ?? obligationLabel(en, s.obligation)).padEnd(44)} ${String(s.met).padStart(4)} ${String(s.breached).padStart(8)} ${String(s.pending).padStart(7)}`)
  const breaches = breachLines(report)
  const b = report.budget
  return [
    `${report.contractId}: ${report.customer} (customer), ${report.supplier} (supplier), ${report.period.label} as of ${formatInstant(report.asOf, report.timeZone)} ${report.timeZone}`,
    `  ${year.steps} steps: ${year.redmine.filed} requests and ${year.redmine.applied} customer actions from Redmine, ${year.mail.filed} requests by mail (${year.mail.duplicate} duplicate, ${year.mail.setAside} set aside); ${year.events} events; ${year.mail.sent} mails sent`,
    `  clause obligation                                    met breached pending`,
    ...clauseRows,
    `  all: ${totals.met} met, ${totals.breached} breached, ${totals.pending} pending (${share} of judged obligations met)`,
    `  customizations: ${formatTiyn(b.committed, 'en')} of the ${formatTiyn(b.cap, 'en')} cap committed${year.refusals.map((r) => `; ${r.label} refused (${r.tag})`).join('')}`,
    `breaches (${breaches.length}):`,
    ...breaches,
  ]
}
