/** Kazakhstan's days off for 2026 (five-day week), before and after the Constitution adopted on 15 March 2026. */
import type { CalendarDay } from '../calendar-definition.js'
import { movedDayOff, nationalHoliday, religiousHoliday, stateHoliday } from './kazakhstan-sources.js'

// model

/** 2026 as published on egov.kz in late 2025. No transfer order for 2026 was found; every extra day off is a move under art. 5. */
export const KAZAKHSTAN_2026: ReadonlyArray<CalendarDay> = [
  stateHoliday('2026-01-01', 'Новый год'),
  stateHoliday('2026-01-02', 'Новый год'),
  religiousHoliday('2026-01-07', 'Православное Рождество', 'Wednesday 7 January 2026.'),
  stateHoliday('2026-03-08', 'Международный женский день'),
  movedDayOff('2026-03-09', 'Международный женский день on Sunday 8 March'),
  stateHoliday('2026-03-21', 'Наурыз мейрамы'),
  stateHoliday('2026-03-22', 'Наурыз мейрамы'),
  stateHoliday('2026-03-23', 'Наурыз мейрамы'),
  movedDayOff('2026-03-24', 'Наурыз мейрамы on Saturday 21 March'),
  movedDayOff('2026-03-25', 'Наурыз мейрамы on Sunday 22 March'),
  stateHoliday('2026-05-01', 'Праздник единства народа Казахстана'),
  stateHoliday('2026-05-07', 'День защитника Отечества'),
  stateHoliday('2026-05-09', 'День Победы'),
  movedDayOff('2026-05-11', 'День Победы on Saturday 9 May'),
  religiousHoliday(
    '2026-05-27',
    'Курбан айт, первый день',
    'Wednesday 27 May 2026, as published in the egov.kz holiday calendar and reported by the press; the act fixing the date is not cited here.',
  ),
  stateHoliday('2026-07-06', 'День Столицы'),
  stateHoliday('2026-08-30', 'День Конституции Республики Казахстан'),
  movedDayOff('2026-08-31', 'День Конституции on Sunday 30 August'),
  nationalHoliday('2026-10-25', 'День Республики'),
  movedDayOff('2026-10-26', 'День Республики on Sunday 25 October'),
  nationalHoliday('2026-12-16', 'День Независимости'),
]

const CONSTITUTION_DAY_2026 = new Set(['2026-08-30', '2026-08-31'])

/**
 * 2026 after the referendum of 15 March 2026: the new Constitution makes the day of its adoption,
 * 15 March, Constitution Day, so 30 August is no longer a holiday and 31 August is worked. The
 * Ministry of Labour said (reported 18 March 2026) that the new holiday is first observed in 2027,
 * so 16 March 2026 was not a day off.
 */
export const KAZAKHSTAN_2026_AFTER_REFERENDUM: ReadonlyArray<CalendarDay> = KAZAKHSTAN_2026.filter(
  (day) => !CONSTITUTION_DAY_2026.has(day.date),
)
