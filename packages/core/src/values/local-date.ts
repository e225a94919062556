/** A calendar date with no time and no zone: the days of a contract's term, of a calendar, of a report. */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { checkedValue, type InvalidValue } from './invalid-value.js'

// model

/** A calendar date `YYYY-MM-DD` in the contract's time zone. */
export interface LocalDateBrand {
  readonly LocalDate: unique symbol
}

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/

// A date that exists: `Date` rolls 2026-02-30 over to March, so the written date must read back unchanged.
const isRealDate = (s: string): boolean => {
  const ms = Date.parse(`${s}T00:00:00Z`)
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(s)
}

// codecs

/**
 * A calendar date `YYYY-MM-DD` that exists (no 2025-02-30), read in the contract's time zone; build one with
 * `localDateOf`.
 *
 * @example
 * LocalDate.decode('2025-03-08') // Right
 * LocalDate.decode('2025-3-8') // Left
 */
export const LocalDate = t.brand(
  t.string,
  (s): s is t.Branded<string, LocalDateBrand> => DATE_SHAPE.test(s) && isRealDate(s),
  'LocalDate',
)
export type LocalDate = t.TypeOf<typeof LocalDate>

// constructors

/** `localDateOf('2026-03-05')`; another shape or a day that does not exist (`2026-02-30`) is an `InvalidValue`. */
export const localDateOf: (s: string) => E.Either<InvalidValue, LocalDate> = checkedValue('LocalDate', LocalDate, (s: string) =>
  DATE_SHAPE.test(s) ? 'not a calendar date' : 'not in the form YYYY-MM-DD',
)
