import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { LocalDate } from '../values/local-date.js'
import type { Instant } from '../kernel/instant.js'
import { ReportPeriod, resolvePeriod } from './report-period.js'

const terms = { term: { start: '2024-01-15' as LocalDate, end: '2024-12-31' as LocalDate }, timeZone: 'Asia/Almaty' }
const asOf = '2024-05-10T12:00:00.000Z' as Instant

describe('report periods', () => {
  it('a month runs from local midnight to local midnight, across Almaty moving from UTC+6 to UTC+5 on 1 March 2024', () => {
    expect(resolvePeriod({ kind: 'month', month: '2024-02' }, terms, asOf)).toEqual({ kind: 'month', label: '2024-02', from: '2024-01-31T18:00:00.000Z', to: '2024-02-29T19:00:00.000Z' })
    expect(resolvePeriod({ kind: 'month', month: '2024-12' }, terms, asOf)).toMatchObject({ from: '2024-11-30T19:00:00.000Z', to: '2024-12-31T19:00:00.000Z' })
  })

  it('a quarter is three months', () => {
    expect(resolvePeriod({ kind: 'quarter', quarter: '2024-Q1' }, terms, asOf)).toEqual({ kind: 'quarter', label: '2024-Q1', from: '2023-12-31T18:00:00.000Z', to: '2024-03-31T19:00:00.000Z' })
  })

  it('contract to date runs from the term start to the as-of instant, inclusive', () => {
    expect(resolvePeriod({ kind: 'contract-to-date' }, terms, asOf)).toEqual({ kind: 'contract-to-date', label: 'contract-to-date', from: '2024-01-14T18:00:00.000Z', to: '2024-05-10T12:00:00.001Z' })
  })

  it('the codec accepts only real months and quarters', () => {
    expect(E.isRight(ReportPeriod.decode({ kind: 'month', month: '2024-12' }))).toBe(true)
    expect(E.isLeft(ReportPeriod.decode({ kind: 'month', month: '2024-13' }))).toBe(true)
    expect(E.isLeft(ReportPeriod.decode({ kind: 'quarter', quarter: '2024-Q5' }))).toBe(true)
  })
})
