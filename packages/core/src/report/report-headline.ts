/** What a manager reads first: compliance per clause and in total, the breaches with their reasons, and the trend over the contract's quarters. */
import type { ComplianceReport, VerdictRow } from './compliance-report.js'
import { ratioBps } from './report-format.js'

// model

/** How many verdicts are met, breached and pending, and the share met of those judged (pending ones do not count). */
export interface VerdictTally {
  readonly met: number
  readonly breached: number
  readonly pending: number
  readonly total: number
  /** Met as a share of the decided verdicts (met and breached), basis points rounded down; absent when none is decided. */
  readonly complianceBps?: number
}

/** One clause's tally in the headline. */
export interface ClauseTally extends VerdictTally {
  readonly clause: number
  readonly obligation: string
}

/** One breached verdict, with the clause it breaks. */
export interface Breach {
  readonly clause: number
  readonly obligation: string
  readonly row: VerdictRow
}

/** The top of the report: compliance in total and per clause, and every breach with its reason and evidence. */
export interface ReportHeadline {
  readonly total: VerdictTally
  readonly clauses: ReadonlyArray<ClauseTally>
  /** Every breach, by clause, then as the clause lists them. */
  readonly breaches: ReadonlyArray<Breach>
}

/** One quarter of the trend: its label (`2025-Q1`) and its tally. */
export interface QuarterTally extends VerdictTally {
  readonly quarter: string
}

// operations

const tally = (met: number, breached: number, pending: number): VerdictTally => ({
  met,
  breached,
  pending,
  total: met + breached + pending,
  ...(met + breached === 0 ? {} : { complianceBps: ratioBps(met, met + breached) }),
})

/** The headline of a report: derived from its verdicts only, so it can never disagree with them. */
export const reportHeadline = (report: ComplianceReport): ReportHeadline => {
  const clauses = report.obligations.map((o): ClauseTally => ({ clause: o.clause, obligation: o.obligation, ...tally(o.met, o.breached, o.pending) }))
  const sum = (k: 'met' | 'breached' | 'pending') => clauses.reduce((n, c) => n + c[k], 0)
  return {
    total: tally(sum('met'), sum('breached'), sum('pending')),
    clauses,
    breaches: report.obligations.flatMap((o) => o.verdicts.filter((v) => v.verdict === 'breached').map((row) => ({ clause: o.clause, obligation: o.obligation, row }))),
  }
}

/**
 * The trend over a contract's quarters, from one report per quarter (each made with a quarter
 * period): the reports of other contracts and of other kinds of period are left out, a quarter
 * given twice counts once (the report with the later as-of instant), and quarters come in order.
 */
export const quarterlyTrend = (contractId: string, reports: ReadonlyArray<ComplianceReport>): ReadonlyArray<QuarterTally> => {
  const latest = new Map<string, ComplianceReport>()
  for (const r of reports) {
    if (r.contractId !== contractId || r.period.kind !== 'quarter') continue
    const known = latest.get(r.period.label)
    if (known === undefined || known.asOf < r.asOf) latest.set(r.period.label, r)
  }
  return [...latest.values()]
    .sort((a, b) => (a.period.from < b.period.from ? -1 : a.period.from > b.period.from ? 1 : 0))
    .map((r) => ({ quarter: r.period.label, ...reportHeadline(r).total }))
}
