/** The delivery schedule: one period per calendar quarter of the term, partial first and last quarters included. */
import { addDays, endOfLocalDate } from '../contract/command-guards.js'
import type { ContractTerms, LocalDate } from '../contract/contract-terms.js'
import type { Instant } from '../kernel/instant.js'
import type { QuarterLabel } from './delivery-events.js'

// model

/** A quarter of the contract's term and the instant its delivery is due. */
export interface ScheduledQuarter {
  readonly quarter: QuarterLabel
  /** The part of the quarter inside the term, dates inclusive. */
  readonly start: LocalDate
  readonly end: LocalDate
  /** The end of `end` plus the grace days, in the contract's zone. */
  readonly dueAt: Instant
}

// operations

const quarterOf = (date: LocalDate): { readonly year: number; readonly q: number } => ({
  year: Number(date.slice(0, 4)),
  q: Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1,
})

const quarterBounds = (year: number, q: number): { readonly start: LocalDate; readonly end: LocalDate } => {
  const startMonth = (q - 1) * 3 + 1
  const endMonth = startMonth + 2
  const lastDay = new Date(Date.UTC(year, endMonth, 0)).getUTCDate()
  const pad = (n: number) => String(n).padStart(2, '0')
  return { start: `${year}-${pad(startMonth)}-01` as LocalDate, end: `${year}-${pad(endMonth)}-${pad(lastDay)}` as LocalDate }
}

/**
 * Every quarter the term touches, in order, with its due instant: `graceDays` after its last day,
 * or the grace days in force on that day when given as a function of it.
 */
export const quarterSchedule = (
  terms: Pick<ContractTerms, 'term' | 'timeZone'>,
  graceDays: number | ((quarterEnd: LocalDate) => number),
): ReadonlyArray<ScheduledQuarter> => {
  const graceOn = typeof graceDays === 'number' ? () => graceDays : graceDays
  const out: ScheduledQuarter[] = []
  let { year, q } = quarterOf(terms.term.start)
  for (;;) {
    const bounds = quarterBounds(year, q)
    if (bounds.start > terms.term.end) break
    const start = bounds.start < terms.term.start ? terms.term.start : bounds.start
    const end = bounds.end > terms.term.end ? terms.term.end : bounds.end
    out.push({ quarter: `${year}-Q${q}` as QuarterLabel, start, end, dueAt: endOfLocalDate(addDays(end, graceOn(end)), terms.timeZone) })
    if (q === 4) {
      q = 1
      year += 1
    } else {
      q += 1
    }
  }
  return out
}
