// Kazakhstan's shipped data checked against the rules of the Law on holidays and the reported facts, not against another library.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { CalendarDefinition, decodeCalendarDefinition, type CalendarDay, type CalendarVersion } from '../calendar-definition.js'
import { createCalendarRegistry } from '../calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from './kazakhstan-calendar.js'

const DAY = 86_400_000
const weekdayOf = (date: string): number => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7 // 0 = Monday
const isWeekend = (date: string): boolean => weekdayOf(date) >= 5
const nextDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10)

const latest = KAZAKHSTAN_CALENDAR.versions[KAZAKHSTAN_CALENDAR.versions.length - 1] as CalendarVersion
const beforeReferendum = KAZAKHSTAN_CALENDAR.versions[KAZAKHSTAN_CALENDAR.versions.length - 2] as CalendarVersion
const inYear = (version: CalendarVersion, year: number): ReadonlyArray<CalendarDay> =>
  version.days.filter((d) => d.date.startsWith(`${year}-`))
const datesOf = (days: ReadonlyArray<CalendarDay>, kind: CalendarDay['kind']): ReadonlyArray<string> =>
  days.filter((d) => d.kind === kind).map((d) => d.date)

/** Article 5 of the Law on holidays, applied from scratch: each national or state holiday on a Saturday or Sunday moves its day off to the next working day after the holiday. */
const expectedMoves = (days: ReadonlyArray<CalendarDay>): ReadonlyArray<string> => {
  const holidays = days.filter((d) => d.kind === 'holiday')
  const taken = new Set<string>([...holidays.map((d) => d.date), ...days.filter((d) => d.kind === 'dayOff' && !d.source.title.endsWith('статья 5')).map((d) => d.date)])
  const worked = new Set<string>(datesOf(days, 'workingDay'))
  const moves: Array<string> = []
  for (const h of [...holidays].sort((a, b) => (a.date < b.date ? -1 : 1))) {
    if (h.kind !== 'holiday' || h.category === 'religious' || !isWeekend(h.date)) continue
    let d = nextDate(h.date)
    while ((isWeekend(d) && !worked.has(d)) || taken.has(d)) d = nextDate(d)
    taken.add(d)
    moves.push(d)
  }
  return moves.sort()
}

describe('shipped Kazakhstan data', () => {
  it('decodes through the codecs and validates, every version', () => {
    const roundTrip = decodeCalendarDefinition(CalendarDefinition.encode(KAZAKHSTAN_CALENDAR))
    expect(E.isRight(roundTrip) && roundTrip.right).toEqual(KAZAKHSTAN_CALENDAR)
    expect(E.isRight(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))).toBe(true)
  })

  it('cites a legal source for every entry, with a link for every statutory holiday', () => {
    for (const v of KAZAKHSTAN_CALENDAR.versions) {
      for (const d of v.days) {
        expect(d.source.title.length, d.date).toBeGreaterThan(10)
        if (d.kind === 'holiday') expect(d.source.url, d.date).toMatch(/^https:\/\/adilet\.zan\.kz\//)
        if (d.source.url === undefined) expect(d.source.note, `${d.date} has neither a link nor a note`).toBeDefined()
      }
    }
  })

  it.each([2024, 2025, 2026])('%i has every fixed-date holiday of the law', (year) => {
    const holidays = datesOf(inYear(beforeReferendum, year), 'holiday')
    for (const md of ['01-01', '01-02', '01-07', '03-08', '03-21', '03-22', '03-23', '05-01', '05-07', '05-09', '07-06', '08-30', '10-25', '12-16']) {
      expect(holidays).toContain(`${year}-${md}`)
    }
    // 17 December stopped being a holiday in 2022; 1 December (First President's Day) too.
    expect(holidays).not.toContain(`${year}-12-17`)
    expect(holidays).not.toContain(`${year}-12-01`)
  })

  it.each([2024, 2025, 2026])('%i moves exactly the days off that article 5 moves', (year) => {
    for (const version of [beforeReferendum, latest]) {
      const days = inYear(version, year)
      const moved = days.filter((d) => d.kind === 'dayOff' && d.source.title.endsWith('статья 5')).map((d) => d.date).sort()
      expect(moved).toEqual(expectedMoves(days))
    }
  })

  it('never moves a religious day off: Christmas on Sunday 7 January 2024 leaves Monday 8 January a working day', () => {
    expect(inYear(latest, 2024).find((d) => d.date === '2024-01-08')).toBeUndefined()
    for (const d of latest.days) if (d.kind === 'holiday' && d.category === 'religious') expect(d.source.title).toContain('Трудовой кодекс')
  })

  it('has the first day of Kurban Ait on 17 June 2024, 6 June 2025 and 27 May 2026', () => {
    const kurban = latest.days.filter((d) => d.kind === 'holiday' && d.name.startsWith('Курбан')).map((d) => d.date)
    expect(kurban).toEqual(['2024-06-17', '2025-06-06', '2026-05-27'])
  })

  it('transfers only weekdays to days off and only weekend days to working days', () => {
    for (const d of latest.days) {
      if (d.kind === 'workingDay') expect(isWeekend(d.date), d.date).toBe(true)
      if (d.kind === 'dayOff') expect(isWeekend(d.date), d.date).toBe(false)
    }
    expect(datesOf(latest.days, 'workingDay')).toEqual(['2024-05-04', '2025-01-05'])
  })

  it('has the reported 2026 extra days off: 9 March, 24 and 25 March, 11 May, 26 October, and 31 August only before the referendum', () => {
    expect(datesOf(inYear(beforeReferendum, 2026), 'dayOff')).toEqual(['2026-03-09', '2026-03-24', '2026-03-25', '2026-05-11', '2026-08-31', '2026-10-26'])
    expect(datesOf(inYear(latest, 2026), 'dayOff')).toEqual(['2026-03-09', '2026-03-24', '2026-03-25', '2026-05-11', '2026-10-26'])
    expect(datesOf(inYear(latest, 2026), 'holiday')).not.toContain('2026-08-30')
    expect(latest.days.find((d) => d.date === '2026-03-16')).toBeUndefined()
  })

  it('a version never rewrites a year already past when it takes effect', () => {
    const versions = KAZAKHSTAN_CALENDAR.versions
    for (let i = 1; i < versions.length; i++) {
      const previous = versions[i - 1] as CalendarVersion
      const current = versions[i] as CalendarVersion
      const effectiveYear = Number(new Date(Date.parse(current.effectiveFrom) + 5 * 3_600_000).toISOString().slice(0, 4))
      for (let y = 2024; y < effectiveYear; y++) expect(inYear(current, y)).toEqual(inYear(previous, y))
    }
  })

  it('the May 2024 transfer applies from the day its order was signed, 17 April 2024', () => {
    const before = KAZAKHSTAN_CALENDAR.versions[0] as CalendarVersion
    expect(datesOf(inYear(before, 2024), 'workingDay')).toEqual([])
    expect(datesOf(inYear(before, 2024), 'dayOff')).not.toContain('2024-05-08')
    expect(KAZAKHSTAN_CALENDAR.versions[1]?.effectiveFrom).toBe('2024-04-16T19:00:00.000Z')
  })
})
