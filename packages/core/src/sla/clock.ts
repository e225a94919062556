/** An SLA clock: minutes of elapsed or business time from a start, less pauses, against a window. */
import type { BusinessCalendar } from '../calendar/business-calendar.js'
import { addMillis, epochMillis, type Instant } from '../kernel/instant.js'
import type { BasisPoints } from '../values/basis-points.js'

// model

/** How a clock measures time: elapsed minutes, or working minutes on one calendar version. */
export interface ClockMeter {
  /** Minutes in `[from, to)`; 0 when `to <= from`. */
  readonly between: (from: Instant, to: Instant) => number
  /** The instant `minutes` after `from`. */
  readonly add: (from: Instant, minutes: number) => Instant
}

/** A stretch when the clock does not run; `to` is absent while it lasts. */
export interface ClockPause {
  readonly from: Instant
  readonly to?: Instant | undefined
}

/** One run of a clock, everything known up to the instant asked about. */
export interface ClockRun {
  readonly meter: ClockMeter
  readonly start: Instant
  /** A fixed window in minutes, or a due instant (an agreed deadline) that pauses push back. */
  readonly target: { readonly minutes: number } | { readonly until: Instant }
  readonly pauses: ReadonlyArray<ClockPause>
}

/** What a run shows at an instant, before any stop is taken into account. */
export interface ClockReading {
  readonly windowMinutes: number
  readonly usedMinutes: number
  readonly leftMinutes: number
  /** Absent while a pause that began before the due instant is still open. */
  readonly dueAt: Instant | undefined
}

// constructors

/** Counts every minute, day and night: for windows the contract measures in elapsed time. */
export const elapsedMeter: ClockMeter = {
  between: (from, to) => Math.max(0, epochMillis(to) - epochMillis(from)) / 60_000,
  add: (from, minutes) => addMillis(from, Math.round(minutes * 60_000)),
}

/** Counts only the working minutes of a business calendar: for windows the contract measures in business time. */
export const businessMeter = (calendar: BusinessCalendar): ClockMeter => ({
  between: (from, to) => calendar.businessMinutesBetween(from, to),
  add: (from, minutes) => calendar.addBusinessMinutes(from, minutes),
})

// operations

const later = (a: Instant, b: Instant): Instant => (a > b ? a : b)

/** Pauses cut to `[start, at]`, open ones closed at `at`, overlaps merged, in order. */
export const pausesUntil = (run: ClockRun, at: Instant): ReadonlyArray<{ readonly from: Instant; readonly to: Instant; readonly open: boolean }> => {
  // Before the start nothing has run, so nothing is paused (a result may be delivered before an agreement).
  if (at < run.start) return []
  const cut = run.pauses
    .filter((p) => p.from <= at && (p.to === undefined || p.to > run.start))
    .map((p) => ({ from: later(p.from, run.start), to: p.to === undefined || p.to > at ? at : p.to, open: p.to === undefined || p.to > at }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
  const merged: Array<{ from: Instant; to: Instant; open: boolean }> = []
  for (const p of cut) {
    const prev = merged[merged.length - 1]
    if (prev !== undefined && p.from <= prev.to) {
      prev.to = later(prev.to, p.to)
      prev.open = prev.open || p.open
    } else merged.push({ from: p.from, to: p.to, open: p.open })
  }
  return merged
}

const windowOf = (run: ClockRun): number => ('minutes' in run.target ? run.target.minutes : run.meter.between(run.start, run.target.until))

/**
 * Reads the clock at `at`, counting only pauses begun by then. The due instant walks the
 * window forward, skipping each pause; with no pause before it, an agreed deadline is due
 * at exactly that instant.
 */
export const readClock = (run: ClockRun, at: Instant): ClockReading => {
  const window = windowOf(run)
  const pauses = pausesUntil(run, at)
  const paused = pauses.reduce((sum, p) => sum + run.meter.between(p.from, p.to), 0)
  const used = Math.max(0, run.meter.between(run.start, later(at, run.start)) - paused)

  // Walk the window forward from the start, skipping each pause begun before the window ran out.
  // An agreed instant is walked as its window too, then never let to come earlier than itself.
  let dueAt: Instant | undefined
  let remaining = window
  let cursor = run.start
  let pausedNow = false
  for (const p of pauses) {
    const candidate = run.meter.add(cursor, remaining)
    if (candidate <= p.from) {
      dueAt = candidate
      break
    }
    remaining -= run.meter.between(cursor, p.from)
    if (p.open) {
      pausedNow = true
      break
    }
    cursor = p.to
  }
  if (dueAt === undefined && !pausedNow) dueAt = run.meter.add(cursor, remaining)
  return { windowMinutes: window, usedMinutes: used, leftMinutes: Math.max(0, window - used), dueAt: dueAt === undefined ? undefined : notBeforeTarget(run, dueAt) }
}

/**
 * A pause only ever pushes a due instant back. Walking business minutes from a pause lands on
 * the end of a working minute, which can be before an agreed instant set outside working hours
 * (a deadline at 20:00 would come back to 18:00 after a zero-length pause at 11:00).
 */
const notBeforeTarget = (run: ClockRun, due: Instant): Instant => ('until' in run.target ? later(due, run.target.until) : due)

/**
 * The due instant in force at `at`: what every rule that compares with a deadline must use,
 * so that a decider and a verdict never disagree. Undefined while a pause begun before it is open.
 */
export const dueInForce = (run: ClockRun, at: Instant): Instant | undefined => readClock(run, at).dueAt

/**
 * The due instant of a run stopped at `stop`. With a pause open at the stop, the stop came
 * within the window: the due is the stop plus what was left, never before an agreed instant.
 */
export const dueAtStop = (run: ClockRun, stop: Instant): Instant => {
  const reading = readClock(run, stop)
  return reading.dueAt ?? notBeforeTarget(run, run.meter.add(stop, reading.leftMinutes))
}

/** The highest warning threshold reached, if any. */
export const thresholdReached = (reading: ClockReading, warnAtBps: ReadonlyArray<BasisPoints>): BasisPoints | undefined => {
  if (reading.windowMinutes <= 0) return undefined
  const usedBps = (reading.usedMinutes / reading.windowMinutes) * 10_000
  let reached: BasisPoints | undefined
  for (const bps of warnAtBps) if (usedBps >= bps && (reached === undefined || bps > reached)) reached = bps
  return reached
}

