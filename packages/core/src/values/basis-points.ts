/** A fraction in basis points: a value type the SLA policy, the contract's terms and the budget all use. */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { checkedValue, type InvalidValue } from './invalid-value.js'

// model

/** A fraction in basis points: 1500 = 15%. */
export interface BasisPointsBrand {
  readonly BasisPoints: unique symbol
}

// codecs

/** An integer from 0 to 10 000 (0% to 100%). */
export const BasisPoints = t.brand(
  t.number,
  (n): n is t.Branded<number, BasisPointsBrand> => Number.isInteger(n) && n >= 0 && n <= 10_000,
  'BasisPoints',
)
export type BasisPoints = t.TypeOf<typeof BasisPoints>

// constructors

/** `basisPointsOf(1500)` is 15%; a fraction, a negative number or more than 10 000 is an `InvalidValue`. */
export const basisPointsOf: (n: number) => E.Either<InvalidValue, BasisPoints> = checkedValue('BasisPoints', BasisPoints, (n: number) =>
  Number.isInteger(n) ? 'not between 0 and 10000' : 'not a whole number',
)
