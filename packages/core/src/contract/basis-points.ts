/** A fraction in basis points: its own module, so the SLA policy and the contract's terms can both use it without a cycle. */
import * as t from 'io-ts'

// model

/** A fraction in basis points: 1500 = 15%. */
export interface BasisPointsBrand {
  readonly BasisPoints: unique symbol
}
/**
 * A fraction as a whole number of basis points from 0 to 10 000 (100%), so shares and thresholds compare exactly.
 *
 * @example
 * BasisPoints.decode(1500) // Right: 15%
 * BasisPoints.decode(12.5) // Left: not whole
 */
export const BasisPoints = t.brand(
  t.number,
  (n): n is t.Branded<number, BasisPointsBrand> => Number.isInteger(n) && n >= 0 && n <= 10_000,
  'BasisPoints',
)
export type BasisPoints = t.TypeOf<typeof BasisPoints>
