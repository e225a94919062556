/** The period a compliance report covers: a month, a quarter, or the contract from its start to the as-of instant. */
import * as t from 'io-ts'
import { DateTime } from 'luxon'
import { startOfLocalDate } from '../contract/command-guards.js'
import type { ContractTerms, LocalDate } from '../contract/contract-terms.js'
import type { Instant } from '../kernel/instant.js'

// model

/**
 * The period a report covers: a month (`2025-03`), a quarter (`2025-Q1`), or the contract from its start to the as-of
 * instant.
 *
 * @example
 * const period: ReportPeriod = { kind: 'quarter', quarter: '2025-Q1' }
 */
export const ReportPeriod = t.union(
  [
    t.readonly(t.type({ kind: t.literal('month'), month: t.refinement(t.string, (s) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s), 'YearMonth') })),
    t.readonly(t.type({ kind: t.literal('quarter'), quarter: t.refinement(t.string, (s) => /^\d{4}-Q[1-4]$/.test(s), 'YearQuarter') })),
    t.readonly(t.type({ kind: t.literal('contract-to-date') })),
  ],
  'ReportPeriod',
)
export type ReportPeriod = t.TypeOf<typeof ReportPeriod>

/** A period resolved to instants: obligations whose clock opened in `[from, to)` are counted. */
export interface ResolvedPeriod {
  readonly kind: ReportPeriod['kind']
  /** `2026-03`, `2026-Q1` or `contract-to-date`. */
  readonly label: string
  readonly from: Instant
  readonly to: Instant
}

// operations

const localStart = (date: string, timeZone: string): Instant => startOfLocalDate(date as LocalDate, timeZone)

/** Resolves a period in the contract's time zone. Contract to date runs from the term's start to the as-of instant. */
export const resolvePeriod = (period: ReportPeriod, terms: Pick<ContractTerms, 'term' | 'timeZone'>, asOf: Instant): ResolvedPeriod => {
  switch (period.kind) {
    case 'month': {
      const start = DateTime.fromISO(`${period.month}-01`, { zone: 'utc' })
      return { kind: 'month', label: period.month, from: localStart(period.month + '-01', terms.timeZone), to: localStart(start.plus({ months: 1 }).toISODate() ?? '', terms.timeZone) }
    }
    case 'quarter': {
      const year = Number(period.quarter.slice(0, 4))
      const q = Number(period.quarter.slice(6))
      const first = DateTime.fromObject({ year, month: (q - 1) * 3 + 1, day: 1 }, { zone: 'utc' })
      return { kind: 'quarter', label: period.quarter, from: localStart(first.toISODate() ?? '', terms.timeZone), to: localStart(first.plus({ months: 3 }).toISODate() ?? '', terms.timeZone) }
    }
    case 'contract-to-date': {
      const from = localStart(terms.term.start, terms.timeZone)
      // `to` is exclusive: a clock that opened at the as-of instant itself is in.
      const to = new Date(Date.parse(asOf) + 1).toISOString() as Instant
      return { kind: 'contract-to-date', label: 'contract-to-date', from, to: to < from ? from : to }
    }
  }
}
