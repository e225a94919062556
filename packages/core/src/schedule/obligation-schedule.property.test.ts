// The schedule agrees with the ticket clocks' own query at any instant after what it has seen, to the millisecond.
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import type { BasisPoints } from '../values/basis-points.js'
import { addMillis, instantOf, type Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { LedgerEvent } from '../report/ledger-events.js'
import type { ObligationState } from '../sla/obligation.js'
import { defaultSlaPolicy, type PositiveMinutes, type SlaPolicy } from '../sla/sla-policy.js'
import { obligationsOfTicket } from '../sla/ticket-obligations.js'
import type { ContractId, IncidentId } from '../values/domain-ids.js'
import type { IncidentEvent } from '../incident/incident-events.js'
import { incidentObligationsAt, incidentRecords } from '../incident/incident-queries.js'
import type { TicketEvent } from '../ticket/ticket-events.js'
import { playTicket, recorded, type TicketStep } from '../ticket/ticket.fixture.js'
import { inMemoryObligationSchedule } from './in-memory-obligation-schedule.js'
import { scheduledStateAt, type ScheduledObligation } from './obligation-schedule.js'

const registry = (() => {
  const r = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
})()
const bps = (n: number) => n as BasisPoints
const minutes = (n: number) => n as PositiveMinutes

/** Priorities with their own windows and thresholds, on business time and pausable: retargets, pauses and the calendar all matter. */
const policies: ReadonlyArray<SlaPolicy> = [
  defaultSlaPolicy,
  {
    ...defaultSlaPolicy,
    deadlineProposal: {
      kinds: ['defect', 'consultation'],
      rules: {
        default: { measure: 'business', minutes: minutes(240), pausable: true, warnAtBps: [bps(5000), bps(8000)] },
        byPriority: {
          urgent: { measure: 'elapsed', minutes: minutes(60), pausable: false, warnAtBps: [bps(2500), bps(7500), bps(9000)] },
          low: { measure: 'business', minutes: minutes(960), pausable: true, warnAtBps: [] },
        },
      },
    },
    agreedDeadline: {
      default: { measure: 'business', pausable: true, warnAtBps: [bps(6000), bps(9000)] },
      byPriority: { high: { measure: 'elapsed', pausable: true, warnAtBps: [bps(3333)] } },
    },
  },
]

const stepArb: fc.Arbitrary<TicketStep> = fc.record({ choice: fc.nat(999), minutes: fc.integer({ min: 1, max: 600 }), hours: fc.integer({ min: 1, max: 96 }) })
const ticketArb = fc.record({
  policy: fc.nat(policies.length - 1),
  startMs: fc.integer({ min: Date.parse('2024-02-01T00:00:00Z'), max: Date.parse('2024-10-01T00:00:00Z') }),
  steps: fc.array(stepArb, { maxLength: 12 }),
})

const byKey = (s: { readonly subject: { readonly id: string }; readonly obligation: string }) => `${s.subject.id}|${s.obligation}`
const stateOf = (s: ObligationState) => (s.status === 'warned' ? { status: 'warned', thresholdBps: s.thresholdBps } : { status: s.status })
const isOpen = (s: ObligationState) => s.status === 'pending' || s.status === 'warned' || (s.status === 'breached' && s.stoppedAt === undefined)

describe('obligation schedule', () => {
  it('property: at any instant from its subject`s last event on, each scheduled obligation has the state, due instant and threshold the query gives, and the query has no other open one', async () => {
    const seen = { warned: 0, breached: 0, pending: 0, paused: 0, unagreed: 0, awaiting: 0, warningsChecked: 0 }
    await fc.assert(
      fc.asyncProperty(fc.array(ticketArb, { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 30 * 24 * 60 }), { minLength: 1, maxLength: 4 }), async (tickets, offsets) => {
        const schedule = inMemoryObligationSchedule({ calendars: registry })
        const histories = tickets.map((t, i) => {
          const id = `T-${i}`
          const { events } = playTicket(id, instantOf(t.startMs), t.steps, { slaPolicy: policies[t.policy]! })
          return { id, events: recorded(events, `ticket-${id}`) as ReadonlyArray<RecordedEvent<TicketEvent>> }
        })
        // Interleaved as a global log would hold them.
        const log = histories.flatMap((h) => h.events).sort((a, b) => (a.data.at < b.data.at ? -1 : a.data.at > b.data.at ? 1 : 0))
        await schedule.handle(log as ReadonlyArray<RecordedEvent<LedgerEvent>>)
        const rows = schedule.all()
        expect(schedule.problems()).toEqual([])
        for (const h of histories) {
          const mine = rows.filter((r) => r.subject.id === h.id)
          const knownAt = h.events.reduce((m, e) => (e.data.at > m ? e.data.at : m), h.events[0]!.data.at)
          // Random instants ahead, and each row's own edges: one millisecond either side of every instant it names.
          const edges = mine.flatMap((r: ScheduledObligation) => [...r.warnings.map((w) => w.at), ...(r.dueAt === undefined ? [] : [r.dueAt])])
          const instants: Instant[] = [knownAt, ...offsets.map((m) => addMillis(knownAt, m * 60_000)), ...edges.flatMap((e) => [addMillis(e, -1), e, addMillis(e, 1)])].filter((i) => i >= knownAt)
          seen.warningsChecked += mine.reduce((n, r) => n + r.warnings.length, 0)
          for (const at of instants) {
            const q = obligationsOfTicket(h.events, at, registry)
            if (E.isLeft(q)) throw new Error(q.left.message)
            const open = q.right.filter(isOpen)
            expect(mine.map(byKey).sort()).toEqual(open.map(byKey).sort())
            for (const s of open) {
              const row = mine.find((r) => byKey(r) === byKey(s))!
              expect(scheduledStateAt(row, at)).toEqual(stateOf(s))
              expect(row.dueAt).toEqual(s.dueAt)
              expect(row.contractId).toBe(s.contractId)
              expect(row.clause).toBe(s.clause)
              seen[s.status === 'warned' ? 'warned' : s.status === 'breached' ? 'breached' : 'pending']++
              // No due instant yet: paused by an open question, or a fix owed by a deadline not yet agreed.
              if (s.status !== 'met' && s.status !== 'breached' && s.dueAt === undefined) seen[s.pausedBy.length > 0 ? 'paused' : 'unagreed']++
              if ((s.status === 'pending' || s.status === 'warned') && s.awaiting !== undefined) seen.awaiting++
            }
          }
        }
        // A replay from nothing gives the same rows.
        await schedule.reset()
        await schedule.handle(log as ReadonlyArray<RecordedEvent<LedgerEvent>>)
        expect(schedule.all()).toEqual(rows)
      }),
      { numRuns: 120 },
    )
    // Each state the schedule must predict is reached often enough to be tested.
    expect(seen.warned).toBeGreaterThan(50)
    expect(seen.breached).toBeGreaterThan(50)
    expect(seen.pending).toBeGreaterThan(50)
    expect(seen.paused).toBeGreaterThan(5)
    expect(seen.unagreed).toBeGreaterThan(50)
    expect(seen.awaiting).toBeGreaterThan(5)
    expect(seen.warningsChecked).toBeGreaterThan(50)
  })

  it('property: the same agreement holds for incidents, on elapsed and business time', async () => {
    const seen = { warned: 0, breached: 0, pending: 0, awaiting: 0, warningsChecked: 0 }
    const ruleArb = fc.record({
      measure: fc.constantFrom('elapsed' as const, 'business' as const),
      minutes: fc.integer({ min: 30, max: 2_880 }).map(minutes),
      pausable: fc.constant(false),
      warnAtBps: fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }).map(bps), { maxLength: 3 }),
    })
    const stepArb = fc.record({ kind: fc.constantFrom('demand', 'arrive', 'restore', 'submit', 'return', 'accept'), minutes: fc.integer({ min: 1, max: 900 }), rule: ruleArb })
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: Date.parse('2024-02-01T00:00:00Z'), max: Date.parse('2024-10-01T00:00:00Z') }),
        fc.array(stepArb, { maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 10 * 24 * 60 }), { minLength: 1, maxLength: 4 }),
        async (startMs, steps, offsets) => {
          const base = (ms: number) => ({ incidentId: 'I-1' as IncidentId, contractId: 'C-1' as ContractId, at: instantOf(ms), actor: { party: 'customer' as const, id: 'c' } })
          const events: IncidentEvent[] = [{ type: 'FailureReported', data: { ...base(startMs), summary: 's', site: 'x', calendarId: 'kz-5day', timeZone: 'Asia/Almaty' } }]
          let ms = startMs
          const has = { demanded: false, arrived: false, restored: false, submitted: 0, pending: false, accepted: false }
          for (const step of steps) {
            ms += step.minutes * 60_000
            if (step.kind === 'demand' && !has.demanded) {
              events.push({ type: 'OnSiteDemanded', data: { ...base(ms), site: 'x', arrivalRule: step.rule } })
              has.demanded = true
            } else if (step.kind === 'arrive' && has.demanded && !has.arrived) {
              events.push({ type: 'EngineerArrived', data: { ...base(ms), engineer: 'e' } })
              has.arrived = true
            } else if (step.kind === 'restore' && !has.restored) {
              events.push({ type: 'ServiceRestored', data: { ...base(ms), note: 'n', reportRule: step.rule, calendarId: 'kz-5day' } })
              has.restored = true
            } else if (step.kind === 'submit' && has.restored && !has.pending && !has.accepted) {
              has.submitted++
              events.push({ type: 'FailureReportSubmitted', data: { ...base(ms), report: { summary: 's', rootCauses: [], preventiveMeasures: [], timeline: [] }, revision: has.submitted } })
              has.pending = true
            } else if (step.kind === 'return' && has.pending) {
              events.push({ type: 'FailureReportReturned', data: { ...base(ms), reason: 'r', revision: has.submitted } })
              has.pending = false
            } else if (step.kind === 'accept' && has.pending) {
              events.push({ type: 'FailureReportAccepted', data: { ...base(ms), revision: has.submitted } })
              has.pending = false
              has.accepted = true
            }
          }
          const log = events.map(
            (event, i) =>
              ({ ...event, streamId: 'incident-I-1', streamVersion: i + 1, globalPosition: i + 1, eventId: `incident-I-1/${i + 1}`, schemaVersion: 1, metadata: { actor: event.data.actor, at: event.data.at } }) as RecordedEvent<IncidentEvent>,
          )
          const schedule = inMemoryObligationSchedule({ calendars: registry })
          await schedule.handle(log as ReadonlyArray<RecordedEvent<LedgerEvent>>)
          expect(schedule.problems()).toEqual([])
          const rows = schedule.all()
          const knownAt = instantOf(ms)
          const edges = rows.flatMap((r) => [...r.warnings.map((w) => w.at), ...(r.dueAt === undefined ? [] : [r.dueAt])])
          seen.warningsChecked += rows.reduce((n, r) => n + r.warnings.length, 0)
          const instants = [knownAt, ...offsets.map((m) => addMillis(knownAt, m * 60_000)), ...edges.flatMap((e) => [addMillis(e, -1), e, addMillis(e, 1)])].filter((i) => i >= knownAt)
          for (const at of instants) {
            const q = incidentObligationsAt(incidentRecords(log, at), at, registry)
            if ('_tag' in q) throw new Error(q.message)
            const open = q.filter(isOpen)
            expect(rows.map(byKey).sort()).toEqual(open.map(byKey).sort())
            for (const s of open) {
              const row = rows.find((r) => byKey(r) === byKey(s))!
              expect(scheduledStateAt(row, at)).toEqual(stateOf(s))
              expect(row.dueAt).toEqual(s.dueAt)
              seen[s.status === 'warned' ? 'warned' : s.status === 'breached' ? 'breached' : 'pending']++
              if ((s.status === 'pending' || s.status === 'warned') && s.awaiting !== undefined) seen.awaiting++
            }
          }
        },
      ),
      { numRuns: 150 },
    )
    expect(seen.warned).toBeGreaterThan(30)
    expect(seen.breached).toBeGreaterThan(30)
    expect(seen.pending).toBeGreaterThan(30)
    expect(seen.awaiting).toBeGreaterThan(5)
    expect(seen.warningsChecked).toBeGreaterThan(30)
  })
})
