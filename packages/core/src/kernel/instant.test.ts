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
