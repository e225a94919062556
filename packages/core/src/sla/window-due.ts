/** When a fixed window that starts at an instant ends: elapsed minutes, or business minutes on the calendar in force at the start. */
import { calendarNotFound, type CalendarNotFound, type CalendarRegistry } from '../calendar/business-calendar.js'
import type { Instant } from '../kernel/instant.js'
import { businessMeter, elapsedMeter } from './clock.js'
import type { WindowRule } from './sla-policy.js'

// model

// operations

/** The due instant of a window without pauses. The calendar version is the one in force when the window opened. */
export const windowDue = (
  rule: Pick<WindowRule, 'measure' | 'minutes'>,
  start: Instant,
  calendarId: string,
  calendars: CalendarRegistry,
): Instant | CalendarNotFound => {
  if (rule.measure === 'elapsed') return elapsedMeter.add(start, rule.minutes)
  const calendar = calendars.calendarAt(calendarId, start)
  if (calendar === undefined) return calendarNotFound(calendarId, start)
  return businessMeter(calendar).add(start, rule.minutes)
}

/** Tells a computed due instant from the error that its business calendar is missing. */
export const isCalendarNotFound = (due: Instant | CalendarNotFound): due is CalendarNotFound => typeof due !== 'string'
