// Properties of the arithmetic on generated calendars: any hours and breaks, any day rules, zones with daylight saving and odd offsets.
import { fc, test } from '@fast-check/vitest'
import { DateTime } from 'luxon'
import { describe, expect } from 'vitest'
import { addMillis, instantOf } from '../kernel/instant.js'
import { expectReaches } from '../testing/arbitraries.js'
import { compileBusinessCalendar, type CompiledBusinessCalendar } from './business-time.js'
import { WEEKDAYS, type CalendarDay, type LocalTime, type WeeklyHours, type WorkingHours } from './calendar-definition.js'

const ZONES = ['Asia/Almaty', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo', 'UTC']

const time = (quarter: number): LocalTime =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}` as LocalTime

/** Hours on a 15-minute grid, 0 to 2 breaks strictly inside, so the day always keeps some working time. */
const hoursArb: fc.Arbitrary<WorkingHours> = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 6 })
  .map((qs) => [...qs].sort((a, b) => a - b))
  .filter((qs) => qs.length % 2 === 0)
  .map((qs) => {
    const start = qs[0] as number
    const end = qs[qs.length - 1] as number
    const inner = qs.slice(1, -1)
    const breaks = []
    for (let i = 0; i + 1 < inner.length; i += 2) breaks.push({ start: time(inner[i] as number), end: time(inner[i + 1] as number) })
    return { start: time(start), end: time(end), breaks }
  })

const weekArb: fc.Arbitrary<WeeklyHours> = fc
  .tuple(...WEEKDAYS.map(() => fc.option(hoursArb, { freq: 3 })))
  .filter((days) => days.some((d) => d !== null))
  .map((days) => Object.fromEntries(WEEKDAYS.map((w, i) => [w, days[i] ?? null])) as unknown as WeeklyHours)

const FROM = Date.parse('2024-01-01T00:00:00Z')
const dayRulesArb = (week: WeeklyHours): fc.Arbitrary<ReadonlyArray<CalendarDay>> =>
  fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 40 }).chain((offsets) =>
    fc.tuple(...offsets.map(() => fc.oneof(fc.constant<'off' | WorkingHours>('off'), hoursArb))).map((rules) =>
      offsets.map((o, i): CalendarDay => {
        const date = new Date(FROM + o * 86_400_000).toISOString().slice(0, 10)
        const rule = rules[i] ?? 'off'
        const source = { title: 'generated' }
        if (rule === 'off') return { kind: 'dayOff', date, reason: 'generated', source } as CalendarDay
        const worked = WEEKDAYS.find((w) => week[w] !== null) ?? 'monday'
        return i % 2 === 0
          ? ({ kind: 'hours', date, hours: rule, reason: 'generated', source } as CalendarDay)
          : ({ kind: 'workingDay', date, hoursOf: worked, reason: 'generated', source } as CalendarDay)
      }),
    ),
  )

const calendarArb: fc.Arbitrary<CompiledBusinessCalendar> = fc
  .tuple(fc.constantFrom(...ZONES), weekArb)
  .chain(([zone, week]) =>
    dayRulesArb(week).map((days) =>
      compileBusinessCalendar({
        id: `generated-${zone}`,
        effectiveFrom: instantOf(0),
        timeZone: zone,
        weeklyHours: week,
        days: new Map(days.map((d) => [d.date, d])),
      }),
    ),
  )

const startArb = fc.integer({ min: FROM, max: FROM + 400 * 86_400_000 }).map(instantOf)
const minutesArb = fc.integer({ min: 0, max: 30 * 24 * 60 })

describe('generated calendars in any zone', () => {
  test('its generators reach starts in and out of working time, daylight-saving and odd-offset zones, and deadlines across a change of offset', () => {
    const offset = (at: string, zone: string) => DateTime.fromISO(at, { zone }).offset
    expectReaches(fc.tuple(calendarArb, startArb, minutesArb).map(([c, start, d]) => ({ c, start, deadline: c.addBusinessMinutes(start, d) })), {
      'start in working time': { atLeast: 0.1, reached: ({ c, start }) => c.isWorkingTime(start) },
      'start outside working time': { atLeast: 0.3, reached: ({ c, start }) => !c.isWorkingTime(start) },
      'a zone with daylight saving': { atLeast: 0.2, reached: ({ c }) => ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'].includes(c.timeZone) },
      'an offset that is not whole hours': { atLeast: 0.15, reached: ({ c }) => ['Asia/Kathmandu', 'Australia/Lord_Howe'].includes(c.timeZone) },
      'a deadline across a change of offset': { atLeast: 0.05, reached: ({ c, start, deadline }) => offset(start, c.timeZone) !== offset(deadline, c.timeZone) },
    }, 150)
  })

  test.prop([calendarArb, startArb, minutesArb], { numRuns: 150 })('measure(start, add(start, d)) = d', (c, start, d) => {
    expect(c.businessMinutesBetween(start, c.addBusinessMinutes(start, d))).toBe(d)
  })

  test.prop([calendarArb, startArb, startArb, minutesArb], { numRuns: 150 })('a later start never gives an earlier deadline', (c, a, b, d) => {
    const [early, late] = a <= b ? [a, b] : [b, a]
    expect(c.addBusinessMinutes(early, d) <= c.addBusinessMinutes(late, d)).toBe(true)
  })

  test.prop([calendarArb, startArb, fc.integer({ min: 1, max: 30 * 24 * 60 })], { numRuns: 150 })(
    'a deadline ends a working minute and is the earliest instant that does',
    (c, start, d) => {
      const deadline = c.addBusinessMinutes(start, d)
      expect(c.isWorkingTime(addMillis(deadline, -1))).toBe(true)
      expect(c.businessMinutesBetween(start, addMillis(deadline, -1))).toBeLessThan(d)
    },
  )

  test.prop([calendarArb, startArb, fc.integer({ min: 0, max: 3 * 86_400_000 })], { numRuns: 150 })(
    'isWorkingTime agrees with the measure of one millisecond, and nextWorkingInstant is working',
    (c, start, shift) => {
      const t = addMillis(start, shift)
      expect(c.businessMinutesBetween(t, addMillis(t, 1)) > 0).toBe(c.isWorkingTime(t))
      const next = c.nextWorkingInstant(t)
      expect(c.isWorkingTime(next)).toBe(true)
      expect(c.businessMinutesBetween(t, next)).toBe(0)
    },
  )
})
