import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { formatTiyn } from '../report/report-format.js'
import { expectReaches } from '../testing/arbitraries.js'
import { tiynFromKzt, tiynOf } from './money.js'

const reasonOf = (text: string): string | undefined => {
  const r = tiynFromKzt(text)
  return E.isLeft(r) ? r.left.reason : undefined
}

describe('tiynFromKzt', () => {
  it.each([
    ['1 234,56', 123_456],
    ['1\u00a0234,56', 123_456],
    ['1\u202f234,56', 123_456],
    ['1234.56', 123_456],
    ['1234,5', 123_450],
    ['13 000 000', 1_300_000_000],
    ['0.29', 29],
    ['0', 0],
    ['1,234.50 KZT', 123_450],
    ['1 234,50\u00a0₸', 123_450],
    ['1.234.567,89', 123_456_789],
    ['1,234,567', 123_456_700],
    ['  42  ', 4_200],
  ])('reads %j as %d tiyn', (text, tiyn) => {
    expect(tiynFromKzt(text)).toEqual(E.right(tiyn))
  })

  it.each([
    ['', 'empty'],
    ['-5', 'negative'],
    ['\u22125,00', 'negative'],
    ['1.234', 'ambiguous: "." could separate thousands or decimals'],
    ['1,234', 'ambiguous: "," could separate thousands or decimals'],
    ['1.2345', 'more than 2 decimals'],
    ['1 234,567', 'more than 2 decimals'],
    ['12 34', 'not an amount: digits in groups of three, and at most one decimal mark'],
    ['1,5.5,5', 'not an amount: digits in groups of three, and at most one decimal mark'],
    ['1e5', 'not an amount: digits in groups of three, and at most one decimal mark'],
    ['12.', 'not an amount: digits in groups of three, and at most one decimal mark'],
    ['abc', 'not an amount: digits in groups of three, and at most one decimal mark'],
    ['90071992547409.92', 'beyond the largest safe integer of tiyn'],
  ])('refuses %j: %s', (text, reason) => {
    expect(tiynFromKzt(text)).toEqual(E.left({ _tag: 'InvalidValue', kind: 'Tiyn', input: text, reason, message: expect.stringContaining(reason) }))
  })

  it('refuses a number given where text is expected (a caller without types)', () => {
    expect(reasonOf(1234.56 as unknown as string)).toBe('not text')
  })

  it('reads the largest safe number of tiyn and nothing above it', () => {
    expect(tiynFromKzt('90071992547409.91')).toEqual(E.right(Number.MAX_SAFE_INTEGER))
    expect(reasonOf('90071992547409.92')).toBe('beyond the largest safe integer of tiyn')
  })

  // Amounts from 0 to the largest safe tiyn; a third are above 2^53 / 100, where `Number(text) * 100` would round.
  const tiynArb = fc.oneof(fc.integer({ min: 0, max: 1_000_000_00 }), fc.integer({ min: 90_071_992_547_409, max: Number.MAX_SAFE_INTEGER }), fc.maxSafeNat())

  it('the generator reaches small amounts and amounts where a float path would round', () => {
    expectReaches(tiynArb, {
      'below a million tenge': { atLeast: 0.25, reached: (n) => n <= 1_000_000_00 },
      'above 2^53 / 100 tiyn': { atLeast: 0.25, reached: (n) => n > 2 ** 53 / 100 },
      'a non-zero fraction of a tenge': { atLeast: 0.5, reached: (n) => n % 100 !== 0 },
    })
  })

  it('reads back what the formatter writes, in both languages', () => {
    fc.assert(
      fc.property(tiynArb, fc.constantFrom('ru' as const, 'en' as const), (tiyn, language) => {
        expect(tiynFromKzt(formatTiyn(tiyn, language))).toEqual(E.right(tiyn))
      }),
      { numRuns: 2000 },
    )
  })

  it('reads the digits as written, with no float rounding, whichever separators are used', () => {
    fc.assert(
      fc.property(tiynArb, fc.constantFrom('.', ','), fc.constantFrom(' ', '\u00a0', '\u202f', ''), fc.boolean(), (tiyn, mark, space, oneDecimal) => {
        const whole = String(Math.floor(tiyn / 100))
        const cents = String(tiyn % 100).padStart(2, '0')
        const grouped = space === '' ? whole : whole.replace(/\B(?=(\d{3})+$)/g, space)
        const fraction = oneDecimal && cents.endsWith('0') ? cents[0]! : cents
        expect(tiynFromKzt(`${grouped}${mark}${fraction}`)).toEqual(E.right(tiyn))
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses every amount with three or more decimals, whatever its size', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.stringMatching(/^\d{3,6}$/), fc.constantFrom('.', ','), (whole, fraction, mark) => {
        // Three decimals after a lone mark cannot be told from a thousands group; grouped by spaces they are decimals.
        const grouped = String(whole).replace(/\B(?=(\d{3})+$)/g, ' ')
        const reason = reasonOf(`${grouped}${mark}${fraction}`)
        expect(reason).toMatch(fraction.length === 3 && !grouped.includes(' ') ? /^ambiguous/ : /^more than 2 decimals$/)
      }),
    )
  })
})

describe('tiynOf', () => {
  it('accepts a safe integer and names the reason for anything else', () => {
    expect(tiynOf(123_456)).toEqual(E.right(123_456))
    expect(tiynOf(1.5)).toMatchObject({ left: { kind: 'Tiyn', input: 1.5, reason: 'not a whole number of tiyn' } })
    expect(tiynOf(2 ** 53)).toMatchObject({ left: { kind: 'Tiyn', reason: 'beyond the largest safe integer' } })
  })
})
