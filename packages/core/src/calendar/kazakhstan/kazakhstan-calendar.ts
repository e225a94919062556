/** Kazakhstan's shipped calendars: the statutory days off and transfers for a five-day week, versioned as each year's acts appeared. */
import type { Instant } from '../../kernel/instant.js'
import { fiveDayWeek, workingHours, type CalendarDefinition, type CalendarId } from '../calendar-definition.js'
import { KAZAKHSTAN_2024 } from './kazakhstan-2024.js'

// model

export const KAZAKHSTAN_CALENDAR_ID = 'kz-5day' as CalendarId

/** Office hours 09:00–18:00 with lunch 13:00–14:00, Monday to Friday: 40 hours a week. */
export const KAZAKHSTAN_OFFICE_HOURS = fiveDayWeek(workingHours('09:00', '18:00', [['13:00', '14:00']]))

/**
 * Kazakhstan, five-day week, 09:00–18:00 with a 13:00–14:00 lunch, Asia/Almaty. Each version
 * adds a year's days, in force from 00:00 Almaty on 1 December of the year before (when that
 * year's acts were known); a derived calendar (`basedOn: 'kz-5day'`) can change the hours.
 */
export const KAZAKHSTAN_CALENDAR: CalendarDefinition = {
  id: KAZAKHSTAN_CALENDAR_ID,
  name: 'Kazakhstan, five-day week',
  versions: [
    {
      effectiveFrom: '2023-11-30T18:00:00.000Z' as Instant,
      timeZone: 'Asia/Almaty',
      weeklyHours: KAZAKHSTAN_OFFICE_HOURS,
      days: KAZAKHSTAN_2024,
      note: 'Days off and transfers of 2024.',
    },
  ],
}
