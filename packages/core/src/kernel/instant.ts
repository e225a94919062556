/** Instants in time as ISO-8601 UTC strings: the one time format events and commands carry. */
import * as t from 'io-ts'

// model

/** The brand that marks a string as a checked `Instant`. */
export interface InstantBrand {
  readonly Instant: unique symbol
}

/** A point in time, `YYYY-MM-DDTHH:mm:ss.sssZ`. Commands carry it; domain code never reads a clock. */
export type Instant = t.Branded<string, InstantBrand>

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

// codecs

/** Accepts only the canonical form that `Date.prototype.toISOString` writes, so equal instants compare equal as strings. */
export const Instant = t.brand(
  t.string,
  (s): s is Instant => ISO_UTC.test(s) && !Number.isNaN(Date.parse(s)) && new Date(s).toISOString() === s,
  'Instant',
)

// constructors

/** The instant of a JS Date or epoch milliseconds. Throws only on an invalid date, which is a programming error. */
export const instantOf = (at: Date | number): Instant => {
  const d = typeof at === 'number' ? new Date(at) : at
  if (Number.isNaN(d.getTime())) throw new RangeError('instantOf: invalid date')
  return d.toISOString() as Instant
}

/** Parses any ISO-8601 string with an offset into its canonical UTC instant, or undefined. */
export const parseInstant = (iso: string): Instant | undefined => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? undefined : (new Date(ms).toISOString() as Instant)
}

// operations

/** Milliseconds since 1970-01-01 UTC. */
export const epochMillis = (i: Instant): number => Date.parse(i)

/** The instant `ms` milliseconds later (earlier when negative). */
export const addMillis = (i: Instant, ms: number): Instant => instantOf(Date.parse(i) + ms)

/** Orders two instants (negative, 0, positive), for `Array.prototype.sort`. */
export const compareInstants = (a: Instant, b: Instant): number => (a < b ? -1 : a > b ? 1 : 0)
