import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { addMillis, Instant, instantOf, parseInstant } from './instant.js'

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
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 0, max: 4e12 }), (a, b) => {
        expect(instantOf(a) < instantOf(b)).toBe(a < b)
        expect(addMillis(instantOf(a), b - a)).toBe(instantOf(b))
      }),
    )
  })
})
