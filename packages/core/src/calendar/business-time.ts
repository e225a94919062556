/** Business-time arithmetic on one calendar version: working intervals per local day, skipped a whole day at a time. */
import { DateTime, IANAZone } from 'luxon'
import { epochMillis, instantOf, type Instant } from '../kernel/instant.js'
import type { BusinessCalendar } from './business-calendar.js'
import { assertTimeZoneData } from './time-zone-data.js'
import { WEEKDAYS, workingSpans, type CalendarDay, type WeeklyHours, type WorkingHours } from './calendar-definition.js'

// model

/** A version with its layers merged: what one `BusinessCalendar` counts with. */
export interface ResolvedCalendarVersion {
  readonly id: string
  /** When this combination of rules came into force (the latest effective date among its layers). */
  readonly effectiveFrom: Instant
  readonly timeZone: string
  readonly weeklyHours: WeeklyHours
  /** Date rules by `YYYY-MM-DD`. */
  readonly days: ReadonlyMap<string, CalendarDay>
}

/**
 * A business calendar with what the port does not need but callers often do.
 *
 * Working time is a set of half-open intervals `[start, end)` of real (UTC) time: each local day's
 * hours less its breaks, mapped through the zone. Business minutes are real minutes inside them,
 * counted to the millisecond, so a measure may be fractional when an end point is not on a minute.
 */
export interface CompiledBusinessCalendar extends BusinessCalendar {
  readonly effectiveFrom: Instant
  /** `at` itself inside working time, else the start of the next working interval. */
  readonly nextWorkingInstant: (at: Instant) => Instant
  /** The working intervals of a local date `YYYY-MM-DD`, in order. */
  readonly workingIntervalsOn: (date: string) => ReadonlyArray<{ readonly start: Instant; readonly end: Instant }>
}

/** Working intervals of one local day in epoch milliseconds; `total` is their summed length. */
interface DayPlan {
  readonly starts: ReadonlyArray<number>
  readonly ends: ReadonlyArray<number>
  readonly total: number
}

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
/**
 * Wider than any zone's offset from UTC (-12 h to +14 h): the local day of an instant lies within
 * this distance of its UTC day, so scans start from there instead of asking the zone (an Intl call)
 * on every operation. Days scanned in excess are cached plans and cost a map look-up each.
 */
const OFFSET_BOUND_MS = 15 * 3_600_000
/** A search that finds no working time in this many days has a calendar with none: a data error. */
const MAX_DAYS_SEARCHED = 366 * 200
/** Day plans kept per calendar; enough for decades of look-ups, bounded so a long-lived process does not grow. */
const PLAN_CACHE_LIMIT = 20_000

// constructors

/**
 * Compiles one resolved version into its arithmetic. Day plans are built lazily and cached. Checks
 * the runtime's time-zone data first (once per process); see `assertTimeZoneData`.
 */
export const compileBusinessCalendar = (version: ResolvedCalendarVersion): CompiledBusinessCalendar => {
  assertTimeZoneData()
  const zone = IANAZone.create(version.timeZone)
  const spansByWeekday = WEEKDAYS.map((day) => hoursSpans(version.weeklyHours[day]))
  const plans = new Map<number, DayPlan>()

  const earliestDayOf = (ms: number): number => Math.floor((ms - OFFSET_BOUND_MS) / DAY_MS)
  const latestDayOf = (ms: number): number => Math.floor((ms + OFFSET_BOUND_MS) / DAY_MS)

  const wallToEpoch = (dayNumber: number, minute: number): number => {
    const d = new Date((dayNumber + Math.floor(minute / 1440)) * DAY_MS)
    const m = minute % 1440
    return DateTime.fromObject(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(m / 60), minute: m % 60 },
      { zone },
    ).toMillis()
  }

  const spansOf = (dayNumber: number): ReadonlyArray<readonly [number, number]> => {
    const date = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
    const rule = version.days.get(date)
    // getUTCDay: 0 is Sunday; WEEKDAYS starts on Monday.
    const weekday = (new Date(dayNumber * DAY_MS).getUTCDay() + 6) % 7
    if (rule === undefined) return spansByWeekday[weekday] ?? []
    switch (rule.kind) {
      case 'holiday':
      case 'dayOff':
        return []
      case 'workingDay':
        return hoursSpans(version.weeklyHours[rule.hoursOf])
      case 'hours':
        return workingSpans(rule.hours)
    }
  }

  const planOf = (dayNumber: number): DayPlan => {
    const cached = plans.get(dayNumber)
    if (cached !== undefined) return cached
    const starts: Array<number> = []
    const ends: Array<number> = []
    let total = 0
    for (const [from, to] of spansOf(dayNumber)) {
      // Clamp against the previous interval: around a backward offset change two wall spans may map onto overlapping real time.
      const s = Math.max(wallToEpoch(dayNumber, from), ends[ends.length - 1] ?? -Infinity)
      const e = wallToEpoch(dayNumber, to)
      if (e <= s) continue
      starts.push(s)
      ends.push(e)
      total += e - s
    }
    const plan = { starts, ends, total }
    if (plans.size >= PLAN_CACHE_LIMIT) plans.clear()
    plans.set(dayNumber, plan)
    return plan
  }

  /** The end of `amount` ms of working time counted from `from`, with `amount > 0`. */
  const addWorking = (from: number, amount: number): number => {
    let remaining = amount
    let cursor = from
    let day = earliestDayOf(from)
    for (let n = 0; n < MAX_DAYS_SEARCHED; n++, day++) {
      const plan = planOf(day)
      const last = plan.ends.length - 1
      if (last < 0 || (plan.ends[last] as number) <= cursor) continue
      if ((plan.starts[0] as number) >= cursor && plan.total < remaining) {
        remaining -= plan.total
        cursor = plan.ends[last] as number
        continue
      }
      for (let i = 0; i <= last; i++) {
        const s = Math.max(plan.starts[i] as number, cursor)
        const e = plan.ends[i] as number
        if (e <= s) continue
        if (remaining <= e - s) return s + remaining
        remaining -= e - s
        cursor = e
      }
    }
    throw new RangeError(`Calendar ${version.id} has no working time within ${MAX_DAYS_SEARCHED} days of ${instantOf(from)}`)
  }

  const workingBetween = (from: number, to: number): number => {
    if (to <= from) return 0
    let total = 0
    const lastDay = latestDayOf(to)
    for (let day = earliestDayOf(from); day <= lastDay; day++) {
      const plan = planOf(day)
      const last = plan.ends.length - 1
      if (last < 0) continue
      if ((plan.starts[0] as number) >= from && (plan.ends[last] as number) <= to) {
        total += plan.total
        continue
      }
      for (let i = 0; i <= last; i++) {
        const overlap = Math.min(plan.ends[i] as number, to) - Math.max(plan.starts[i] as number, from)
        if (overlap > 0) total += overlap
      }
    }
    return total
  }

  const isWorking = (ms: number): boolean => {
    for (let d = earliestDayOf(ms); d <= latestDayOf(ms); d++) {
      const plan = planOf(d)
      for (let i = 0; i < plan.starts.length; i++) {
        if ((plan.starts[i] as number) <= ms && ms < (plan.ends[i] as number)) return true
      }
    }
    return false
  }

  const nextWorking = (ms: number): number => {
    if (isWorking(ms)) return ms
    let day = earliestDayOf(ms)
    for (let n = 0; n < MAX_DAYS_SEARCHED; n++, day++) {
      const plan = planOf(day)
      for (const s of plan.starts) if (s >= ms) return s
    }
    throw new RangeError(`Calendar ${version.id} has no working time within ${MAX_DAYS_SEARCHED} days of ${instantOf(ms)}`)
  }

  return {
    id: version.id,
    timeZone: version.timeZone,
    effectiveFrom: version.effectiveFrom,
    addBusinessMinutes: (start, minutes) => {
      if (!Number.isFinite(minutes) || minutes < 0) {
        throw new RangeError(`addBusinessMinutes: minutes must be a finite number >= 0, got ${minutes}`)
      }
      const amount = Math.round(minutes * MINUTE_MS)
      return amount === 0 ? start : instantOf(addWorking(epochMillis(start), amount))
    },
    businessMinutesBetween: (from, to) => workingBetween(epochMillis(from), epochMillis(to)) / MINUTE_MS,
    isWorkingTime: (at) => isWorking(epochMillis(at)),
    nextWorkingInstant: (at) => {
      const ms = nextWorking(epochMillis(at))
      return ms === epochMillis(at) ? at : instantOf(ms)
    },
    workingIntervalsOn: (date) => {
      const plan = planOf(Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS))
      return plan.starts.map((s, i) => ({ start: instantOf(s), end: instantOf(plan.ends[i] as number) }))
    },
  }
}

// operations

const hoursSpans = (hours: WorkingHours | null): ReadonlyArray<readonly [number, number]> =>
  hours === null ? [] : workingSpans(hours)
