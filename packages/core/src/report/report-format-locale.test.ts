import { DateTime } from 'luxon'
import { fc, test as propTest } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import type { Instant } from '../kernel/instant.js'
import { expectReaches } from '../testing/arbitraries.js'
import { formatLocalDate, formatLocalDateTime, formatMoney, formatPeriodDays, formatShare, formatUtcOffset } from './report-format.js'
import { resolvePeriod } from './report-period.js'

const NBSP = '\u00a0'

describe('money as the report writes it', () => {
  it('groups tenge by no-break spaces with comma decimals and the tenge sign, in every language', () => {
    expect(formatMoney(1_300_000_000)).toBe(`13${NBSP}000${NBSP}000,00${NBSP}₸`)
    expect(formatMoney(5)).toBe(`0,05${NBSP}₸`)
    expect(formatMoney(-123_456)).toBe(`-1${NBSP}234,56${NBSP}₸`)
    expect(formatMoney(100_000)).toBe(`1${NBSP}000,00${NBSP}₸`)
    expect(formatShare(1500)).toBe(`15,00${NBSP}%`)
  })

  const tiynArb = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }))
  it('its generator reaches small amounts, amounts of many groups, and negative ones', () => {
    expectReaches(tiynArb, {
      'under one tenge': { atLeast: 0.01, reached: (n) => Math.abs(n) < 100 },
      'five or more digit groups': { atLeast: 0.2, reached: (n) => Math.abs(n) >= 1e14 },
      negative: { atLeast: 0.3, reached: (n) => n < 0 },
    })
  })

  propTest.prop([tiynArb])('reads back to the same number of tiyn, with groups of exactly three digits', (tiyn) => {
    const text = formatMoney(tiyn)
    expect(text.endsWith(`${NBSP}₸`)).toBe(true)
    const [whole = '', cents = ''] = text.slice(0, -2).split(',')
    expect(cents).toMatch(/^\d{2}$/)
    const groups = whole.replace(/^-/, '').split(NBSP)
    expect(groups[0]).toMatch(/^[1-9]\d{0,2}$|^0$/)
    for (const g of groups.slice(1)) expect(g).toMatch(/^\d{3}$/)
    const back = BigInt(groups.join('')) * 100n + BigInt(cents)
    expect(whole.startsWith('-') ? -back : back).toBe(BigInt(tiyn))
  })
})

describe('dates and times as the report writes them', () => {
  it('writes day first, in the contract zone, across Almaty\'s 2024 move from UTC+6 to UTC+5', () => {
    expect(formatLocalDateTime('2025-04-15T05:30:00.000Z' as Instant, 'Asia/Almaty')).toBe('15.04.2025 10:30')
    expect(formatLocalDateTime('2024-02-29T17:59:00.000Z' as Instant, 'Asia/Almaty')).toBe('29.02.2024 23:59')
    expect(formatLocalDate('2024-03-01T00:30:00.000Z' as Instant, 'Asia/Almaty')).toBe('01.03.2024')
    expect(formatUtcOffset('2024-02-01T00:00:00.000Z' as Instant, 'Asia/Almaty')).toBe('UTC+6')
    expect(formatUtcOffset('2025-02-01T00:00:00.000Z' as Instant, 'Asia/Almaty')).toBe('UTC+5')
    expect(formatUtcOffset('2025-02-01T00:00:00.000Z' as Instant, 'Asia/Kolkata')).toBe('UTC+5:30')
    expect(formatUtcOffset('2025-02-01T00:00:00.000Z' as Instant, 'UTC')).toBe('UTC')
  })

  const instantZoneArb = fc.tuple(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom('Asia/Almaty', 'Asia/Kolkata', 'America/New_York', 'UTC'))
  propTest.prop([instantZoneArb])('agrees with luxon on any instant and zone', ([ms, zone]) => {
    const at = new Date(ms).toISOString() as Instant
    const local = DateTime.fromMillis(ms, { zone })
    expect(formatLocalDateTime(at, zone)).toBe(local.toFormat('dd.MM.yyyy HH:mm'))
    expect(formatLocalDate(at, zone)).toBe(local.toFormat('dd.MM.yyyy'))
  })
})

describe('periods as the last day included', () => {
  const terms = { term: { start: '2024-01-01', end: '2025-12-31' }, timeZone: 'Asia/Almaty' } as const
  const asOf = '2026-01-15T00:00:00.000Z' as Instant
  it('ends a quarter on its last day, not on the first instant after it', () => {
    const q = resolvePeriod({ kind: 'quarter', quarter: '2025-Q1' }, terms as never, asOf)
    expect(formatPeriodDays(q.from, q.to, 'Asia/Almaty')).toBe(`01.01.2025${NBSP}–${NBSP}31.03.2025`)
    const m = resolvePeriod({ kind: 'month', month: '2024-02' }, terms as never, asOf)
    expect(formatPeriodDays(m.from, m.to, 'Asia/Almaty')).toBe(`01.02.2024${NBSP}–${NBSP}29.02.2024`)
  })

  const monthArb = fc.tuple(fc.integer({ min: 2024, max: 2025 }), fc.integer({ min: 1, max: 12 }))
  it('its generator reaches February of a leap year and every quarter\'s last month', () => {
    expectReaches(monthArb, {
      'February 2024': { atLeast: 0.02, reached: ([y, m]) => y === 2024 && m === 2 },
      'a quarter\'s last month': { atLeast: 0.2, reached: ([, m]) => m % 3 === 0 },
    })
  })
  propTest.prop([monthArb])('a month shows its first and its last calendar day', ([year, month]) => {
    const label = `${year}-${String(month).padStart(2, '0')}`
    const p = resolvePeriod({ kind: 'month', month: label }, terms as never, asOf)
    const first = DateTime.fromObject({ year, month, day: 1 })
    expect(formatPeriodDays(p.from, p.to, 'Asia/Almaty')).toBe(`${first.toFormat('dd.MM.yyyy')}${NBSP}–${NBSP}${first.endOf('month').toFormat('dd.MM.yyyy')}`)
  })
})
