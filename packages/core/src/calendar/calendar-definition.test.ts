// Calendar definition codecs: decode, encode and guard agree; hours become working spans; literals are checked.
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { assertCodecRoundTrip, expectReaches, instantArb } from '../testing/arbitraries.js'
import {
  CalendarDay,
  CalendarDefinition,
  WEEKDAYS,
  workingHours,
  workingSpans,
  type LegalSource,
  type LocalTime,
  type WeeklyHours,
  type WorkingHours,
} from './calendar-definition.js'

const timeArb = fc.integer({ min: 0, max: 24 * 60 }).map(
  (m) => (m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`) as LocalTime,
)
const hoursArb: fc.Arbitrary<WorkingHours> = fc.record({
  start: timeArb,
  end: timeArb,
  breaks: fc.array(fc.record({ start: timeArb, end: timeArb }), { maxLength: 2 }),
})
const dateArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map(
  (d) => d.toISOString().slice(0, 10),
)
const sourceArb = fc.record(
  { title: fc.string(), number: fc.string(), date: dateArb, url: fc.webUrl(), note: fc.string() },
  { requiredKeys: ['title'] },
) as fc.Arbitrary<LegalSource>
const weekdayArb = fc.constantFrom(...WEEKDAYS)
const dayArb = fc.oneof(
  fc.record({ kind: fc.constant('holiday'), date: dateArb, name: fc.string(), category: fc.constantFrom('national', 'state', 'religious'), source: sourceArb }),
  fc.record({ kind: fc.constant('dayOff'), date: dateArb, reason: fc.string(), source: sourceArb }),
  fc.record({ kind: fc.constant('workingDay'), date: dateArb, hoursOf: weekdayArb, reason: fc.string(), source: sourceArb }),
  fc.record({ kind: fc.constant('hours'), date: dateArb, hours: hoursArb, reason: fc.string(), source: sourceArb }),
) as fc.Arbitrary<CalendarDay>
const weekArb = fc.tuple(...WEEKDAYS.map(() => fc.option(hoursArb))).map(
  (days) => Object.fromEntries(WEEKDAYS.map((w, i) => [w, days[i] ?? null])) as unknown as WeeklyHours,
)
const versionArb = fc.record(
  { effectiveFrom: instantArb(), days: fc.array(dayArb, { maxLength: 5 }), timeZone: fc.constantFrom('Asia/Almaty', 'UTC'), weeklyHours: weekArb, note: fc.string() },
  { requiredKeys: ['effectiveFrom', 'days'] },
)
const definitionArb = fc.record(
  {
    id: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
    name: fc.string(),
    versions: fc.array(versionArb, { maxLength: 3 }),
    basedOn: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
  },
  { requiredKeys: ['id', 'name', 'versions'] },
) as unknown as fc.Arbitrary<CalendarDefinition>

describe('codecs', () => {
  it('the generators reach every kind of day, several versions, and breaks inside and hours that hold none, in a stated share of runs', () => {
    expectReaches(dayArb, Object.fromEntries(['holiday', 'dayOff', 'workingDay', 'hours'].map((k) => [k, { atLeast: 0.15, reached: (d: CalendarDay) => d.kind === k }])))
    expectReaches(definitionArb, {
      'two versions or more': { atLeast: 0.2, reached: (d) => d.versions.length >= 2 },
      'a version with days': { atLeast: 0.3, reached: (d) => d.versions.some((v) => v.days.length > 0) },
    })
    expectReaches(hoursArb, {
      'a break inside the hours': { atLeast: 0.03, reached: (h) => h.breaks.some((b) => h.start < b.start && b.start < b.end && b.end < h.end) },
      'hours that end before they start': { atLeast: 0.2, reached: (h) => h.end <= h.start },
    })
  })

  it('CalendarDay: decode, encode and guard agree', () => assertCodecRoundTrip(CalendarDay, dayArb))
  it('CalendarDefinition: decode, encode and guard agree', () => assertCodecRoundTrip(CalendarDefinition, definitionArb, { numRuns: 50 }))

  it('rejects times that are not HH:mm within a day', () => {
    for (const bad of ['9:00', '24:01', '12:60', '25:00', '']) expect(CalendarDay.is({ kind: 'hours', date: '2024-01-01', hours: { start: bad, end: '18:00', breaks: [] }, reason: '', source: { title: '' } })).toBe(false)
    expect(() => workingHours('9:00', '18:00')).toThrow(RangeError)
  })

  it('rejects dates that do not exist', () => {
    expect(CalendarDay.is({ kind: 'dayOff', date: '2025-02-29', reason: '', source: { title: '' } })).toBe(false)
    expect(CalendarDay.is({ kind: 'dayOff', date: '2024-02-29', reason: '', source: { title: '' } })).toBe(true)
  })
})

describe('working spans', () => {
  it('are the hours less the breaks, in order, whatever order the breaks are given in', () => {
    expect(workingSpans(workingHours('08:30', '18:00', [['15:00', '15:15'], ['13:00', '14:30']]))).toEqual([
      [510, 780],
      [870, 900],
      [915, 1080],
    ])
    expect(workingSpans(workingHours('00:00', '24:00'))).toEqual([[0, 1440]])
  })

  test.prop([hoursArb], { numRuns: 500 })('never overlap a break and stay within the hours', (hours) => {
    const spans = workingSpans(hours)
    const minute = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
    for (const [s, e] of spans) {
      expect(s).toBeLessThan(e)
      expect(s).toBeGreaterThanOrEqual(minute(hours.start))
      expect(e).toBeLessThanOrEqual(minute(hours.end))
      for (const b of hours.breaks) expect(e <= minute(b.start) || s >= minute(b.end)).toBe(true)
    }
  })
})
