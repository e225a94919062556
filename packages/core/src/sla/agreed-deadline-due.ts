/** The due instant in force of an agreed deadline: the one rule the ticket decider and the verdicts share. */
import * as E from 'fp-ts/lib/Either.js'
import { calendarNotFound, type CalendarNotFound, type CalendarRegistry } from '../calendar/business-calendar.js'
import type { Instant } from '../kernel/instant.js'
import { businessMeter, dueInForce, elapsedMeter, type ClockMeter, type ClockPause, type ClockRun } from './clock.js'
import type { ClockMeasure } from './sla-policy.js'

// model

/** What fixes an agreed deadline's due instant, as both the decider's state and the recorded events know it. */
export interface AgreedDeadlineClock {
  readonly measure: ClockMeasure
  readonly calendarId: string
  /** The first agreement: the clock runs from it. */
  readonly agreedAt: Instant
  /** The deadline in force (the last one both parties agreed). */
  readonly deadline: Instant
  /** The questions that paused this clock, as recorded in `CustomerAsked.pauses`. Empty unless the policy opts in. */
  readonly pauses: ReadonlyArray<ClockPause>
}

// operations

/** The meter of a clock that starts at `start`: elapsed, or the calendar version in force then. */
export const meterAt = (
  measure: ClockMeasure,
  calendarId: string,
  start: Instant,
  calendars: CalendarRegistry,
): E.Either<CalendarNotFound, ClockMeter> => {
  if (measure === 'elapsed') return E.right(elapsedMeter)
  const calendar = calendars.calendarAt(calendarId, start)
  return calendar === undefined
    ? E.left(calendarNotFound(calendarId, start))
    : E.right(businessMeter(calendar))
}

/** The clock of an agreed deadline: from the first agreement to the deadline in force, pushed back by its pauses. */
export const agreedDeadlineRun = (clock: AgreedDeadlineClock, calendars: CalendarRegistry): E.Either<CalendarNotFound, ClockRun> => {
  const meter = meterAt(clock.measure, clock.calendarId, clock.agreedAt, calendars)
  return E.isLeft(meter) ? meter : E.right({ meter: meter.right, start: clock.agreedAt, target: { until: clock.deadline }, pauses: clock.pauses })
}

/**
 * The due instant in force at `at`: the agreed deadline, later by the time pausing questions
 * stayed open before it, never earlier. Undefined while such a question is still open.
 */
export const agreedDeadlineDue = (clock: AgreedDeadlineClock, at: Instant, calendars: CalendarRegistry): E.Either<CalendarNotFound, Instant | undefined> => {
  // With no pause the due is the agreed instant whatever the measure: no calendar is needed to say so.
  if (clock.pauses.length === 0) return E.right(clock.deadline)
  const run = agreedDeadlineRun(clock, calendars)
  return E.isLeft(run) ? run : E.right(dueInForce(run.right, at))
}
