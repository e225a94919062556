import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { addMillis, Instant, instantOf, parseInstant } from './instant.js'
import { expectReaches } from '../testing/arbitraries.js'

describe('Instant', () => {
  it('accepts only canonical UTC ISO strings', () => {
    expect(E.isRight(Instant.decode('2024-03-01T00:00:00.000Z'))).toBe(true)
    for (const bad of ['2024-03-01T00:00:00Z', '2024-03-01T05:00:00.000+05:00', '2024-02-30T00:00:00.000Z', 'yesterday', 17]) {
      expect(E.isLeft(Instant.decode(bad))).toBe(true)
    }
  })

  it('property: accepts exactly the strings that toISOString writes back unchanged', () => {
    const two = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'))
    // Each field a little past its range, so that days past a month's end, hour 24 and second 60 come up.
    const shaped = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), two(0, 13), two(0, 32), two(0, 25), two(0, 61), two(0, 61), fc.integer({ min: 0, max: 999 }))
      .map(([y, mo, d, h, mi, s, ms]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}Z`)
    const strings = fc.oneof(shaped, fc.string(), fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toISOString()))
    const roundTrips = (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s) && new Date(s).toISOString() === s
    fc.assert(
      fc.property(strings, (s) => {
        expect(Instant.is(s)).toBe(roundTrips(s))
      }),
      { numRuns: 5000 },
    )
    // Each malformed state comes up about 5% of the time; the floors sit well below that, so chance alone never fails them.
    expectReaches(shaped, {
      canonical: { atLeast: 0.2, reached: roundTrips },
      'a day past its month': { atLeast: 0.025, reached: (s) => /^\d{4}-(0[1-9]|1[0-2])-(29|3[0-2])/.test(s) && !roundTrips(s) },
      'hour 24 or second 60': { atLeast: 0.025, reached: (s) => s.slice(11, 13) === '24' || s.slice(17, 19) === '60' },
    })
    for (const leap of ['2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00.000Z', '0000-02-29T00:00:00.000Z']) expect(Instant.is(leap)).toBe(true)
    for (const notLeap of ['2023-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2024-06-31T00:00:00.000Z']) expect(Instant.is(notLeap)).toBe(false)
  })

  it('parses offsets into the same instant', () => {
    expect(parseInstant('2024-03-01T05:00:00+05:00')).toBe('2024-03-01T00:00:00.000Z')
    expect(parseInstant('not a date')).toBeUndefined()
  })

  it('orders as strings the way it orders in time', () => {
    const ms = fc.integer({ min: 0, max: 4e12 })
    // Equal instants and instants a millisecond apart are where a string order could go wrong.
    const pairs = fc.oneof(fc.tuple(ms, ms), ms.map((a) => [a, a] as const), ms.map((a) => [a, a + 1] as const))
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        expect(instantOf(a) < instantOf(b)).toBe(a < b)
        expect(addMillis(instantOf(a), b - a)).toBe(instantOf(b))
      }),
    )
    expectReaches(pairs, {
      earlier: { atLeast: 0.3, reached: ([a, b]) => a < b },
      later: { atLeast: 0.1, reached: ([a, b]) => a > b },
      equal: { atLeast: 0.2, reached: ([a, b]) => a === b },
      'a millisecond apart': { atLeast: 0.2, reached: ([a, b]) => b - a === 1 },
    })
  })
})
