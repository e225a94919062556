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
import { fold } from '../kernel/decider.js'
import type { TicketEvent } from '../ticket/ticket-events.js'
import type { Decider } from '../kernel/decider.js'
import type { TicketCommand } from '../ticket/ticket-commands.js'
import { ticketDeciderOn, type TicketState } from '../ticket/ticket-decider.js'
import type { TicketError } from '../ticket/ticket-errors.js'
import { historyOf, playTicket, recorded, supplier, ticketCommands, type TicketStep } from '../ticket/ticket.fixture.js'
import { businessMeter, pausesUntil, type ClockPause } from './clock.js'
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
    let compared = 0
    let runs = 0
    let runsCompared = 0
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2024-04-01T00:00:00Z'), max: Date.parse('2024-11-01T00:00:00Z') }),
        fc.array(stepArb, { maxLength: 25 }),
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
          runs++
          const started = before.filter((s) => Date.parse(s.startedAt) < effectiveMs)
          if (started.length > 0) runsCompared++
          for (const o of started) {
            compared++
            expect(after.find((s) => s.obligation === o.obligation)).toEqual(o)
          }
        },
      ),
      { numRuns: 150 },
    )
    // Every run compares at least one clock that started before the change (both ticket clocks open at receipt), about two per run.
    expect(runsCompared / runs).toBeGreaterThan(0.9)
    expect(compared / runs).toBeGreaterThan(1)
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
    let settled = 0
    let runs = 0
    let settledRuns = 0
    let breachStopped = 0
    let breachWatchedAsRecordGrew = 0
    let stopAfterRecords = 0
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2024-04-01T00:00:00Z'), max: Date.parse('2024-11-01T00:00:00Z') }),
        fc.array(stepArb, { minLength: 20, maxLength: 60 }),
        fc.constantFrom(...(['low', 'normal', 'urgent'] as const)),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 * 24 * 60 }), { minLength: 2, maxLength: 12 }),
        fc.constantFrom(...(['agreement', 'proposal'] as const)),
        (receivedMs, steps, priority, offsets, metBy) => {
          runs++
          const slaPolicy = { ...byPriority, deadlineProposal: { ...byPriority.deadlineProposal, metBy } }
          const { events } = playTicket('T-1', instantOf(receivedMs), steps, { slaPolicy, priority })
          const instants = [...offsets].sort((a, b) => a - b).map((m) => instantOf(receivedMs + m * 60_000))
          const final = new Map<string, ObligationState>()
          const settledBefore = settled
          let grew = false
          let stoppedRun = false
          let recordedWhileAwaiting = false
          let previous: Instant | undefined
          for (const t of instants) {
            const recordGrew = previous !== undefined && events.some((e) => e.data.at > (previous as string) && e.data.at <= t)
            previous = t
            for (const o of statesAt(events, t, shipped)) {
              // Evidence carries the event, its instant and its role, nothing the query used to select it.
              for (const e of o.evidence) expect(Object.keys(e).sort()).toEqual(['at', 'eventId', 'role'])
              const earlier = final.get(o.obligation)
              if (earlier?.status === 'met') expect(o).toEqual(earlier)
              else if (earlier !== undefined) {
                expect(o).toMatchObject({ status: 'breached', dueAt: earlier.dueAt, startedAt: earlier.startedAt, windowMinutes: earlier.windowMinutes })
                if (o.status === 'breached' && earlier.status === 'breached' && o.stoppedAt !== undefined && earlier.stoppedAt === undefined) {
                  stoppedRun = true
                  // The shape that used to change a breach: events recorded between the late delivery and its acceptance.
                  const acceptedAt = o.evidence.at(-1)?.at
                  const stoppedAt = o.stoppedAt
                  if (acceptedAt !== undefined && events.some((e) => e.data.at > stoppedAt && e.data.at < acceptedAt)) recordedWhileAwaiting = true
                }
                if (earlier.status === 'breached' && recordGrew) grew = true
                // Every event cited before is still cited, in the same place and role; all a breach
                // gains is its late stop (the accepted delivery) and the acceptance.
                expect(o.evidence.slice(0, earlier.evidence.length)).toEqual(earlier.evidence)
                // The stop of clause 2 may be the agreement itself, with no acceptance.
                const gained = o.evidence.slice(earlier.evidence.length).map((e) => e.role)
                const stoppedSince = o.status === 'breached' && earlier.status === 'breached' && o.stoppedAt !== undefined && earlier.stoppedAt === undefined
                expect(stoppedSince ? [['stopped'], ['stopped', 'accepted']] : [[]]).toContainEqual(gained)
              } else if (o.status === 'met' || o.status === 'breached') {
                settled++
                final.set(o.obligation, o)
              }
            }
          }
          if (settled > settledBefore) settledRuns++
          if (grew) breachWatchedAsRecordGrew++
          if (stoppedRun) breachStopped++
          if (recordedWhileAwaiting) stopAfterRecords++
        },
      ),
      { numRuns: 300 },
    )
    // Histories of 20 to 60 steps, so events keep coming after a verdict settles. Shares measured over
    // 3,000 runs: a verdict settles in 99.8%; a breach is read again after more events in 43%; a breach
    // gains its late stop in 26%, and in 12% with events recorded between the late delivery and its
    // acceptance (the case that once changed a breach's evidence). Thresholds lie four standard deviations below.
    expect(settledRuns / runs, `a verdict settled in ${settledRuns} of ${runs} runs`).toBeGreaterThan(0.9)
    expect(breachWatchedAsRecordGrew / runs, `a breach read again after more events in ${breachWatchedAsRecordGrew} of ${runs} runs`).toBeGreaterThan(0.3)
    expect(breachStopped / runs, `a breach gained its late stop in ${breachStopped} of ${runs} runs`).toBeGreaterThan(0.15)
    expect(stopAfterRecords / runs, `events between a late delivery and its acceptance in ${stopAfterRecords} of ${runs} runs`).toBeGreaterThan(0.04)
  })
})

/**
 * A defect's life as a script: a deadline proposed and (mostly) agreed, questions asked and
 * (mostly) answered, results delivered and accepted or rejected, at random minutes. Commands the
 * decider refuses are left out, so the history is always valid; the shares below say how often
 * it reaches an agreed deadline that a question paused.
 */
const scriptArb = fc.record({
  receivedMs: fc.integer({ min: Date.parse('2024-04-01T00:00:00Z'), max: Date.parse('2024-11-01T00:00:00Z') }),
  proposeAfter: fc.integer({ min: 1, max: 240 }),
  agreeAfter: fc.option(fc.integer({ min: 1, max: 240 }), { freq: 5 }),
  deadlineMinutes: fc.integer({ min: 60, max: 5 * 24 * 60 }),
  questions: fc.array(fc.record({ after: fc.integer({ min: 0, max: 5 * 24 * 60 }), answerAfter: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { freq: 5 }) }), { maxLength: 3 }),
  deliveries: fc.array(
    fc.record({
      after: fc.integer({ min: 0, max: 8 * 24 * 60 }),
      /** Counted from a day before the agreed deadline instead of from receipt: near the boundary. */
      nearDeadline: fc.boolean(),
      verdictAfter: fc.integer({ min: 1, max: 24 * 60 }),
      accepted: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
})
type Script = typeof scriptArb extends fc.Arbitrary<infer S> ? S : never

const playScript = (script: Script, policy: SlaPolicy, decider: Decider<TicketCommand, TicketState, TicketEvent, TicketError>): ReadonlyArray<TicketEvent> => {
  const C = ticketCommands('T-1')
  const at = (minutes: number) => new Date(script.receivedMs + minutes * 60_000).toISOString()
  const deadline = at(script.proposeAfter + script.deadlineMinutes)
  const timed: Array<{ readonly minutes: number; readonly command: TicketCommand }> = [{ minutes: script.proposeAfter, command: C.propose(at(script.proposeAfter), deadline) }]
  if (script.agreeAfter !== null) timed.push({ minutes: script.proposeAfter + script.agreeAfter, command: C.agree(at(script.proposeAfter + script.agreeAfter), deadline) })
  script.questions.forEach((q, i) => {
    timed.push({ minutes: q.after, command: C.ask(at(q.after), `Q-${i}`) })
    if (q.answerAfter !== null) timed.push({ minutes: q.after + q.answerAfter, command: C.answer(at(q.after + q.answerAfter), `Q-${i}`) })
  })
  script.deliveries.forEach((d, i) => {
    const after = d.nearDeadline ? Math.max(0, script.proposeAfter + script.deadlineMinutes - 24 * 60 + (d.after % (3 * 24 * 60))) : d.after
    timed.push({ minutes: after, command: C.deliver(at(after), `D-${i}`) })
    const verdictAt = at(after + d.verdictAfter)
    timed.push({ minutes: after + d.verdictAfter, command: d.accepted ? C.accept(verdictAt, `D-${i}`) : C.rejectResult(verdictAt, `D-${i}`) })
  })
  const events: TicketEvent[] = [...historyOf([C.file(at(0), { policy })], decider)]
  for (const { command } of timed.sort((a, b) => a.minutes - b.minutes)) {
    const decided = decider.decide(command, fold(decider, events))
    if (E.isRight(decided)) events.push(...decided.right)
  }
  return events
}

describe('SLA properties: pauses and the due instant in force', () => {
  const decider = ticketDeciderOn(shipped)
  const agreedOf = (events: ReadonlyArray<TicketEvent>, at: Instant) => statesAt(events, at, shipped).find((o) => o.obligation === 'agreed-deadline')
  /** The same history with no clock paused by any question: what the record would say had the policy not opted in. */
  const unpaused = (events: ReadonlyArray<TicketEvent>): ReadonlyArray<TicketEvent> =>
    events.map((e) => (e.type === 'CustomerAsked' ? { ...e, data: { ...e.data, pauses: [] } } : e))
  /** Business minutes during which some question paused a clock, up to `until`: the union of the pauses, on the shipped calendar. */
  const pausedMinutes = (events: ReadonlyArray<TicketEvent>, until: Instant) => {
    const open = new Map<string, Instant>()
    const pauses: ClockPause[] = []
    for (const e of events) {
      if (e.data.at > until) break
      // A defect never agreed is judged by the clause 2 window, which its own pauses move.
      if (e.type === 'CustomerAsked' && e.data.pauses.length > 0) open.set(e.data.questionId, e.data.at)
      const from = e.type === 'QuestionAnswered' ? open.get(e.data.questionId) : undefined
      if (e.type === 'QuestionAnswered' && from !== undefined) {
        pauses.push({ from, to: e.data.at })
        open.delete(e.data.questionId)
      }
    }
    for (const from of open.values()) pauses.push({ from })
    const calendar = shipped.calendarAt('kz-5day', until)
    if (calendar === undefined) throw new Error('no kz-5day calendar')
    const meter = businessMeter(calendar)
    const first = pauses.reduce<Instant | undefined>((a, p) => (a === undefined || p.from < a ? p.from : a), undefined) ?? until
    return { meter, minutes: pausesUntil({ meter, start: first, target: { minutes: 1 }, pauses }, until).reduce((sum, p) => sum + meter.between(p.from, p.to), 0) }
  }

  it('by default no question moves the agreed deadline: its due instant is always the deadline agreed', () => {
    let asked = 0
    let runs = 0
    fc.assert(
      fc.property(scriptArb, fc.integer({ min: 0, max: 10 * 24 * 60 }), (script, after) => {
        runs++
        const events = playScript(script, defaultSlaPolicy, decider)
        const at = instantOf(script.receivedMs + after * 60_000)
        const o = agreedOf(events, at)
        const state = fold(decider, events.filter((e) => e.data.at <= at))
        if (o === undefined || state.status === 'unfiled' || state.agreedDeadline === undefined) return
        if (events.some((e) => e.type === 'CustomerAsked' && e.data.at <= at && e.data.at >= (o.startedAt as string))) asked++
        // The deadline in force when the verdict was settled is one both parties agreed.
        const agreedDeadlines = events.flatMap((e) => (e.type === 'DeadlineAgreed' || e.type === 'DeadlineChangeAgreed' ? [e.data.deadline] : []))
        expect(agreedDeadlines).toContain(o.dueAt)
      }),
      { numRuns: 300 },
    )
    // A question asked while the agreed deadline runs: about a third of runs.
    expect(asked / runs).toBeGreaterThan(0.2)
  })

  it('where the policy opts in, a pause never brings the due instant forward, and rescues a late fix only by the time it covered', () => {
    let runs = 0
    let paused = 0
    let rescued = 0
    fc.assert(
      fc.property(scriptArb, fc.integer({ min: 0, max: 10 * 24 * 60 }), (script, after) => {
        runs++
        const events = playScript(script, businessPolicy, decider)
        const at = instantOf(script.receivedMs + after * 60_000)
        const withPauses = agreedOf(events, at)
        const without = agreedOf(unpaused(events), at)
        if (withPauses === undefined || without === undefined) return
        if (withPauses.evidence.some((e) => e.role === 'paused')) paused++
        if (withPauses.dueAt !== undefined && without.dueAt !== undefined) expect(withPauses.dueAt >= without.dueAt).toBe(true)
        if (withPauses.status === 'met' && without.status === 'breached') {
          rescued++
          // Both counted in business minutes, the measure of both clocks here.
          const stood = pausedMinutes(events, withPauses.metAt)
          const lateness = stood.meter.between(without.dueAt, withPauses.metAt)
          expect(stood.minutes + 1e-9).toBeGreaterThanOrEqual(lateness)
        }
        if (without.status === 'met') expect(withPauses.status).toBe('met')
      }),
      { numRuns: 500 },
    )
    // An agreed deadline a question paused: about a fifth of runs; a late fix the pause rescued: about 2%.
    expect(paused / runs).toBeGreaterThan(0.1)
    expect(rescued).toBeGreaterThan(0)
  })

  it('the decider and the verdicts use one due instant: a change is accepted exactly while the clock is not past it, and a refusal names it', () => {
    let probes = 0
    let refused = 0
    let acceptedAfterAgreedInstant = 0
    fc.assert(
      fc.property(scriptArb, fc.integer({ min: 0, max: 3 * 24 * 60 }), (script, wait) => {
        // Every prefix of the history: the decider's state there, probed around the due instant in force.
        const all = playScript(script, businessPolicy, decider)
        for (let n = 1; n <= all.length; n++) {
          const events = all.slice(0, n)
          const state = fold(decider, events)
          if (state.status !== 'open' || state.agreedDeadline === undefined) continue
          const o = agreedOf(events, state.last)
          const due = o?.dueAt
          const C = ticketCommands('T-1')
          // Probe just before, at and just after the due instant in force, and at a random later instant.
          const probesAt = [
            ...(due === undefined ? [] : [Date.parse(due) - 1, Date.parse(due), Date.parse(due) + 1]),
            Date.parse(state.last) + wait * 60_000,
          ].filter((ms) => ms >= Date.parse(state.last))
          for (const ms of probesAt) {
            const t = instantOf(ms)
            const reading = agreedOf(events, t)
            const decided = decider.decide(C.proposeChange(t, instantOf(ms + 7 * 24 * 3_600_000), supplier), state)
            probes++
            const passed = reading?.dueAt !== undefined && t > reading.dueAt
            if (passed) {
              refused++
              expect(decided).toMatchObject({ _tag: 'Left', left: { _tag: 'AgreedDeadlinePassed', deadline: reading.dueAt } })
            } else {
              expect(decided._tag).toBe('Right')
              if (t > state.agreedDeadline) acceptedAfterAgreedInstant++
            }
          }
        }
      }),
      { numRuns: 300 },
    )
    // About 2,000 probes, 40% of them after the due instant in force.
    expect(probes).toBeGreaterThan(1000)
    expect(refused / probes).toBeGreaterThan(0.25)
    // Changes accepted after the agreed instant, within the time its pauses added: the case the decider used to refuse.
    expect(acceptedAfterAgreedInstant).toBeGreaterThan(0)
  })
})
