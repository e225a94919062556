import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { CalendarDefinition, CalendarVersion } from '../calendar/calendar-definition.js'
import { fiveDayWeek, workingHours } from '../calendar/calendar-definition.js'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_2024 } from '../calendar/kazakhstan/kazakhstan-2024.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { stateHoliday } from '../calendar/kazakhstan/kazakhstan-sources.js'
import { instantOf, type Instant } from '../kernel/instant.js'
import { playTicket, recorded, type TicketStep } from '../ticket/ticket.fixture.js'
import type { ObligationState } from './obligation.js'
import { defaultSlaPolicy, type PositiveMinutes, type SlaPolicy } from './sla-policy.js'
import { obligationsOfTicket } from './ticket-obligations.js'

/** Both ticket clocks on business time, pausable, so the calendar and the pauses all matter. */
const businessPolicy: SlaPolicy = {
  ...defaultSlaPolicy,
  deadlineProposal: {
    kinds: ['defect'],
    rules: { default: { ...defaultSlaPolicy.deadlineProposal.rules.default, measure: 'business', pausable: true }, byPriority: {} },
  },
  agreedDeadline: { default: { measure: 'business', pausable: true, warnAtBps: defaultSlaPolicy.agreedDeadline.default.warnAtBps }, byPriority: {} },
}

const registryOf = (definition: CalendarDefinition) => {
  const r = createCalendarRegistry([definition])
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
const shipped = registryOf(KAZAKHSTAN_CALENDAR)
const known = new Set(KAZAKHSTAN_2024.map((d) => d.date as string))

/** The shipped calendar with one more version from `effectiveFrom`: longer hours and extra days off. */
const amended = (effectiveFrom: Instant, extraDaysOff: ReadonlyArray<string>): CalendarDefinition => {
  const version: CalendarVersion = {
    effectiveFrom,
    timeZone: 'Asia/Almaty',
    weeklyHours: fiveDayWeek(workingHours('08:00', '20:00', [['12:00', '12:30']])),
    days: [...KAZAKHSTAN_2024, ...extraDaysOff.filter((d) => !known.has(d)).map((d) => stateHoliday(d, 'A new day off'))],
    note: 'A later change.',
  }
  const versions = [...KAZAKHSTAN_CALENDAR.versions, version].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0))
  return { ...KAZAKHSTAN_CALENDAR, versions }
}

const stepArb: fc.Arbitrary<TicketStep> = fc.record({ choice: fc.nat(999), minutes: fc.integer({ min: 1, max: 900 }), hours: fc.integer({ min: 1, max: 120 }) })
const dayArb = fc.integer({ min: Date.parse('2024-04-01T00:00:00Z'), max: Date.parse('2024-11-29T00:00:00Z') }).map((ms) => new Date(ms).toISOString().slice(0, 10))
const LAST_2024_VERSION_ENDS = Date.parse('2024-11-30T19:00:00.000Z')

const statesAt = (events: Parameters<typeof recorded>[0], at: Instant, registry: typeof shipped): ReadonlyArray<ObligationState> => {
  const r = obligationsOfTicket(recorded(events), at, registry)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('SLA properties', () => {
  it('a calendar change with a later effective date never changes a verdict on a clock that started before it', () => {
    // Counted per run: the share of runs with a clock started before the change is what the property is about.
    let runs = 0
    let runsCompared = 0
    let runsBusinessPaused = 0
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2024-04-01T00:00:00Z'), max: Date.parse('2024-11-01T00:00:00Z') }),
        fc.array(stepArb, { maxLength: 25, size: 'max' }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.uniqueArray(dayArb, { maxLength: 20 }),
        fc.integer({ min: 0, max: 40 * 24 * 60 }),
        (receivedMs, steps, where, extraDaysOff, queryAfterMinutes) => {
          const { events } = playTicket('T-1', instantOf(receivedMs), steps, { slaPolicy: businessPolicy })
          const effectiveMs = Math.floor(receivedMs + 1 + where * (LAST_2024_VERSION_ENDS - receivedMs - 2))
          const changed = registryOf(amended(instantOf(effectiveMs), extraDaysOff))
          const at = instantOf(receivedMs + queryAfterMinutes * 60_000)
          const before = statesAt(events, at, shipped)
          const after = statesAt(events, at, changed)
          const compared = before.filter((s) => Date.parse(s.startedAt) < effectiveMs)
          for (const o of compared) expect(after.find((s) => s.obligation === o.obligation)).toEqual(o)
          runs++
          if (compared.length > 0) runsCompared++
          if (events.some((e) => e.type === 'CustomerAsked' && e.data.pauses.length > 0)) runsBusinessPaused++
        },
      ),
      { numRuns: 150 },
    )
    expect(runsCompared / runs, `clocks started before the change in ${runsCompared} of ${runs} runs`).toBeGreaterThanOrEqual(0.5)
    expect(runsBusinessPaused / runs, `a clock paused by a question in ${runsBusinessPaused} of ${runs} runs`).toBeGreaterThanOrEqual(0.1)
  })

  it('the same change in force before the clock started does change its verdict: the property above is not vacuous', () => {
    const received = instantOf(Date.parse('2024-06-07T17:30:00+05:00'))
    const { events } = playTicket('T-1', received, [], { slaPolicy: businessPolicy })
    const changed = registryOf(amended(instantOf(Date.parse('2024-06-01T00:00:00+05:00')), []))
    const at = instantOf(Date.parse('2024-06-08T12:00:00+05:00'))
    expect(statesAt(events, at, shipped)[0]?.dueAt).toBe('2024-06-10T05:30:00.000Z')
    // Open until 20:00: 120 minutes fit before the end of Friday.
    expect(statesAt(events, at, changed)[0]?.dueAt).toBe('2024-06-07T14:30:00.000Z')
  })
  it('a verdict once met or breached stays the same at every later instant; a breach only gains the late stop as evidence', () => {
    const byPriority: SlaPolicy = {
      ...businessPolicy,
      deadlineProposal: {
        kinds: ['defect'],
        rules: {
          default: businessPolicy.deadlineProposal.rules.default,
          byPriority: {
            urgent: { ...defaultSlaPolicy.deadlineProposal.rules.default, minutes: 30 as PositiveMinutes },
            low: { ...defaultSlaPolicy.deadlineProposal.rules.default, minutes: 600 as PositiveMinutes, pausable: true },
          },
        },
      },
    }
    let runs = 0
    const reached = { met: 0, breached: 0 }
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2024-04-01T00:00:00Z'), max: Date.parse('2024-11-01T00:00:00Z') }),
        fc.array(stepArb, { maxLength: 25 }),
        fc.constantFrom(...(['low', 'normal', 'urgent'] as const)),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 * 24 * 60 }), { minLength: 2, maxLength: 12 }),
        (receivedMs, steps, priority, offsets) => {
          const { events } = playTicket('T-1', instantOf(receivedMs), steps, { slaPolicy: byPriority, priority })
          const instants = [...offsets].sort((a, b) => a - b).map((m) => instantOf(receivedMs + m * 60_000))
          const final = new Map<string, ObligationState>()
          runs++
          for (const t of instants) {
            for (const o of statesAt(events, t, shipped)) {
              const earlier = final.get(o.obligation)
              if (earlier?.status === 'met') expect(o).toEqual(earlier)
              else if (earlier !== undefined) {
                expect(o).toMatchObject({ status: 'breached', dueAt: earlier.dueAt, startedAt: earlier.startedAt, windowMinutes: earlier.windowMinutes })
                expect(o.evidence.slice(0, earlier.evidence.length)).toEqual(earlier.evidence)
              } else if (o.status === 'met' || o.status === 'breached') {
                final.set(o.obligation, o)
              }
            }
          }
          // A run counts once for each verdict it settles on and then watches at a later instant.
          if ([...final.values()].some((o) => o.status === 'met')) reached.met++
          if ([...final.values()].some((o) => o.status === 'breached')) reached.breached++
        },
      ),
      { numRuns: 150 },
    )
    expect(reached.met / runs, `a verdict settled as met in ${reached.met} of ${runs} runs`).toBeGreaterThanOrEqual(0.12)
    expect(reached.breached / runs, `a verdict settled as breached in ${reached.breached} of ${runs} runs`).toBeGreaterThanOrEqual(0.5)
  })
})
