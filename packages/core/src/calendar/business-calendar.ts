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
  /** The instant `minutes` business minutes after `start`; from outside working time, counting starts at the next working minute. */
  readonly addBusinessMinutes: (start: Instant, minutes: number) => Instant
  /** Business minutes in `[from, to)`; 0 when `to <= from`. */
  readonly businessMinutesBetween: (from: Instant, to: Instant) => number
  readonly isWorkingTime: (at: Instant) => boolean
}

/** Finds the version of a calendar in force at an instant. */
export interface CalendarRegistry {
  readonly calendarAt: (calendarId: string, at: Instant) => BusinessCalendar | undefined
}
