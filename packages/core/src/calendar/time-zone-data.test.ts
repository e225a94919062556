// The time-zone data guard: this runtime passes; stale or missing Almaty data is refused before any calendar exists.
import { describe, expect, it } from 'vitest'
import { KAZAKHSTAN_CALENDAR } from './kazakhstan/kazakhstan-calendar.js'
import { createCalendarRegistry } from './calendar-registry.js'
import { assertTimeZoneData, checkTimeZoneData, runtimeOffsetAt, TimeZoneDataOutdated, type OffsetAt } from './time-zone-data.js'

/** Almaty as tz data before 2024a had it: UTC+6 all along. */
const before2024a: OffsetAt = () => 360
const unknownZone: OffsetAt = () => Number.NaN

describe('time-zone data guard', () => {
  it('accepts this runtime, which puts Almaty at UTC+5 after 2024-03-01', () => {
    expect(runtimeOffsetAt('Asia/Almaty', Date.parse('2024-03-01T07:00:00Z'))).toBe(300)
    expect(checkTimeZoneData()).toBeUndefined()
    expect(() => assertTimeZoneData()).not.toThrow()
  })

  it('refuses data that keeps Almaty at UTC+6 after 2024-03-01', () => {
    const failure = checkTimeZoneData(before2024a)
    expect(failure).toBeInstanceOf(TimeZoneDataOutdated)
    expect(failure?._tag).toBe('TimeZoneDataOutdated')
    expect(failure?.expectedOffsetMinutes).toBe(300)
    expect(failure?.actualOffsetMinutes).toBe(360)
    expect(failure?.message).toContain('UTC+6')
    expect(failure?.message).toContain('2024a')
    expect(() => assertTimeZoneData(before2024a)).toThrow(TimeZoneDataOutdated)
  })

  it('refuses a runtime that does not know Asia/Almaty', () => {
    expect(checkTimeZoneData(unknownZone)?.message).toContain('does not know the time zone Asia/Almaty')
  })

  it('refuses data that has the new offset but not the old one', () => {
    const alwaysPlus5: OffsetAt = () => 300
    expect(checkTimeZoneData(alwaysPlus5)?.expectedOffsetMinutes).toBe(360)
  })

  it('is checked when a registry is created', () => {
    expect(() => createCalendarRegistry([KAZAKHSTAN_CALENDAR], { offsetAt: before2024a })).toThrow(TimeZoneDataOutdated)
    expect(() => createCalendarRegistry([KAZAKHSTAN_CALENDAR], { offsetAt: runtimeOffsetAt })).not.toThrow()
  })
})
