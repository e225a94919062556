/** When a fixed window that starts at an instant ends: elapsed minutes, or business minutes on the calendar in force at the start. */
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'
import { businessMeter, elapsedMeter } from './clock.js'
import type { WindowRule } from './sla-policy.js'

// model

/** A business-time window whose calendar has no version in force at its start: a configuration error, reported, not thrown. */
export interface WindowCalendarMissing extends DomainError<'WindowCalendarMissing'> {
  readonly calendarId: string
  readonly at: Instant
}

// operations

/** The due instant of a window without pauses. The calendar version is the one in force when the window opened. */
export const windowDue = (
  rule: Pick<WindowRule, 'measure' | 'minutes'>,
  start: Instant,
  calendarId: string,
  calendars: CalendarRegistry,
): Instant | WindowCalendarMissing => {
  if (rule.measure === 'elapsed') return elapsedMeter.add(start, rule.minutes)
  const calendar = calendars.calendarAt(calendarId, start)
  if (calendar === undefined) {
    return { _tag: 'WindowCalendarMissing', message: `no version of calendar ${calendarId} is in force at ${start}`, calendarId, at: start }
  }
  return businessMeter(calendar).add(start, rule.minutes)
}

/** Tells a computed due instant from the error that its business calendar is missing. */
export const isCalendarMissing = (due: Instant | WindowCalendarMissing): due is WindowCalendarMissing => typeof due !== 'string'
