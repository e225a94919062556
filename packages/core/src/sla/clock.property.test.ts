import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { instantOf, type Instant } from '../kernel/instant.js'
import { businessMeter, dueAtStop, dueInForce, elapsedMeter, pausesUntil, type ClockMeter, type ClockPause, type ClockRun } from './clock.js'

const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
if (E.isLeft(registry)) throw new Error(registry.left.message)
const calendar = registry.right.calendarAt('kz-5day', instantOf(Date.parse('2024-06-01T00:00:00Z')))
if (calendar === undefined) throw new Error('no kz-5day calendar')
const business = businessMeter(calendar)

const MINUTE = 60_000
const base = Date.parse('2024-06-03T00:00:00Z')
const at = (minutes: number): Instant => instantOf(base + minutes * MINUTE)

/** Minutes after the start on a quarter-hour or an odd minute, so instants fall in and out of working hours. */
const offset = fc.oneof(fc.integer({ min: 0, max: 6 * 24 * 4 }).map((q) => q * 15), fc.integer({ min: 0, max: 6 * 24 * 60 }))
const pauseArb: fc.Arbitrary<ClockPause> = fc
  .record({ from: offset, length: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 48 * 60 })), open: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) })
  .map(({ from, length, open }) => (open ? { from: at(from) } : { from: at(from), to: at(from + length) }))

/** The pause added: closed (an answered question), within two days of the clock's start, zero-length in about half the runs. */
const closedPauseArb = fc.record({ after: fc.integer({ min: -60, max: 2 * 24 * 60 }), length: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 48 * 60 })) })

interface Case {
  readonly meter: 'elapsed' | 'business'
  readonly start: number
  readonly target: { readonly minutes: number } | { readonly until: number }
  readonly pauses: ReadonlyArray<ClockPause>
  readonly stop: number
}
const caseArb: fc.Arbitrary<Case> = fc.record({
  meter: fc.constantFrom('elapsed' as const, 'business' as const),
  start: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  target: fc.oneof(fc.integer({ min: 1, max: 5 * 8 * 60 }).map((minutes) => ({ minutes })), offset.map((m) => ({ until: m + 1 }))),
  pauses: fc.array(pauseArb, { maxLength: 4 }),
  stop: offset,
})

const meterOf = (c: Case): ClockMeter => (c.meter === 'elapsed' ? elapsedMeter : business)
const runOf = (c: Case, pauses: ReadonlyArray<ClockPause>): ClockRun => {
  const start = at(c.start)
  const target = 'minutes' in c.target ? c.target : { until: at(Math.max(c.start + 1, c.target.until)) }
  return { meter: meterOf(c), start, target, pauses }
}
const windowMinutes = (c: Case): number => ('minutes' in c.target ? c.target.minutes : 0)
const pausedMinutes = (run: ClockRun, until: Instant): number => pausesUntil(run, until).reduce((sum, p) => sum + run.meter.between(p.from, p.to), 0)

describe('SLA clock properties: pauses', () => {
  it('a pause never brings a due instant forward: adding one never makes the due earlier', () => {
    const reached = { paused: 0, business: 0, agreedOutsideHours: 0, zeroLength: 0, pushedBack: 0 }
    let runs = 0
    fc.assert(
      fc.property(caseArb, closedPauseArb, (c, added) => {
        runs++
        const extra: ClockPause = { from: at(c.start + added.after), to: at(c.start + added.after + added.length) }
        const without = runOf(c, c.pauses)
        const withIt = runOf(c, [...c.pauses, extra])
        if (c.meter === 'business') reached.business++
        if ('until' in without.target && !calendar.isWorkingTime(without.target.until)) reached.agreedOutsideHours++
        if (extra.to !== undefined && extra.to === extra.from) reached.zeroLength++
        const asked = at(c.stop)
        // With no pause at all, the due instant is the agreed one, or the window walked from the start.
        const plain = runOf(c, [])
        const unpaused = dueInForce(plain, asked)
        expect(unpaused).toBe('until' in plain.target ? plain.target.until : plain.meter.add(plain.start, windowMinutes(c)))
        const before = dueInForce(without, asked)
        const after = dueInForce(withIt, asked)
        if (after !== undefined && unpaused !== undefined) expect(after >= unpaused).toBe(true)
        if (after !== undefined && before !== undefined) {
          reached.paused++
          expect(after >= before).toBe(true)
          if (after > before) reached.pushedBack++
        }
        // Stopped at any instant, the due instant with the pause is never before the one without.
        expect(dueAtStop(withIt, asked) >= dueAtStop(without, asked)).toBe(true)
      }),
      { numRuns: 2000 },
    )
    // The generator reaches the states the property is about, in a stated share of runs.
    expect(reached.business / runs).toBeGreaterThan(0.4)
    expect(reached.agreedOutsideHours / runs).toBeGreaterThan(0.1)
    expect(reached.zeroLength / runs).toBeGreaterThan(0.1)
    expect(reached.paused / runs).toBeGreaterThan(0.3)
    expect(reached.pushedBack / runs).toBeGreaterThan(0.05)
  })

  it('closing a pause never turns a breach into met unless the paused time covers the lateness', () => {
    let runs = 0
    let rescued = 0
    let stillLate = 0
    fc.assert(
      fc.property(caseArb, (c) => {
        runs++
        const stop = at(c.stop)
        const plain = runOf(c, [])
        const paused = runOf(c, c.pauses)
        const dueWithout = dueAtStop(plain, stop)
        const dueWith = dueAtStop(paused, stop)
        const metWithout = stop <= dueWithout
        const metWith = stop <= dueWith
        if (!metWithout && metWith) {
          rescued++
          // The time the clock stood still before the stop is at least how late the stop was without it.
          const lateness = paused.meter.between(dueWithout, stop)
          expect(pausedMinutes(paused, stop) + 1e-9).toBeGreaterThanOrEqual(lateness)
        }
        if (!metWithout && !metWith) stillLate++
        // And a pause never turns met into breached.
        if (metWithout) expect(metWith).toBe(true)
      }),
      { numRuns: 3000 },
    )
    expect(rescued / runs).toBeGreaterThan(0.02)
    expect(stillLate / runs).toBeGreaterThan(0.1)
  })
})
