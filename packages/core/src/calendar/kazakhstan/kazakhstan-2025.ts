/** Kazakhstan's days off and transferred days for 2025 (five-day week), each with its legal source. */
import type { CalendarDay } from '../calendar-definition.js'
import {
  movedDayOff,
  nationalHoliday,
  religiousHoliday,
  stateHoliday,
  transferOrder,
  transferredDayOff,
  transferredWorkingDay,
} from './kazakhstan-sources.js'

// model

const NEW_YEAR_TRANSFER = transferOrder(
  'О переносе дня отдыха в 2025 году',
  'Moves the day off from Sunday 5 January to Friday 3 January 2025; announced by the Ministry in November 2024. ' +
    'The number and date of the signed order are not confirmed here. No other transfer for 2025 was found (8 May 2025 stayed a working day).',
)

/** 2025's days off, holidays and transferred days in Kazakhstan (five-day week), each with its legal source. */
export const KAZAKHSTAN_2025: ReadonlyArray<CalendarDay> = [
  stateHoliday('2025-01-01', 'Новый год'),
  stateHoliday('2025-01-02', 'Новый год'),
  transferredDayOff('2025-01-03', 'Day off moved from Sunday 5 January to Friday 3 January', NEW_YEAR_TRANSFER),
  transferredWorkingDay('2025-01-05', 'friday', 'Day off moved from Sunday 5 January to Friday 3 January', NEW_YEAR_TRANSFER),
  religiousHoliday('2025-01-07', 'Православное Рождество', 'Tuesday 7 January 2025.'),
  stateHoliday('2025-03-08', 'Международный женский день'),
  movedDayOff('2025-03-10', 'Международный женский день on Saturday 8 March'),
  stateHoliday('2025-03-21', 'Наурыз мейрамы'),
  stateHoliday('2025-03-22', 'Наурыз мейрамы'),
  stateHoliday('2025-03-23', 'Наурыз мейрамы'),
  movedDayOff('2025-03-24', 'Наурыз мейрамы on Saturday 22 March'),
  movedDayOff('2025-03-25', 'Наурыз мейрамы on Sunday 23 March'),
  stateHoliday('2025-05-01', 'Праздник единства народа Казахстана'),
  stateHoliday('2025-05-07', 'День защитника Отечества'),
  stateHoliday('2025-05-09', 'День Победы'),
  religiousHoliday(
    '2025-06-06',
    'Курбан айт, первый день',
    'Friday 6 June 2025, as announced by the Spiritual Administration of Muslims of Kazakhstan (ДУМК) and reported by the press; the act fixing the date is not cited here.',
  ),
  stateHoliday('2025-07-06', 'День Столицы'),
  movedDayOff('2025-07-07', 'День Столицы on Sunday 6 July'),
  stateHoliday('2025-08-30', 'День Конституции Республики Казахстан'),
  movedDayOff('2025-09-01', 'День Конституции on Saturday 30 August'),
  nationalHoliday('2025-10-25', 'День Республики'),
  movedDayOff('2025-10-27', 'День Республики on Saturday 25 October'),
  nationalHoliday('2025-12-16', 'День Независимости'),
]
