/** The legal acts Kazakhstan's working-day calendar rests on, and builders for entries that cite them. */
import type { CalendarDay, LegalSource, Weekday } from '../calendar-definition.js'

// model

/** Lists the national and state holidays; art. 5 moves a holiday's day off that falls on a day off to the next working day. */
export const LAW_ON_HOLIDAYS: LegalSource = {
  title: 'Закон Республики Казахстан «О праздниках в Республике Казахстан»',
  number: '267',
  date: '2001-12-13',
  url: 'https://adilet.zan.kz/rus/docs/Z010000267_',
} as LegalSource

/** Art. 84(5): the first day of Kurban Ait and 7 January are days off and are not moved; art. 85(3): days off may be transferred. */
export const LABOUR_CODE: LegalSource = {
  title: 'Трудовой кодекс Республики Казахстан',
  number: '414-V',
  date: '2015-11-23',
  url: 'https://adilet.zan.kz/rus/docs/K1500000414',
} as LegalSource

// constructors

/** A state holiday named in the Law on holidays. */
export const stateHoliday = (date: string, name: string, note?: string): CalendarDay =>
  ({ kind: 'holiday', date, name, category: 'state', source: note === undefined ? LAW_ON_HOLIDAYS : { ...LAW_ON_HOLIDAYS, note } }) as CalendarDay

/** A national holiday (Independence Day, Republic Day) named in the Law on holidays. */
export const nationalHoliday = (date: string, name: string): CalendarDay =>
  ({ kind: 'holiday', date, name, category: 'national', source: LAW_ON_HOLIDAYS }) as CalendarDay

/** A religious day off under the Labour Code; never moved when it falls on a day off. */
export const religiousHoliday = (date: string, name: string, note: string): CalendarDay =>
  ({
    kind: 'holiday',
    date,
    name,
    category: 'religious',
    source: { ...LABOUR_CODE, title: `${LABOUR_CODE.title}, статья 84, пункт 5`, note },
  }) as CalendarDay

/** The day off of a national or state holiday that fell on a Saturday or Sunday, moved to the next working day. */
export const movedDayOff = (date: string, holiday: string): CalendarDay =>
  ({
    kind: 'dayOff',
    date,
    reason: `${holiday} falls on a day off; the day off moves to ${date}`,
    source: { ...LAW_ON_HOLIDAYS, title: `${LAW_ON_HOLIDAYS.title}, статья 5` },
  }) as CalendarDay

/** A weekday made a day off by a transfer act. */
export const transferredDayOff = (date: string, reason: string, source: LegalSource): CalendarDay =>
  ({ kind: 'dayOff', date, reason, source }) as CalendarDay

/** A Saturday or Sunday made a working day by a transfer act, worked with the hours of `hoursOf`. */
export const transferredWorkingDay = (date: string, hoursOf: Weekday, reason: string, source: LegalSource): CalendarDay =>
  ({ kind: 'workingDay', date, hoursOf, reason, source }) as CalendarDay

/** An order of the Minister of Labour transferring days off (art. 85(3) of the Labour Code). */
export const transferOrder = (title: string, note: string, date?: string): LegalSource =>
  ({
    title: `Приказ Министра труда и социальной защиты населения Республики Казахстан «${title}»`,
    ...(date === undefined ? {} : { date }),
    note,
  }) as LegalSource
