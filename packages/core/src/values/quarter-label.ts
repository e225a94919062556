/** A calendar quarter by its label: the period a quarterly delivery belongs to. */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { checkedValue, type InvalidValue } from './invalid-value.js'

// model

/** The brand that marks a string as a checked `QuarterLabel`. */
export interface QuarterLabelBrand {
  readonly QuarterLabel: unique symbol
}

// codecs

/** A calendar quarter, `2026-Q1`. */
export const QuarterLabel = t.brand(t.string, (s): s is t.Branded<string, QuarterLabelBrand> => /^\d{4}-Q[1-4]$/.test(s), 'QuarterLabel')
export type QuarterLabel = t.TypeOf<typeof QuarterLabel>

// constructors

/** `quarterLabelOf('2026-Q1')`; anything else is an `InvalidValue`. */
export const quarterLabelOf: (s: string) => E.Either<InvalidValue, QuarterLabel> = checkedValue('QuarterLabel', QuarterLabel, () => 'not in the form YYYY-Q1 to YYYY-Q4')
