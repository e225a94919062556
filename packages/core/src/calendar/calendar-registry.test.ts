// The registry: versions in force at an instant, calendars layered on a shipped one, and refusal of invalid definitions.
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { instantOf, parseInstant, type Instant } from '../kernel/instant.js'
import {
  decodeCalendarDefinition,
  fiveDayWeek,
  workingHours,
  type CalendarDefinition,
  type CalendarDefinitionInput,
} from './calendar-definition.js'
import { createCalendarRegistry, type BusinessCalendarRegistry } from './calendar-registry.js'
import { KAZAKHSTAN_CALENDAR, KAZAKHSTAN_OFFICE_HOURS } from './kazakhstan/kazakhstan-calendar.js'
import { expectReaches } from '../testing/arbitraries.js'

const at = (iso: string): Instant => parseInstant(iso) ?? (() => { throw new Error(iso) })()

const defined = (input: CalendarDefinitionInput): CalendarDefinition => {
  const d = decodeCalendarDefinition(input)
  if (E.isLeft(d)) throw new Error(d.left.message)
  return d.right
}

const registryOf = (...definitions: ReadonlyArray<CalendarDefinition>): BusinessCalendarRegistry => {
  const r = createCalendarRegistry(definitions)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const refusal = (...definitions: ReadonlyArray<CalendarDefinition>): ReadonlyArray<string> => {
  const r = createCalendarRegistry(definitions)
  return E.isLeft(r) ? r.left.issues : []
}

const CUSTOMER = defined({
  id: 'acme',
  name: 'ACME: Kazakhstan plus its own days',
  basedOn: 'kz-5day',
  versions: [
    {
      effectiveFrom: '2024-01-01T00:00:00.000Z',
      days: [
        { kind: 'dayOff', date: '2024-04-19', reason: 'Company day', source: { title: 'Contract No. 7, annex 2' } },
        { kind: 'workingDay', date: '2024-06-17', hoursOf: 'monday', reason: 'Support desk works on Kurban Ait', source: { title: 'Contract No. 7, annex 2' } },
      ],
    },
  ],
})

describe('versions in force', () => {
  const registry = registryOf(KAZAKHSTAN_CALENDAR, CUSTOMER)

  it('has no calendar before the first version or for an unknown id', () => {
    expect(registry.calendarAt('kz-5day', at('2023-11-01T00:00:00Z'))).toBeUndefined()
    expect(registry.calendarAt('nope', at('2024-06-01T00:00:00Z'))).toBeUndefined()
  })

  it('takes the version in force at the instant: 31 August 2026 is off before the referendum version, worked after', () => {
    const before = registry.calendarAt('kz-5day', at('2026-03-10T12:00:00+05:00'))
    const after = registry.calendarAt('kz-5day', at('2026-03-20T12:00:00+05:00'))
    expect(before?.workingIntervalsOn('2026-08-31')).toEqual([])
    expect(after?.workingIntervalsOn('2026-08-31')).toHaveLength(2)
    expect(after?.effectiveFrom).toBe(at('2026-03-16T00:00:00+05:00'))
  })

  it('a 2024 version knows nothing of 2025: 3 January 2025 is an ordinary Friday in it', () => {
    expect(registry.calendarAt('kz-5day', at('2024-06-01T00:00:00Z'))?.workingIntervalsOn('2025-01-03')).toHaveLength(2)
    expect(registry.calendarAt('kz-5day', at('2024-12-15T00:00:00Z'))?.workingIntervalsOn('2025-01-03')).toEqual([])
  })

  it('returns the same compiled calendar for the same version', () => {
    expect(registry.calendarAt('kz-5day', at('2024-02-01T00:00:00Z'))).toBe(registry.calendarAt('kz-5day', at('2024-04-01T00:00:00Z')))
    expect(registry.calendarAt('kz-5day', at('2024-04-01T00:00:00Z'))).not.toBe(registry.calendarAt('kz-5day', at('2024-05-01T00:00:00Z')))
  })
})

describe('a calendar layered on the shipped one', () => {
  const registry = registryOf(KAZAKHSTAN_CALENDAR, CUSTOMER)
  const acme = registry.calendarAt('acme', at('2024-04-01T00:00:00Z'))

  it('adds the customer day off and keeps the statutory ones and the hours', () => {
    expect(acme?.workingIntervalsOn('2024-04-19')).toEqual([])
    expect(acme?.workingIntervalsOn('2024-03-22')).toEqual([])
    expect(acme?.businessMinutesBetween(at('2024-04-15T00:00:00+05:00'), at('2024-04-22T00:00:00+05:00'))).toBe(32 * 60)
  })

  it('overrides a shipped day off with a working day', () => {
    expect(acme?.isWorkingTime(at('2024-06-17T10:00:00+05:00'))).toBe(true)
    expect(registry.calendarAt('kz-5day', at('2024-04-01T00:00:00Z'))?.isWorkingTime(at('2024-06-17T10:00:00+05:00'))).toBe(false)
  })

  it('follows the base calendar to its later versions', () => {
    const later = registry.calendarAt('acme', at('2025-12-15T00:00:00Z'))
    expect(later?.workingIntervalsOn('2026-03-24')).toEqual([])
    expect(later?.workingIntervalsOn('2024-04-19')).toEqual([])
  })

  it('may count in another zone and with other hours', () => {
    const west = defined({
      id: 'aktobe',
      name: 'Aktobe office',
      basedOn: 'kz-5day',
      versions: [{ effectiveFrom: '2024-01-01T00:00:00.000Z', timeZone: 'Asia/Aqtobe', weeklyHours: fiveDayWeek(workingHours('08:00', '17:00', [['12:00', '13:00']])), days: [] }],
    })
    const c = registryOf(KAZAKHSTAN_CALENDAR, west).calendarAt('aktobe', at('2024-02-01T00:00:00Z'))
    expect(c?.timeZone).toBe('Asia/Aqtobe')
    expect(c?.workingIntervalsOn('2024-02-01')[0]?.start).toBe(at('2024-02-01T08:00:00+05:00'))
    expect(c?.workingIntervalsOn('2024-03-22')).toEqual([])
  })
})

describe('invalid definitions are refused with the reason', () => {
  const base = (patch: Partial<CalendarDefinitionInput['versions'][number]>): CalendarDefinitionInput => ({
    id: 'x',
    name: 'x',
    versions: [{ effectiveFrom: '2024-01-01T00:00:00.000Z', weeklyHours: KAZAKHSTAN_OFFICE_HOURS, days: [], ...patch }],
  })

  it('refuses a duplicate id, an unknown base and a cycle of bases', () => {
    expect(refusal(KAZAKHSTAN_CALENDAR, KAZAKHSTAN_CALENDAR).join()).toContain('defined twice')
    expect(refusal(CUSTOMER).join()).toContain('no calendar kz-5day')
    const a = defined({ id: 'a', name: 'a', basedOn: 'b', versions: [{ effectiveFrom: '2024-01-01T00:00:00.000Z', days: [] }] })
    const b = defined({ id: 'b', name: 'b', basedOn: 'a', versions: [{ effectiveFrom: '2024-01-01T00:00:00.000Z', days: [] }] })
    expect(refusal(a, b).join()).toContain('cycle')
  })

  it('refuses versions out of order', () => {
    const v = base({})
    const twice = { ...v, versions: [...v.versions, ...v.versions] }
    expect(E.isLeft(decodeCalendarDefinition(twice))).toBe(true)
  })

  it('refuses hours and breaks that make no sense', () => {
    const bad = (hours: ReturnType<typeof workingHours>): ReadonlyArray<string> => {
      const d = decodeCalendarDefinition(base({ weeklyHours: fiveDayWeek(hours) }))
      return E.isLeft(d) ? d.left.issues : []
    }
    expect(bad(workingHours('18:00', '09:00')).join()).toContain('not before end')
    expect(bad(workingHours('09:00', '18:00', [['17:00', '19:00']])).join()).toContain('ends after the working day')
    expect(bad(workingHours('09:00', '18:00', [['12:00', '14:00'], ['13:00', '15:00']])).join()).toContain('overlaps')
    expect(bad(workingHours('09:00', '18:00', [['09:00', '18:00']])).join()).toContain('no working time')
  })

  it('refuses a week without working hours, an unknown zone and two rules for one date', () => {
    const none = { monday: null, tuesday: null, wednesday: null, thursday: null, friday: null, saturday: null, sunday: null }
    const issues = (input: CalendarDefinitionInput): string => {
      const d = decodeCalendarDefinition(input)
      return E.isLeft(d) ? d.left.issues.join() : ''
    }
    expect(issues(base({ weeklyHours: none }))).toContain('no weekday has working hours')
    expect(issues(base({ timeZone: 'Asia/Astana' }))).toContain('not a time zone')
    const off = { kind: 'dayOff' as const, date: '2024-05-02', reason: 'r', source: { title: 's' } }
    expect(issues(base({ days: [off, off] }))).toContain('second entry for 2024-05-02')
    expect(issues({ id: 'x', name: 'x', versions: [{ effectiveFrom: '2024-01-01T00:00:00.000Z', days: [] }] })).toContain('weeklyHours: required')
  })

  it('names the path of data that does not decode', () => {
    const d = decodeCalendarDefinition({ ...base({}), versions: [{ ...base({}).versions[0], weeklyHours: { ...KAZAKHSTAN_OFFICE_HOURS, monday: { start: '9:00', end: '18:00', breaks: [] } } }] })
    expect(E.isLeft(d) && d.left.issues.join()).toContain('versions.0.weeklyHours.monday')
  })
})

describe('a later version never changes a result for a start before it', () => {
  const kzUpTo = (k: number): CalendarDefinition => ({ ...KAZAKHSTAN_CALENDAR, versions: KAZAKHSTAN_CALENDAR.versions.slice(0, k + 1) })
  const start = fc.integer({ min: Date.parse('2023-12-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }).map(instantOf)
  const minutes = fc.integer({ min: 0, max: 30 * 480 })

  test.prop([fc.integer({ min: 0, max: KAZAKHSTAN_CALENDAR.versions.length - 2 }), start, minutes])(
    'shipped versions: adding version k+1 keeps every result for starts before it',
    (k, s, d) => {
      const next = KAZAKHSTAN_CALENDAR.versions[k + 1]?.effectiveFrom ?? s
      fc.pre(s < next)
      const without = registryOf(kzUpTo(k)).calendarAt('kz-5day', s)
      const withIt = registryOf(kzUpTo(k + 1)).calendarAt('kz-5day', s)
      fc.pre(without !== undefined)
      expect(withIt?.addBusinessMinutes(s, d)).toBe(without?.addBusinessMinutes(s, d))
    },
  )

  const extraDaysOff = fc.uniqueArray(fc.integer({ min: 0, max: 3 * 366 }), { maxLength: 30 }).map((offsets) =>
    offsets.map((o) => ({
      kind: 'dayOff' as const,
      date: new Date(Date.parse('2024-01-01T00:00:00Z') + o * 86_400_000).toISOString().slice(0, 10),
      reason: 'generated',
      source: { title: 'generated' },
    })),
  )

  test('its generators reach starts before the later version, and days off it adds inside a deadline, in a stated share of runs', () => {
    expectReaches(fc.tuple(fc.integer({ min: 0, max: KAZAKHSTAN_CALENDAR.versions.length - 2 }), start), {
      'a start before version k+1, with version k in force': {
        atLeast: 0.3,
        reached: ([k, s]) => s < (KAZAKHSTAN_CALENDAR.versions[k + 1]?.effectiveFrom ?? s) && registryOf(kzUpTo(k)).calendarAt('kz-5day', s) !== undefined,
      },
    }, 300)
    expectReaches(fc.tuple(start, start, extraDaysOff), {
      'a start before the customer version': { atLeast: 0.35, reached: ([effective, s]) => s < effective },
      'a day off added after the customer version takes effect': { atLeast: 0.15, reached: ([effective, s, days]) => s < effective && days.some((d) => d.date > effective.slice(0, 10)) },
    }, 300)
  })

  test.prop([start, start, minutes, extraDaysOff])(
    'a customer version added later, with any days off, keeps every result for starts before it',
    (effective, s, d, days) => {
      fc.pre(s < effective)
      const first = { effectiveFrom: '2023-12-01T00:00:00.000Z', days: [] }
      const one = defined({ id: 'c', name: 'c', basedOn: 'kz-5day', versions: [first] })
      const two = defined({ id: 'c', name: 'c', basedOn: 'kz-5day', versions: [first, { effectiveFrom: effective, days }] })
      const before = registryOf(KAZAKHSTAN_CALENDAR, one).calendarAt('c', s)
      const after = registryOf(KAZAKHSTAN_CALENDAR, two).calendarAt('c', s)
      expect(after?.addBusinessMinutes(s, d)).toBe(before?.addBusinessMinutes(s, d))
      expect(after?.businessMinutesBetween(s, effective)).toBe(before?.businessMinutesBetween(s, effective))
    },
    // Two registries and spans of up to three years per run: seconds alone, several times that beside the other packages' tests.
    120_000,
  )
})
