/** Kazakhstan's shipped calendar: statutory days off and transfers for a five-day week, versioned as each year's acts appeared. */
import type { Instant } from '../../kernel/instant.js'
import { fiveDayWeek, workingHours, type CalendarDefinition, type CalendarId, type CalendarVersion } from '../calendar-definition.js'
import { KAZAKHSTAN_2024, KAZAKHSTAN_2024_BEFORE_MAY_TRANSFER } from './kazakhstan-2024.js'
import { KAZAKHSTAN_2025 } from './kazakhstan-2025.js'
import { KAZAKHSTAN_2026, KAZAKHSTAN_2026_AFTER_REFERENDUM } from './kazakhstan-2026.js'

// model

/**
 * The id of the shipped Kazakhstan five-day-week calendar, `kz-5day`: what a contract names to count business hours in
 * Kazakhstan.
 */
export const KAZAKHSTAN_CALENDAR_ID = 'kz-5day' as CalendarId

/** Office hours 09:00–18:00 with lunch 13:00–14:00, Monday to Friday: 40 hours a week. */
export const KAZAKHSTAN_OFFICE_HOURS = fiveDayWeek(workingHours('09:00', '18:00', [['13:00', '14:00']]))

const version = (effectiveFrom: string, days: CalendarVersion['days'], note: string): CalendarVersion => ({
  effectiveFrom: effectiveFrom as Instant,
  timeZone: 'Asia/Almaty',
  weeklyHours: KAZAKHSTAN_OFFICE_HOURS,
  days,
  note,
})

/**
 * Kazakhstan, five-day week, 09:00–18:00 with a 13:00–14:00 lunch, Asia/Almaty. Each version holds
 * every shipped day known when it took effect (00:00 Almaty): a year's days from 1 December of the
 * year before, 2024 revised on 17 April 2024 by the May transfer, 2026 revised on 16 March 2026
 * after the Constitution adopted the day before. Days after the last shipped year follow the weekly hours only.
 * A derived calendar (`basedOn: 'kz-5day'`) can change the hours and add its own days.
 */
export const KAZAKHSTAN_CALENDAR: CalendarDefinition = {
  id: KAZAKHSTAN_CALENDAR_ID,
  name: 'Kazakhstan, five-day week',
  versions: [
    version('2023-11-30T18:00:00.000Z', KAZAKHSTAN_2024_BEFORE_MAY_TRANSFER, '2024, statutory days.'),
    version('2024-04-16T19:00:00.000Z', KAZAKHSTAN_2024, '2024 with the transfer of 4 May to 8 May, from the day the order was signed (17 April 2024).'),
    version('2024-11-30T19:00:00.000Z', [...KAZAKHSTAN_2024, ...KAZAKHSTAN_2025], '2024 and 2025.'),
    version('2025-11-30T19:00:00.000Z', [...KAZAKHSTAN_2024, ...KAZAKHSTAN_2025, ...KAZAKHSTAN_2026], '2024 to 2026.'),
    version(
      '2026-03-15T19:00:00.000Z',
      [...KAZAKHSTAN_2024, ...KAZAKHSTAN_2025, ...KAZAKHSTAN_2026_AFTER_REFERENDUM],
      '2024 to 2026; from 16 March 2026 (Almaty), the day after the referendum that adopted the new Constitution ' +
        '(15 March 2026, Constitution Day from 2027): 30 August 2026 is no longer Constitution Day and 31 August 2026 is a working day, ' +
        'as the Ministry of Labour and Social Protection stated (reported 18 March 2026). The Constitution\'s number and adilet link are not cited here.',
    ),
  ],
}
