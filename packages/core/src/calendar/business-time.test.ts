// Business-time arithmetic on Kazakhstan's shipped calendar and on derived ones: scenarios, a naive cross-check, properties.
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { addMillis, instantOf, parseInstant, type Instant } from '../kernel/instant.js'
import {
  decodeCalendarDefinition,
  fiveDayWeek,
  WEEKDAYS,
  workingHours,
  workingSpans,
  type CalendarDefinition,
  type CalendarDefinitionInput,
} from './calendar-definition.js'
import type { CompiledBusinessCalendar } from './business-time.js'
import { createCalendarRegistry, type BusinessCalendarRegistry } from './calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from './kazakhstan/kazakhstan-calendar.js'
import { expectReaches } from '../testing/arbitraries.js'

const definition = (input: CalendarDefinitionInput): CalendarDefinition => {
  const d = decodeCalendarDefinition(input)
  if (E.isLeft(d)) throw new Error(d.left.message)
  return d.right
}

const at = (iso: string): Instant => {
  const i = parseInstant(iso)
  if (i === undefined) throw new Error(`bad instant ${iso}`)
  return i
}

const LONG_LUNCH = definition({
  id: 'kz-agency',
  name: 'Agency hours 08:30–18:00, lunch 13:00–14:30',
  basedOn: KAZAKHSTAN_CALENDAR.id,
  versions: [
    {
      effectiveFrom: '2020-01-01T00:00:00.000Z',
      weeklyHours: fiveDayWeek(workingHours('08:30', '18:00', [['13:00', '14:30']])),
      days: [],
    },
  ],
})

const registry = ((): BusinessCalendarRegistry => {
  const r = createCalendarRegistry([KAZAKHSTAN_CALENDAR, LONG_LUNCH])
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
})()

const calendar = (id: string, when: Instant): CompiledBusinessCalendar => {
  const c = registry.calendarAt(id, when)
  if (c === undefined) throw new Error(`no ${id} at ${when}`)
  return c
}

const kz = (start: Instant): CompiledBusinessCalendar => calendar('kz-5day', start)

describe('working hours and lunch', () => {
  it('a request at 17:30 on a Friday under 09:00–18:00 runs 30 minutes on Friday and the rest from 09:00 on Monday', () => {
    // given a request received Friday 12 April 2024 at 17:30 Almaty (UTC+5)
    const start = at('2024-04-12T17:30:00+05:00')
    // when one business hour is added
    const deadline = kz(start).addBusinessMinutes(start, 60)
    // then it ends Monday 15 April at 09:30
    expect(deadline).toBe(at('2024-04-15T09:30:00+05:00'))
    expect(kz(start).businessMinutesBetween(start, deadline)).toBe(60)
  })

  it('skips the 13:00–14:00 lunch break', () => {
    const start = at('2024-04-16T12:30:00+05:00')
    expect(kz(start).addBusinessMinutes(start, 60)).toBe(at('2024-04-16T14:30:00+05:00'))
    expect(kz(start).businessMinutesBetween(at('2024-04-16T12:00:00+05:00'), at('2024-04-16T15:00:00+05:00'))).toBe(120)
    expect(kz(start).isWorkingTime(at('2024-04-16T13:30:00+05:00'))).toBe(false)
    expect(kz(start).isWorkingTime(at('2024-04-16T14:00:00+05:00'))).toBe(true)
  })

  it('counts from the end of lunch when a request arrives during it', () => {
    const start = at('2024-04-16T13:10:00+05:00')
    expect(kz(start).addBusinessMinutes(start, 1)).toBe(at('2024-04-16T14:01:00+05:00'))
    expect(kz(start).nextWorkingInstant(start)).toBe(at('2024-04-16T14:00:00+05:00'))
  })

  it('a deadline that uses up the morning ends at 13:00, the end of the interval, not at 14:00', () => {
    const start = at('2024-04-16T09:00:00+05:00')
    expect(kz(start).addBusinessMinutes(start, 240)).toBe(at('2024-04-16T13:00:00+05:00'))
  })

  it('an agency day 08:30–18:00 with a 90-minute lunch has 8 working hours', () => {
    const day = at('2024-04-16T00:00:00+05:00')
    const agency = calendar('kz-agency', day)
    expect(agency.businessMinutesBetween(day, at('2024-04-17T00:00:00+05:00'))).toBe(480)
    expect(agency.addBusinessMinutes(at('2024-04-16T12:30:00+05:00'), 60)).toBe(at('2024-04-16T15:00:00+05:00'))
    expect(agency.isWorkingTime(at('2024-04-16T08:30:00+05:00'))).toBe(true)
    expect(agency.isWorkingTime(at('2024-04-16T14:29:59+05:00'))).toBe(false)
  })

  it('an ordinary week has 40 business hours', () => {
    const monday = at('2024-04-15T00:00:00+05:00')
    expect(kz(monday).businessMinutesBetween(monday, at('2024-04-22T00:00:00+05:00'))).toBe(40 * 60)
  })
})

describe('zero, reversed and fractional spans', () => {
  it('adding zero minutes returns the start itself, inside or outside working time', () => {
    const night = at('2024-04-16T23:00:00+05:00')
    const noon = at('2024-04-16T12:00:00+05:00')
    expect(kz(night).addBusinessMinutes(night, 0)).toBe(night)
    expect(kz(noon).addBusinessMinutes(noon, 0)).toBe(noon)
  })

  it('measures 0 when the end is not after the start', () => {
    const a = at('2024-04-16T12:00:00+05:00')
    expect(kz(a).businessMinutesBetween(a, a)).toBe(0)
    expect(kz(a).businessMinutesBetween(a, at('2024-04-16T10:00:00+05:00'))).toBe(0)
  })

  it('measures to the millisecond', () => {
    const a = at('2024-04-16T10:00:00+05:00')
    expect(kz(a).businessMinutesBetween(a, at('2024-04-16T10:00:30+05:00'))).toBe(0.5)
  })

  it('refuses a negative or non-finite amount as a programming error', () => {
    const a = at('2024-04-16T10:00:00+05:00')
    expect(() => kz(a).addBusinessMinutes(a, -1)).toThrow(RangeError)
    expect(() => kz(a).addBusinessMinutes(a, Number.NaN)).toThrow(RangeError)
  })
})

describe('Asia/Almaty moved from UTC+6 to UTC+5 at 2024-03-01 00:00', () => {
  it('opens at 09:00 UTC+6 on 29 February and at 09:00 UTC+5 on 1 March', () => {
    const c = kz(at('2024-02-29T00:00:00Z'))
    expect(c.workingIntervalsOn('2024-02-29')[0]?.start).toBe(at('2024-02-29T03:00:00Z'))
    expect(c.workingIntervalsOn('2024-03-01')[0]?.start).toBe(at('2024-03-01T04:00:00Z'))
    expect(c.isWorkingTime(at('2024-03-01T03:30:00Z'))).toBe(false)
  })

  it('a deadline from Thursday 29 February 17:00 crosses the change in local time', () => {
    // given a request at 17:00 local (UTC+6) on the last day of the old offset
    const start = at('2024-02-29T17:00:00+06:00')
    // when two business hours are added
    const deadline = kz(start).addBusinessMinutes(start, 120)
    // then one hour runs on Thursday and one from 09:00 local (UTC+5) on Friday
    expect(deadline).toBe(at('2024-03-01T10:00:00+05:00'))
    expect(kz(start).businessMinutesBetween(at('2024-02-29T18:00:00+06:00'), at('2024-03-01T09:00:00+05:00'))).toBe(0)
  })
})

describe('Kazakhstan 2024 days off', () => {
  it('Nauryz 21–23 March and the day off moved to Monday 25 March are skipped', () => {
    // given a request at 17:00 on Wednesday 20 March 2024
    const start = at('2024-03-20T17:00:00+05:00')
    // when two business hours are added
    const deadline = kz(start).addBusinessMinutes(start, 120)
    // then the second hour falls on Tuesday 26 March
    expect(deadline).toBe(at('2024-03-26T10:00:00+05:00'))
    for (const d of ['2024-03-21', '2024-03-22', '2024-03-25']) expect(kz(start).workingIntervalsOn(d)).toEqual([])
  })

  it('Saturday 4 May 2024 is a working day and Wednesday 8 May is off', () => {
    const friday = at('2024-05-03T17:00:00+05:00')
    expect(kz(friday).isWorkingTime(at('2024-05-04T10:00:00+05:00'))).toBe(true)
    expect(kz(friday).addBusinessMinutes(friday, 120)).toBe(at('2024-05-04T10:00:00+05:00'))
    const monday = at('2024-05-06T17:00:00+05:00')
    // 7 May holiday, 8 May transferred day off, 9 May holiday: the next working day is Friday 10 May
    expect(kz(monday).addBusinessMinutes(monday, 120)).toBe(at('2024-05-10T10:00:00+05:00'))
  })

  it('a clock started before the transfer was signed counts 8 May as a working day', () => {
    const start = at('2024-04-10T12:00:00+05:00')
    const monday = at('2024-05-06T17:00:00+05:00')
    // the version in force on 10 April 2024 has only the statutory days: 8 May is an ordinary Wednesday
    expect(kz(start).addBusinessMinutes(monday, 120)).toBe(at('2024-05-08T10:00:00+05:00'))
  })

  it('the worked Saturday follows the hours of the weekday named in the transfer', () => {
    const c = kz(at('2024-05-01T00:00:00Z'))
    expect(c.workingIntervalsOn('2024-05-04')).toEqual(c.workingIntervalsOn('2024-05-15').map((i) => ({
      start: addMillis(i.start, -11 * 86_400_000),
      end: addMillis(i.end, -11 * 86_400_000),
    })))
  })
})

describe('Kazakhstan 2025 and 2026', () => {
  it('Sunday 5 January 2025 is worked, with Friday hours, for Friday 3 January', () => {
    // given a request on the New Year holiday, Thursday 2 January 2025, 10:00
    const start = at('2025-01-02T10:00:00+05:00')
    // when one business hour is added
    // then Friday 3 January and Saturday are off and the hour runs on Sunday morning
    expect(kz(start).addBusinessMinutes(start, 60)).toBe(at('2025-01-05T10:00:00+05:00'))
  })

  it('Nauryz on a weekend in 2026 gives 21 to 25 March off', () => {
    const start = at('2026-03-20T17:00:00+05:00')
    expect(kz(start).addBusinessMinutes(start, 120)).toBe(at('2026-03-26T10:00:00+05:00'))
  })

  it('a clock started before the referendum version keeps 31 August 2026 off; one started after works it', () => {
    // given a request on Friday 28 August 2026 at 17:00, due in two business hours
    const start = at('2026-08-28T17:00:00+05:00')
    // when counted on the version in force at the start (after the referendum)
    expect(kz(start).addBusinessMinutes(start, 120)).toBe(at('2026-08-31T10:00:00+05:00'))
    // and on the version in force before it (as a clock started in early March 2026 would)
    expect(kz(at('2026-03-10T00:00:00Z')).addBusinessMinutes(start, 120)).toBe(at('2026-09-01T10:00:00+05:00'))
  })

  it('after the last shipped year only the weekly hours apply', () => {
    const c = kz(at('2026-12-01T00:00:00Z'))
    expect(c.workingIntervalsOn('2027-01-01')).toHaveLength(2)
  })
})

// A naive reference: walk minute by minute, asking luxon for each minute's local time.
const naiveMinutes = (id: string, calendarAt: Instant, from: number, to: number): number => {
  const version = registry.definitions.get(id)
  if (version === undefined) throw new Error('unknown calendar')
  const c = calendar(id, calendarAt)
  let count = 0
  for (let ms = from; ms < to; ms += 60_000) {
    const local = DateTime.fromMillis(ms, { zone: c.timeZone })
    const date = local.toISODate() ?? ''
    const intervals = c.workingIntervalsOn(date)
    // independent of the interval table: recompute from the definition's weekly hours and day rules
    const minute = local.hour * 60 + local.minute
    const expected = naiveWorking(id, calendarAt, date, local.weekday - 1, minute)
    expect(intervals.some((i) => Date.parse(i.start) <= ms && ms < Date.parse(i.end))).toBe(expected)
    if (expected) count++
  }
  return count
}

const naiveWorking = (id: string, when: Instant, date: string, weekday: number, minute: number): boolean => {
  const layers: Array<CalendarDefinition> = []
  for (let d = registry.definitions.get(id); d !== undefined; d = d.basedOn === undefined ? undefined : registry.definitions.get(d.basedOn)) {
    layers.unshift(d)
  }
  const versions = layers.map((d) => [...d.versions].reverse().find((v) => v.effectiveFrom <= when))
  const hours = versions.reduce((h, v) => v?.weeklyHours ?? h, versions[0]?.weeklyHours)
  const rule = versions.reduce<unknown>((r, v) => v?.days.find((x) => x.date === date) ?? r, undefined) as
    | CalendarDefinition['versions'][number]['days'][number]
    | undefined
  if (hours === undefined) return false
  const dayHours =
    rule === undefined ? hours[WEEKDAYS[weekday] ?? 'monday']
    : rule.kind === 'workingDay' ? hours[rule.hoursOf]
    : rule.kind === 'hours' ? rule.hours
    : null
  return dayHours !== null && workingSpans(dayHours).some(([s, e]) => s <= minute && minute < e)
}

const START = Date.parse('2024-01-01T00:00:00Z')
const END = Date.parse('2024-12-31T00:00:00Z')
const instantIn2024 = fc.integer({ min: START, max: END }).map((ms) => instantOf(ms))
const minuteIn2024 = fc.integer({ min: START / 60_000, max: END / 60_000 }).map((m) => m * 60_000)

describe('agrees with a minute-by-minute count', () => {
  test.prop([minuteIn2024, fc.integer({ min: 0, max: 3 * 1440 }), fc.constantFrom('kz-5day', 'kz-agency')], { numRuns: 25 })(
    'businessMinutesBetween equals the naive count',
    (from, span, id) => {
      const start = instantOf(from)
      expect(calendar(id, start).businessMinutesBetween(start, instantOf(from + span * 60_000))).toBe(
        naiveMinutes(id, start, from, from + span * 60_000),
      )
    },
  )
})

describe('properties', () => {
  const duration = fc.integer({ min: 0, max: 20 * 480 })

  test('its generators reach starts outside working time and on days off, and deadlines across a public holiday, in a stated share of runs', () => {
    const daysOff = KAZAKHSTAN_CALENDAR.versions.flatMap((v) => v.days).filter((d) => d.kind === 'holiday' || d.kind === 'dayOff').map((d) => d.date)
    const local = (i: Instant) => DateTime.fromISO(i, { zone: 'Asia/Almaty' }).toISODate() ?? ''
    expectReaches(fc.tuple(instantIn2024, duration).map(([start, d]) => ({ start, deadline: kz(start).addBusinessMinutes(start, d) })), {
      'start outside working time': { atLeast: 0.5, reached: ({ start }) => !kz(start).isWorkingTime(start) },
      'start on a weekday in working time': { atLeast: 0.07, reached: ({ start }) => kz(start).isWorkingTime(start) },
      'a public holiday or day off between start and deadline': { atLeast: 0.15, reached: ({ start, deadline }) => daysOff.some((d) => local(start) < d && d < local(deadline)) },
    }, 200)
  })

  test.prop([instantIn2024, duration])('business minutes from a start to add(start, d) are d', (start, d) => {
    const c = kz(start)
    expect(c.businessMinutesBetween(start, c.addBusinessMinutes(start, d))).toBe(d)
  })

  test.prop([instantIn2024, instantIn2024, duration])('a later start never gives an earlier deadline', (a, b, d) => {
    const [early, late] = a <= b ? [a, b] : [b, a]
    const c = kz(early)
    expect(c.addBusinessMinutes(early, d) <= c.addBusinessMinutes(late, d)).toBe(true)
  })

  test.prop([instantIn2024, fc.integer({ min: 1, max: 20 * 480 })])(
    'a deadline closes a working minute: the millisecond before it is working time',
    (start, d) => {
      const c = kz(start)
      const deadline = c.addBusinessMinutes(start, d)
      expect(deadline > start).toBe(true)
      expect(c.isWorkingTime(addMillis(deadline, -1))).toBe(true)
    },
  )

  test.prop([instantIn2024, instantIn2024, instantIn2024])('measures add up over adjacent spans', (a, b, x) => {
    const [p, q, r] = [a, b, x].sort()
    const c = kz(a)
    if (p === undefined || q === undefined || r === undefined) return
    expect(c.businessMinutesBetween(p, q) + c.businessMinutesBetween(q, r)).toBeCloseTo(c.businessMinutesBetween(p, r), 9)
  })
})
