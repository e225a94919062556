import { describe, expect, it } from 'vitest'
import { instant } from '../ticket/ticket.fixture.js'
import { elapsedMeter, pausesUntil, readClock, thresholdReached, type ClockRun } from './clock.js'
import type { BasisPoints } from '../values/basis-points.js'

const run = (pauses: ClockRun['pauses'], target: ClockRun['target'] = { minutes: 120 }): ClockRun => ({
  meter: elapsedMeter,
  start: instant('2024-06-03T10:00:00Z'),
  target,
  pauses,
})

describe('SLA clock on elapsed time', () => {
  it('is due a window after its start, with no pauses', () => {
    expect(readClock(run([]), instant('2024-06-03T10:30:00Z'))).toEqual({
      windowMinutes: 120,
      usedMinutes: 30,
      leftMinutes: 90,
      dueAt: instant('2024-06-03T12:00:00Z'),
    })
  })

  it('merges overlapping pauses and moves the due instant by their union', () => {
    const pauses = [
      { from: instant('2024-06-03T10:30:00Z'), to: instant('2024-06-03T11:00:00Z') },
      { from: instant('2024-06-03T10:45:00Z'), to: instant('2024-06-03T11:15:00Z') },
      { from: instant('2024-06-03T09:00:00Z'), to: instant('2024-06-03T10:10:00Z') },
    ]
    expect(pausesUntil(run(pauses), instant('2024-06-03T12:00:00Z'))).toEqual([
      { from: instant('2024-06-03T10:00:00Z'), to: instant('2024-06-03T10:10:00Z'), open: false },
      { from: instant('2024-06-03T10:30:00Z'), to: instant('2024-06-03T11:15:00Z'), open: false },
    ])
    // 10 minutes before the start (cut at it) and 45 minutes of overlapping pauses: 55 minutes later.
    expect(readClock(run(pauses), instant('2024-06-03T12:00:00Z'))).toMatchObject({ dueAt: instant('2024-06-03T12:55:00Z'), usedMinutes: 65 })
  })

  it('has no due instant while a pause begun before it is open, and ignores pauses begun after the instant asked', () => {
    const open = [{ from: instant('2024-06-03T11:00:00Z') }]
    expect(readClock(run(open), instant('2024-06-03T13:00:00Z'))).toMatchObject({ dueAt: undefined, usedMinutes: 60, leftMinutes: 60 })
    expect(readClock(run(open), instant('2024-06-03T10:59:00Z'))).toMatchObject({ dueAt: instant('2024-06-03T12:00:00Z') })
    // A pause opened after the clock was due does not hide the due instant.
    expect(readClock(run([{ from: instant('2024-06-03T12:30:00Z') }]), instant('2024-06-03T13:00:00Z'))).toMatchObject({ dueAt: instant('2024-06-03T12:00:00Z') })
  })

  it('is due at exactly an agreed instant, pushed back by the pauses before it', () => {
    const until = { until: instant('2024-06-05T18:00:00Z') }
    expect(readClock(run([], until), instant('2024-06-04T00:00:00Z')).dueAt).toBe(instant('2024-06-05T18:00:00Z'))
    const paused = [{ from: instant('2024-06-04T10:00:00Z'), to: instant('2024-06-04T12:30:00Z') }]
    expect(readClock(run(paused, until), instant('2024-06-05T00:00:00Z')).dueAt).toBe(instant('2024-06-05T20:30:00Z'))
  })

  it('reports the highest warning threshold reached', () => {
    const bps = [5000, 8000] as BasisPoints[]
    expect(thresholdReached({ windowMinutes: 100, usedMinutes: 49, leftMinutes: 51, dueAt: undefined }, bps)).toBeUndefined()
    expect(thresholdReached({ windowMinutes: 100, usedMinutes: 50, leftMinutes: 50, dueAt: undefined }, bps)).toBe(5000)
    expect(thresholdReached({ windowMinutes: 100, usedMinutes: 95, leftMinutes: 5, dueAt: undefined }, bps)).toBe(8000)
  })
})
