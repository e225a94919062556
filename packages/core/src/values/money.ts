/** Money: amounts of tenge held as whole tiyn, read from text with integer arithmetic only. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { checkedValue, invalidValue, type InvalidValue } from './invalid-value.js'

// model

/** An amount of tenge in tiyn (1 KZT = 100 tiyn): a safe integer, never a float. */
export interface TiynBrand {
  readonly Tiyn: unique symbol
}

// codecs

/**
 * Money: a whole number of tiyn (1 KZT = 100 tiyn), so sums and caps never round. Negative amounts decode; where only
 * a positive amount makes sense the codec is `PositiveTiyn`. Read an amount a person wrote with `tiynFromKzt`.
 *
 * @example
 * Tiyn.decode(123456) // Right: 1 234,56 KZT
 */
export const Tiyn = t.brand(t.number, (n): n is t.Branded<number, TiynBrand> => Number.isSafeInteger(n), 'Tiyn')
export type Tiyn = t.TypeOf<typeof Tiyn>

/** An amount above zero: a contract's value, an estimate. Commands take it (the type stays `Tiyn`); 0 or less means nothing. */
export const PositiveTiyn = t.refinement(Tiyn, (n) => n > 0, 'PositiveTiyn')

// constructors

/** `tiynOf(123456)` is 1 234,56 KZT; a fraction or a number beyond `Number.MAX_SAFE_INTEGER` is an `InvalidValue`. */
export const tiynOf: (n: number) => E.Either<InvalidValue, Tiyn> = checkedValue('Tiyn', Tiyn, (n: number) =>
  Number.isInteger(n) ? 'beyond the largest safe integer' : 'not a whole number of tiyn',
)

// Spaces people and formatters put between groups of thousands: space, no-break space, narrow no-break space.
const GROUP_SPACE = /[ \u00a0\u202f]/
const CURRENCY = /\s*(?:₸|KZT)$/u
const UNGROUPED = /^\d+$/
const SPACE_GROUPED = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$/

const NOT_AN_AMOUNT = 'not an amount: digits in groups of three, and at most one decimal mark'

/** The integer part's digits: ungrouped, or in groups of three separated by spaces or by `groupMark`. */
const wholeDigits = (whole: string, groupMark: string | undefined): string | undefined => {
  if (UNGROUPED.test(whole)) return whole
  if (SPACE_GROUPED.test(whole)) return whole.replace(new RegExp(GROUP_SPACE.source, 'g'), '')
  if (groupMark !== undefined && new RegExp(`^\\d{1,3}(?:\\${groupMark}\\d{3})+$`).test(whole)) return whole.split(groupMark).join('')
  return undefined
}

const count = (text: string, c: string): number => text.split(c).length - 1

/**
 * Reads an amount of tenge written as text into tiyn: `"1 234,56"`, `"1234.56"`, `"13 000 000"`,
 * `"1,234.50 KZT"`, `"1 234,50 ₸"`. Digits are read as digits (BigInt), never through a float, so
 * `"0.29"` is exactly 29 tiyn. An `InvalidValue` names the reason for a negative amount, more than 2
 * decimals, an amount beyond `Number.MAX_SAFE_INTEGER` tiyn, or an ambiguous one: `"1,234"` and
 * `"1.234"` could each be a thousand or one tenge and a fraction, so they are refused rather than guessed.
 */
export const tiynFromKzt = (text: string): E.Either<InvalidValue, Tiyn> => {
  const fail = (reason: string) => E.left(invalidValue('Tiyn', text, reason))
  // A number is refused too: it may already be a float, which is what reading text avoids.
  if (typeof text !== 'string') return fail('not text')
  const amount = text.trim().replace(CURRENCY, '')
  if (amount === '') return fail('empty')
  if (/^[-\u2212]/.test(amount)) return fail('negative')
  const commas = count(amount, ',')
  const dots = count(amount, '.')
  const lastMark = Math.max(amount.lastIndexOf(','), amount.lastIndexOf('.'))
  let decimalMark: string | undefined
  let groupMark: string | undefined
  if (commas > 0 && dots > 0) {
    // Both marks: the last one is the decimal mark and may appear once; the other groups thousands.
    decimalMark = amount[lastMark]!
    groupMark = decimalMark === ',' ? '.' : ','
    if (count(amount, decimalMark) > 1) return fail(NOT_AN_AMOUNT)
  } else if (commas + dots > 1) {
    groupMark = commas > 0 ? ',' : '.'
  } else if (commas + dots === 1) {
    // One mark before exactly three digits, with no spaces to show the grouping: a thousand or a fraction?
    if (/^\d{3}$/.test(amount.slice(lastMark + 1)) && !GROUP_SPACE.test(amount)) return fail(`ambiguous: "${amount[lastMark]!}" could separate thousands or decimals`)
    decimalMark = amount[lastMark]!
  }
  const whole = decimalMark === undefined ? amount : amount.slice(0, lastMark)
  const fraction = decimalMark === undefined ? '' : amount.slice(lastMark + 1)
  if (decimalMark !== undefined && !UNGROUPED.test(fraction)) return fail(NOT_AN_AMOUNT)
  if (fraction.length > 2) return fail('more than 2 decimals')
  const digits = wholeDigits(whole, groupMark)
  if (digits === undefined) return fail(NOT_AN_AMOUNT)
  const tiyn = BigInt(digits) * 100n + BigInt(fraction.padEnd(2, '0'))
  const n = Number(tiyn)
  return tiyn <= BigInt(Number.MAX_SAFE_INTEGER) && Tiyn.is(n) ? E.right(n) : fail('beyond the largest safe integer of tiyn')
}
