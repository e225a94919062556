/** Business-calendar benchmarks: deadlines and measures on Kazakhstan's calendar from random starts over 2024–2026. */
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { createCalendarRegistry, instantOf, KAZAKHSTAN_CALENDAR, type BusinessCalendarRegistry, type Instant } from '../src/index.js'
import { medianRate, printFigures, type Figures } from './measure.js'

const FROM = Date.parse('2024-01-01T00:00:00Z')
const TO = Date.parse('2026-12-01T00:00:00Z')
const WORKING_DAY = 8 * 60

/** A seeded generator, so every run measures the same starts. */
const lcg = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s / 2 ** 32
  }
}

const registryOrThrow = (): BusinessCalendarRegistry => {
  const r = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

export const benchCalendar = async (): Promise<Figures> => {
  const random = lcg(2024)
  const n = 20_000
  const starts: ReadonlyArray<Instant> = Array.from({ length: n }, () => instantOf(Math.floor(FROM + random() * (TO - FROM))))
  const mixed: ReadonlyArray<number> = Array.from({ length: n }, () => 120 + Math.floor(random() * (20 * WORKING_DAY - 120)))
  const registry = registryOrThrow()

  const deadlines = (minutes: (i: number) => number) => () => {
    let last = ''
    for (let i = 0; i < n; i++) {
      const start = starts[i] as Instant
      const calendar = registry.calendarAt('kz-5day', start)
      if (calendar === undefined) throw new Error('no calendar')
      last = calendar.addBusinessMinutes(start, minutes(i))
    }
    if (last === '') throw new Error('nothing computed')
    return n
  }

  const add2h = await medianRate(deadlines(() => 120))
  const add10d = await medianRate(deadlines(() => 10 * WORKING_DAY))
  const addMixed = await medianRate(deadlines((i) => mixed[i] as number))
  const measure30d = await medianRate(() => {
    let total = 0
    for (let i = 0; i < n; i++) {
      const start = starts[i] as Instant
      total += registry.calendarAt('kz-5day', start)?.businessMinutesBetween(start, instantOf(Date.parse(start) + 30 * 86_400_000)) ?? 0
    }
    if (total <= 0) throw new Error('nothing measured')
    return n
  })
  // A new registry each time: every day plan is built anew (what the first clocks of a process pay).
  const cold = await medianRate(() => {
    const fresh = registryOrThrow()
    const m = 200
    for (let i = 0; i < m; i++) {
      const start = starts[i] as Instant
      fresh.calendarAt('kz-5day', start)?.addBusinessMinutes(start, 10 * WORKING_DAY)
    }
    return m
  })

  return {
    'calendar.add_business_minutes_2h': { value: add2h, unit: 'deadlines/s' },
    'calendar.add_business_minutes_10d': { value: add10d, unit: 'deadlines/s' },
    'calendar.add_business_minutes_2h_to_20d': { value: addMixed, unit: 'deadlines/s' },
    'calendar.business_minutes_between_30d': { value: measure30d, unit: 'measures/s' },
    'calendar.add_business_minutes_10d_cold': { value: cold, unit: 'deadlines/s' },
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printFigures('@support-ledger/core: calendar', await benchCalendar())
}
