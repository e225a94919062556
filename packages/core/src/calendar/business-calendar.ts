/** The business calendar port: what SLA clocks need to count working time. */
import type { Instant } from '../kernel/instant.js'

// model

/**
 * One version of a calendar, fixed in time: working hours, breaks, holidays and transferred days
 * already resolved. Clocks take the version in force when they started, so a later change never
 * alters a verdict on a clock that started before it.
 */
export interface BusinessCalendar {
  readonly id: string
  /** IANA zone, e.g. `Asia/Almaty`. */
  readonly timeZone: string
  /**
   * The earliest instant with `minutes` business minutes in `[start, it)`; from outside working
   * time, counting starts at the next working minute. `0` returns `start` itself. For `minutes > 0`
   * the result closes a working minute: the millisecond before it is working time, and a count that
   * runs out at the end of an interval ends there (13:00 before lunch, not 14:00). Throws a
   * `RangeError` for a negative or non-finite amount, a programming error.
   */
  readonly addBusinessMinutes: (start: Instant, minutes: number) => Instant
  /** Business minutes in `[from, to)`, to the millisecond (may be fractional); 0 when `to <= from`. */
  readonly businessMinutesBetween: (from: Instant, to: Instant) => number
  /** Whether `at` lies inside a working interval `[start, end)`. */
  readonly isWorkingTime: (at: Instant) => boolean
}

/** Finds the version of a calendar in force at an instant; undefined for an unknown id or before its first version. */
export interface CalendarRegistry {
  /** The version of a calendar in force at an instant; undefined for an unknown id or before its first version. */
  readonly calendarAt: (calendarId: string, at: Instant) => BusinessCalendar | undefined
}
