/** The guard that refuses a runtime whose time-zone data predates Kazakhstan's 2024 move to UTC+5. */
import { IANAZone } from 'luxon'

// model

/** The offset from UTC in minutes of `zone` at epoch milliseconds `ms`; NaN for a zone the runtime does not know. */
export type OffsetAt = (zone: string, ms: number) => number

/**
 * The runtime's time-zone data cannot place Asia/Almaty correctly: it does not know the zone, or
 * it still puts it at UTC+6 after 2024-03-01 (tz data older than 2024a), so every local time
 * after that date would be an hour off.
 *
 * Thrown, not returned: it is not a domain outcome but a runtime unfit to run any calendar, found
 * once at start-up, and no caller can do anything but stop and update Node or its ICU data.
 */
export class TimeZoneDataOutdated extends Error {
  readonly _tag = 'TimeZoneDataOutdated'
  constructor(
    readonly zone: string,
    readonly at: string,
    readonly expectedOffsetMinutes: number,
    readonly actualOffsetMinutes: number,
  ) {
    super(
      Number.isNaN(actualOffsetMinutes)
        ? `This runtime does not know the time zone ${zone}; it needs full ICU time-zone data (2024a or later).`
        : `This runtime puts ${zone} at UTC${formatOffset(actualOffsetMinutes)} at ${at}, not UTC${formatOffset(expectedOffsetMinutes)}: ` +
            'its time-zone data is older than 2024a. Update Node.js (20.19+ ships newer data) or its ICU data.',
    )
    this.name = 'TimeZoneDataOutdated'
  }
}

/** The facts checked: Almaty was UTC+6 before 2024-03-01 00:00 local and UTC+5 after (tz 2024a). */
const PROBES: ReadonlyArray<{ readonly at: string; readonly offset: number }> = [
  { at: '2024-02-01T06:00:00.000Z', offset: 360 },
  { at: '2024-03-01T07:00:00.000Z', offset: 300 },
]

const ZONE = 'Asia/Almaty'

// operations

/** This runtime's offsets, through luxon (which reads the runtime's Intl data). */
export const runtimeOffsetAt: OffsetAt = (zone, ms) => IANAZone.create(zone).offset(ms)

/** The first probe the offsets fail, or undefined when the data is current. */
export const checkTimeZoneData = (offsetAt: OffsetAt = runtimeOffsetAt): TimeZoneDataOutdated | undefined => {
  for (const probe of PROBES) {
    const actual = offsetAt(ZONE, Date.parse(probe.at))
    if (actual !== probe.offset) return new TimeZoneDataOutdated(ZONE, probe.at, probe.offset, actual)
  }
  return undefined
}

let runtimeChecked = false

/** Throws `TimeZoneDataOutdated` when the offsets are stale. The runtime's own data is checked once per process. */
export const assertTimeZoneData = (offsetAt?: OffsetAt): void => {
  if (offsetAt === undefined && runtimeChecked) return
  const failure = checkTimeZoneData(offsetAt)
  if (failure !== undefined) throw failure
  if (offsetAt === undefined) runtimeChecked = true
}

const formatOffset = (minutes: number): string => {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  const m = abs % 60
  return `${sign}${Math.floor(abs / 60)}${m === 0 ? '' : `:${String(m).padStart(2, '0')}`}`
}
