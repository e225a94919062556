/** Kazakhstan's days off and transferred days for 2024 (five-day week), each with its legal source. */
import type { CalendarDay, LegalSource } from '../calendar-definition.js'
import { byLawOnHolidays, movedByLaw, religiousDayOff } from './kazakhstan-sources.js'

// model

const TRANSFER_ORDER_2024: LegalSource = {
  title: 'Приказ Министра труда и социальной защиты населения Республики Казахстан «О переносе дня отдыха в 2024 году»',
  note:
    'Transfers the day off from Saturday 4 May to Wednesday 8 May 2024 under art. 85(3) of the Labour Code. ' +
    'The draft was published on legalacts.egov.kz in April 2024; the number and date of the signed order are not confirmed here.',
} as LegalSource

const state = (date: string, name: string): CalendarDay =>
  ({ kind: 'holiday', date, name, category: 'state', source: byLawOnHolidays('статья 2') }) as CalendarDay
const national = (date: string, name: string): CalendarDay =>
  ({ kind: 'holiday', date, name, category: 'national', source: byLawOnHolidays('статья 1') }) as CalendarDay

export const KAZAKHSTAN_2024: ReadonlyArray<CalendarDay> = [
  state('2024-01-01', 'Новый год'),
  state('2024-01-02', 'Новый год'),
  {
    kind: 'holiday', date: '2024-01-07', name: 'Православное Рождество', category: 'religious',
    source: religiousDayOff('Falls on a Sunday in 2024; a religious day off is not moved.'),
  },
  state('2024-03-08', 'Международный женский день'),
  state('2024-03-21', 'Наурыз мейрамы'),
  state('2024-03-22', 'Наурыз мейрамы'),
  state('2024-03-23', 'Наурыз мейрамы'),
  { kind: 'dayOff', date: '2024-03-25', reason: 'Наурыз мейрамы on Saturday 23 March: day off on Monday 25 March', source: movedByLaw('Наурыз мейрамы (23 March 2024, Saturday)') },
  state('2024-05-01', 'Праздник единства народа Казахстана'),
  { kind: 'workingDay', date: '2024-05-04', hoursOf: 'wednesday', reason: 'Day off moved from Saturday 4 May to Wednesday 8 May', source: TRANSFER_ORDER_2024 },
  state('2024-05-07', 'День защитника Отечества'),
  { kind: 'dayOff', date: '2024-05-08', reason: 'Day off moved from Saturday 4 May to Wednesday 8 May', source: TRANSFER_ORDER_2024 },
  state('2024-05-09', 'День Победы'),
  {
    kind: 'holiday', date: '2024-06-17', name: 'Курбан айт, первый день', category: 'religious',
    source: religiousDayOff(
      'Date 17 June 2024 (Monday) as announced with the Spiritual Administration of Muslims of Kazakhstan (ДУМК) and reported by the press; the act fixing it is not cited here.',
    ),
  },
  state('2024-07-06', 'День Столицы'),
  { kind: 'dayOff', date: '2024-07-08', reason: 'День Столицы on Saturday 6 July: day off on Monday 8 July', source: movedByLaw('День Столицы (6 July 2024, Saturday)') },
  state('2024-08-30', 'День Конституции Республики Казахстан'),
  national('2024-10-25', 'День Республики'),
  national('2024-12-16', 'День Независимости'),
] as ReadonlyArray<CalendarDay>
