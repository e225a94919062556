/** A fraction in basis points: its own module, so the SLA policy and the contract's terms can both use it without a cycle. */
import * as t from 'io-ts'

// model

/** A fraction in basis points: 1500 = 15%. */
export interface BasisPointsBrand {
  readonly BasisPoints: unique symbol
}
export const BasisPoints = t.brand(
  t.number,
  (n): n is t.Branded<number, BasisPointsBrand> => Number.isInteger(n) && n >= 0 && n <= 10_000,
  'BasisPoints',
)
export type BasisPoints = t.TypeOf<typeof BasisPoints>
