import { DateTime } from 'luxon'
import { fc, test as propTest } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import type { Instant } from '../kernel/instant.js'
import { escapeHtml, escapeMarkdown, formatBps, formatInstant, formatInteger, formatTiyn, ratioBps } from './report-format.js'
import { expectReaches } from '../testing/arbitraries.js'

describe('report formatting', () => {
  it('writes Almaty local time across the 2024 change from UTC+6 to UTC+5', () => {
    expect(formatInstant('2024-02-29T17:59:00.000Z' as Instant, 'Asia/Almaty')).toBe('2024-02-29 23:59')
    expect(formatInstant('2024-03-01T00:30:00.000Z' as Instant, 'Asia/Almaty')).toBe('2024-03-01 05:30')
  })

  const instantZoneArb = fc.tuple(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom('Asia/Almaty', 'Europe/Moscow', 'America/New_York', 'UTC'))
  it('its generator reaches Almaty on both sides of its 2024 change, and New York in summer and winter time, in a stated share of runs', () => {
    const change = Date.parse('2024-02-29T18:00:00Z')
    expectReaches(instantZoneArb, {
      'Almaty at UTC+6 (before the change)': { atLeast: 0.1, reached: ([ms, z]) => z === 'Asia/Almaty' && ms < change },
      'Almaty at UTC+5 (after it)': { atLeast: 0.03, reached: ([ms, z]) => z === 'Asia/Almaty' && ms >= change },
      'New York in summer time': { atLeast: 0.05, reached: ([ms, z]) => z === 'America/New_York' && DateTime.fromMillis(ms, { zone: z }).isInDST },
      'New York in winter time': { atLeast: 0.05, reached: ([ms, z]) => z === 'America/New_York' && !DateTime.fromMillis(ms, { zone: z }).isInDST },
    })
  })

  propTest.prop([instantZoneArb])(
    'agrees with luxon on any instant and zone',
    ([ms, zone]) => {
      const at = new Date(ms).toISOString() as Instant
      expect(formatInstant(at, zone)).toBe(DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm'))
    },
  )

  it('formats money and shares by integer arithmetic', () => {
    expect(formatTiyn(123_456_789, 'en')).toBe('1,234,567.89 KZT')
    expect(formatTiyn(-5, 'en')).toBe('-0.05 KZT')
    expect(formatTiyn(123_456_789, 'ru')).toBe('1\u00a0234\u00a0567,89\u00a0₸')
    expect(formatInteger(1_000, 'en')).toBe('1,000')
    expect(formatBps(1500, 'en')).toBe('15.00%')
    expect(formatBps(9_999, 'ru')).toBe('99,99\u00a0%')
    expect(ratioBps(2, 3)).toBe(6666)
    expect(ratioBps(1, 0)).toBe(0)
  })

  it('escapes HTML and Markdown markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
    expect(escapeHtml('plain')).toBe('plain')
    expect(escapeMarkdown('a|b *c* [d]\nnext')).toBe('a\\|b \\*c\\* \\[d\\] next')
  })
})
