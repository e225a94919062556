/** The legal acts Kazakhstan's working-day calendar rests on, cited by every shipped entry. */
import type { LegalSource } from '../calendar-definition.js'

// model

/** Lists the national and state holidays (art. 1–2) and moves a holiday's day off that falls on a day off (art. 5). */
export const LAW_ON_HOLIDAYS: LegalSource = {
  title: 'Закон Республики Казахстан «О праздниках в Республике Казахстан»',
  number: '267-II',
  date: '2001-12-13',
  url: 'https://adilet.zan.kz/rus/docs/Z010000267_',
} as LegalSource

/** Art. 84: the first day of Kurban Ait and 7 January are days off and are not moved; art. 85(3): days off may be transferred. */
export const LABOUR_CODE: LegalSource = {
  title: 'Трудовой кодекс Республики Казахстан',
  number: '414-V ЗРК',
  date: '2015-11-23',
  url: 'https://adilet.zan.kz/rus/docs/K1500000414',
} as LegalSource

/** A holiday named in the Law on holidays. */
export const byLawOnHolidays = (article: string): LegalSource => ({ ...LAW_ON_HOLIDAYS, title: `${LAW_ON_HOLIDAYS.title}, ${article}` })

/** A day off moved because a national or state holiday fell on a day off. */
export const movedByLaw = (holiday: string): LegalSource => ({
  ...LAW_ON_HOLIDAYS,
  title: `${LAW_ON_HOLIDAYS.title}, статья 5`,
  note: `${holiday} falls on a day off; the day off moves to the next working day after the holiday.`,
})

/** A religious day off under the Labour Code. */
export const religiousDayOff = (note: string): LegalSource => ({
  ...LABOUR_CODE,
  title: `${LABOUR_CODE.title}, статья 84, пункт 5`,
  note,
})
