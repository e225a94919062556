/** Kazakhstan's days off and transferred days for 2024 (five-day week), each with its legal source. */
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

const MAY_TRANSFER = transferOrder(
  'О переносе дня отдыха в 2024 году',
  'Signed on 17 April 2024 by the acting Minister under art. 85(3) of the Labour Code, in force from signing, published on the ' +
    'Ministry\'s site on 18 April 2024 (as reported by the press): moves the day off from Saturday 4 May to Wednesday 8 May 2024. ' +
    'The order\'s registration number is not confirmed here.',
  '2024-04-17',
)

/** 2024 as known from 17 April 2024, when the May transfer was signed. */
export const KAZAKHSTAN_2024: ReadonlyArray<CalendarDay> = [
  stateHoliday('2024-01-01', 'Новый год'),
  stateHoliday('2024-01-02', 'Новый год'),
  religiousHoliday('2024-01-07', 'Православное Рождество', 'Falls on a Sunday; a religious day off is not moved.'),
  stateHoliday('2024-03-08', 'Международный женский день'),
  stateHoliday('2024-03-21', 'Наурыз мейрамы'),
  stateHoliday('2024-03-22', 'Наурыз мейрамы'),
  stateHoliday('2024-03-23', 'Наурыз мейрамы'),
  movedDayOff('2024-03-25', 'Наурыз мейрамы on Saturday 23 March'),
  stateHoliday('2024-05-01', 'Праздник единства народа Казахстана'),
  transferredWorkingDay('2024-05-04', 'wednesday', 'Day off moved from Saturday 4 May to Wednesday 8 May', MAY_TRANSFER),
  stateHoliday('2024-05-07', 'День защитника Отечества'),
  transferredDayOff('2024-05-08', 'Day off moved from Saturday 4 May to Wednesday 8 May', MAY_TRANSFER),
  stateHoliday('2024-05-09', 'День Победы'),
  religiousHoliday(
    '2024-06-17',
    'Курбан айт, первый день',
    'Monday 17 June 2024, as set with the Spiritual Administration of Muslims of Kazakhstan (ДУМК) and reported by the press; the act fixing the date is not cited here.',
  ),
  stateHoliday('2024-07-06', 'День Столицы'),
  movedDayOff('2024-07-08', 'День Столицы on Saturday 6 July'),
  stateHoliday('2024-08-30', 'День Конституции Республики Казахстан'),
  nationalHoliday('2024-10-25', 'День Республики'),
  nationalHoliday('2024-12-16', 'День Независимости'),
]

const MAY_TRANSFER_DATES = new Set(['2024-05-04', '2024-05-08'])

/** 2024 as known before 17 April 2024: the statutory days only. */
export const KAZAKHSTAN_2024_BEFORE_MAY_TRANSFER: ReadonlyArray<CalendarDay> = KAZAKHSTAN_2024.filter((day) => !MAY_TRANSFER_DATES.has(day.date))
