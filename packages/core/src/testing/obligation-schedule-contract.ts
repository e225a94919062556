/** The obligation schedule contract: one suite that every store of the schedule (in memory, PostgreSQL, PGlite) must pass. */
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { exampleCountersignature, exampleRegistration } from '../contract/contract-fixtures.js'
import { contractDecider } from '../contract/contract-decider.js'
import type { BasisPoints, ContractId, LocalDate } from '../contract/contract-terms.js'
import type { DeliveryId, QuarterLabel, Sha256Hex } from '../delivery/delivery-events.js'
import type { PositiveMinutes } from '../sla/sla-policy.js'
import type { IncidentEvent, IncidentId } from '../incident/incident-events.js'
import { incidentObligationsAt, incidentRecords } from '../incident/incident-queries.js'
import { fold } from '../kernel/decider.js'
import type { EventStore } from '../kernel/event-store.js'
import { addMillis, instantOf, type Instant } from '../kernel/instant.js'
import type { Actor, NewEvent, RecordedEvent } from '../kernel/recorded-event.js'
import type { LedgerEvent } from '../report/ledger-events.js'
import { scheduledStateAt, type ObligationSchedule, type ScheduleAlarm, type ScheduledObligation } from '../schedule/obligation-schedule.js'
import type { ObligationState } from '../sla/obligation.js'
import { defaultSlaPolicy, type SlaPolicy } from '../sla/sla-policy.js'
import { obligationsOfTicket } from '../sla/ticket-obligations.js'
import type { TicketId } from '../ticket/ticket-commands.js'
import type { TicketEvent } from '../ticket/ticket-events.js'

// model

/** A schedule under test, kept from the fixture's log. */
export interface ObligationScheduleFixture {
  readonly store: EventStore<LedgerEvent>
  readonly schedule: ObligationSchedule
  /** Resolves once the schedule has handled the log up to `position`. */
  readonly caughtUp: (position: number) => Promise<void>
  /** Empties the schedule and replays the whole log into it; resolves when it has caught up again. */
  readonly rebuild: () => Promise<void>
  /** Releases what the fixture opened; called after each case. */
  readonly close?: () => Promise<void>
}

// the histories the suite records

const T0 = Date.parse('2025-03-03T04:00:00.000Z')
const at = (minutes: number): Instant => instantOf(T0 + minutes * 60_000)
const customer: Actor = { party: 'customer', id: 'schedule-suite-customer' }
const supplier: Actor = { party: 'supplier', id: 'schedule-suite-supplier' }

/** The default policy pauses nothing; this one lets a question to the customer pause the agreed deadline. */
const pausablePolicy: SlaPolicy = {
  ...defaultSlaPolicy,
  agreedDeadline: { default: { ...defaultSlaPolicy.agreedDeadline.default, pausable: true }, byPriority: {} },
}

const ticket = (ticketId: string, slaPolicy: SlaPolicy = defaultSlaPolicy) => {
  const base = (minutes: number) => ({ ticketId: ticketId as TicketId, at: at(minutes) })
  const ev = (actor: Actor, event: TicketEvent): NewEvent<LedgerEvent> => ({ event, metadata: { actor, occurredAt: event.data.at } })
  return {
    filed: (minutes: number, contractId: string) =>
      ev(customer, {
        type: 'RequestFiled',
        data: {
          ...base(minutes), contractId: contractId as ContractId, kind: 'defect', priority: 'normal', channel: 'redmine', receivedAt: at(minutes),
          subject: 'Report fails to build', calendarId: 'kz-5day', timeZone: 'Asia/Almaty', slaPolicy,
        },
      }),
    proposed: (minutes: number, deadline: Instant) => ev(supplier, { type: 'DeadlineProposed', data: { ...base(minutes), deadline } }),
    agreed: (minutes: number, deadline: Instant) => ev(customer, { type: 'DeadlineAgreed', data: { ...base(minutes), deadline } }),
    // The question pauses what the ticket's policy lets it pause, as the decider records it.
    asked: (minutes: number, questionId: string) =>
      ev(supplier, { type: 'CustomerAsked', data: { ...base(minutes), questionId, question: 'Which server?', pauses: slaPolicy.agreedDeadline.default.pausable ? ['agreed-deadline'] : [] } }),
    answered: (minutes: number, questionId: string) => ev(customer, { type: 'QuestionAnswered', data: { ...base(minutes), questionId, answer: 'The backup one.' } }),
    delivered: (minutes: number, deliveryId: string) => ev(supplier, { type: 'ResultDelivered', data: { ...base(minutes), deliveryId, summary: 'fixed' } }),
    accepted: (minutes: number, deliveryId: string) => ev(customer, { type: 'ResultAccepted', data: { ...base(minutes), deliveryId } }),
  }
}

const incident = (incidentId: string, contractId: string) => {
  const base = (minutes: number, actor: Actor) => ({ incidentId: incidentId as IncidentId, contractId: contractId as ContractId, at: at(minutes), actor })
  const ev = (event: IncidentEvent): NewEvent<LedgerEvent> => ({ event, metadata: { actor: event.data.actor, occurredAt: event.data.at } })
  const rule = (minutes: number, warnAtBps: ReadonlyArray<number>) => ({ measure: 'elapsed' as const, minutes: minutes as PositiveMinutes, pausable: false, warnAtBps: warnAtBps as ReadonlyArray<BasisPoints> })
  return {
    // The failure report's window is fixed when the failure is reported (clause 7): a day, warned at three quarters.
    reported: (minutes: number) =>
      ev({ type: 'FailureReported', data: { ...base(minutes, customer), summary: 'Site down', site: 'Astana', calendarId: 'kz-5day', timeZone: 'Asia/Almaty', reportRule: rule(1440, [7500]) } }),
    demanded: (minutes: number, windowMinutes: number) => ev({ type: 'OnSiteDemanded', data: { ...base(minutes, customer), site: 'Astana', arrivalRule: rule(windowMinutes, [5000]) } }),
    arrived: (minutes: number) => ev({ type: 'EngineerArrived', data: { ...base(minutes, supplier), engineer: 'A. Engineer' } }),
    // Restoration repeats the window fixed at the report; it never restarts the clock.
    restored: (minutes: number) => ev({ type: 'ServiceRestored', data: { ...base(minutes, supplier), note: 'Back up', reportRule: rule(1440, [7500]), calendarId: 'kz-5day' } }),
  }
}

/** A contract of one year, 2025, proposed on 2024-12-20 and countersigned the next day, and its deliveries. */
const contractOf = (contractId: string) => {
  const proposed = contractDecider.decide(
    exampleRegistration({ contractId: contractId as ContractId, term: { start: '2025-01-01' as LocalDate, end: '2025-12-31' as LocalDate }, at: instantOf(Date.parse('2024-12-20T05:00:00Z')) }),
    contractDecider.initialState,
  )
  if (E.isLeft(proposed)) throw new Error(proposed.left.message)
  const countersigned = contractDecider.decide(
    exampleCountersignature({ contractId: contractId as ContractId, at: instantOf(Date.parse('2024-12-21T05:00:00Z')) }),
    fold(contractDecider, proposed.right),
  )
  if (E.isLeft(countersigned)) throw new Error(countersigned.left.message)
  const signed = [...proposed.right, ...countersigned.right]
  const base = (deliveryId: string, iso: string) => ({ contractId: contractId as ContractId, deliveryId: deliveryId as DeliveryId, at: instantOf(Date.parse(iso)), actor: supplier })
  const ev = (event: LedgerEvent): NewEvent<LedgerEvent> => ({ event, metadata: { actor: supplier, occurredAt: (event.data as { at: Instant }).at } })
  return {
    registered: signed.map((event) => ({ event, metadata: { actor: supplier, occurredAt: event.data.at } }) as NewEvent<LedgerEvent>),
    delivered: (deliveryId: string, iso: string, quarter: string) =>
      ev({ type: 'DeliveryRecorded', data: { ...base(deliveryId, iso), quarter: quarter as QuarterLabel, dueAt: at(0), version: '1.0', artifactSha256: 'a'.repeat(64) as Sha256Hex, changes: [] } }),
    rejected: (deliveryId: string, iso: string) => ev({ type: 'DeliveryRejected', data: { ...base(deliveryId, iso), reason: 'does not install' } }),
  }
}

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected success, got ${JSON.stringify(e.left)}`)
  return e.right
}

/** The registry the suite's histories use; pass it to the schedule under test. */
export const scheduleContractCalendars: CalendarRegistry = (() => {
  const r = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
})()

const isOpen = (s: ObligationState) => s.status === 'pending' || s.status === 'warned' || (s.status === 'breached' && s.stoppedAt === undefined)

// the suite

/**
 * Registers the contract tests for one store of the schedule. Contract, ticket and incident ids
 * are the suite's own, so a fixture may hold other data.
 */
export const obligationScheduleContract = (name: string, setup: () => Promise<ObligationScheduleFixture>): void => {
  describe(`ObligationSchedule contract: ${name}`, () => {
    let fixture: ObligationScheduleFixture
    const run = Math.random().toString(36).slice(2, 8)
    let n = 0
    const id = (label: string) => `${label}-${run}-${++n}`
    const positions: number[] = [0]
    const streams = new Map<string, { readonly aggregate: 'ticket' | 'incident'; readonly id: string }>()

    const record = async (streamId: string, ...events: ReadonlyArray<NewEvent<LedgerEvent>>) => {
      const r = right(await fixture.store.append(streamId, events)())
      positions.push(r.toPosition)
      await fixture.caughtUp(r.toPosition)
      return r
    }
    const recordTicket = (ticketId: string, ...events: ReadonlyArray<NewEvent<LedgerEvent>>) => {
      streams.set(`ticket-${ticketId}`, { aggregate: 'ticket', id: ticketId })
      return record(`ticket-${ticketId}`, ...events)
    }
    const recordIncident = (incidentId: string, ...events: ReadonlyArray<NewEvent<LedgerEvent>>) => {
      streams.set(`incident-${incidentId}`, { aggregate: 'incident', id: incidentId })
      return record(`incident-${incidentId}`, ...events)
    }
    const openOf = async (contractId: string) => right(await fixture.schedule.openOf(contractId)())
    const alarms = async (from: Instant, to: Instant) => right(await fixture.schedule.alarmsBetween({ from, to })())
    const eventIdsOf = async (streamId: string) => right(await fixture.store.readStream(streamId)()).events.map((e) => e.eventId)
    const summary = (o: ScheduledObligation) => ({ subject: o.subject.id, obligation: o.obligation, dueAt: o.dueAt, warnings: o.warnings })
    const alarmSummary = (a: ScheduleAlarm) => [a.at, a.kind, a.bps ?? null, a.obligation.subject.id, a.obligation.obligation]

    beforeAll(async () => {
      fixture = await setup()
    })
    afterAll(async () => {
      await fixture?.close?.()
    })

    it('a filed defect is scheduled to have its deadline agreed within two hours, with warnings at half and four fifths, and owes its fix by a deadline not yet known', async () => {
      const contract = id('C')
      const t = id('T')
      const T = ticket(t)
      await recordTicket(t, T.filed(0, contract))
      const [row, fix, ...rest] = await openOf(contract)
      expect(rest).toEqual([])
      expect(row).toMatchObject({
        contractId: contract, subject: { aggregate: 'ticket', id: t }, obligation: 'deadline-proposal', clause: 2, measure: 'elapsed',
        startedAt: at(0), windowMinutes: 120, dueAt: at(120), awaiting: false, knownAt: at(0),
        warnings: [{ bps: 5000, at: at(60) }, { bps: 8000, at: at(96) }],
      })
      expect(row?.openedBy).toEqual(await eventIdsOf(`ticket-${t}`))
      // Clause 3 is owed from the receipt, but until a deadline is agreed it has no due instant: open, listed last, no alarm.
      expect(fix).toMatchObject({ subject: { aggregate: 'ticket', id: t }, obligation: 'agreed-deadline', clause: 3, startedAt: at(0), awaiting: false, warnings: [], knownAt: at(0) })
      expect(fix?.dueAt).toBeUndefined()
      expect((await alarms(at(0), at(100_000))).filter((a) => a.obligation.subject.id === t).map(alarmSummary)).toEqual([
        [at(60), 'warning', 5000, t, 'deadline-proposal'],
        [at(96), 'warning', 8000, t, 'deadline-proposal'],
        [at(120), 'due', null, t, 'deadline-proposal'],
      ])
    })

    it('follows a ticket: a proposal closes nothing, the agreement closes clause 2 and gives the deadline its due instant, a question pauses it where the policy says so, the answer moves it, acceptance closes it', async () => {
      const contract = id('C')
      const t = id('T')
      const T = ticket(t, pausablePolicy)
      await recordTicket(t, T.filed(0, contract), T.proposed(30, at(4000)))
      expect((await openOf(contract)).map(summary)).toEqual([
        { subject: t, obligation: 'deadline-proposal', dueAt: at(120), warnings: [{ bps: 5000, at: at(60) }, { bps: 8000, at: at(96) }] },
        { subject: t, obligation: 'agreed-deadline', dueAt: undefined, warnings: [] },
      ])

      await recordTicket(t, T.agreed(40, at(640)))
      expect((await openOf(contract)).map(summary)).toEqual([
        { subject: t, obligation: 'agreed-deadline', dueAt: at(640), warnings: [{ bps: 5000, at: at(340) }, { bps: 8000, at: at(520) }] },
      ])

      await recordTicket(t, T.asked(50, 'Q-1'))
      // Paused (the policy lets a question pause this clock): neither the due instant nor the warnings ahead are known until the customer answers.
      expect((await openOf(contract)).map(summary)).toEqual([{ subject: t, obligation: 'agreed-deadline', dueAt: undefined, warnings: [] }])

      await recordTicket(t, T.answered(110, 'Q-1'))
      expect((await openOf(contract)).map(summary)).toEqual([
        { subject: t, obligation: 'agreed-deadline', dueAt: at(700), warnings: [{ bps: 5000, at: at(400) }, { bps: 8000, at: at(580) }] },
      ])

      await recordTicket(t, T.delivered(300, 'D-1'))
      expect((await openOf(contract))[0]).toMatchObject({ awaiting: true, dueAt: at(700) })
      await recordTicket(t, T.accepted(360, 'D-1'))
      expect(await openOf(contract)).toEqual([])
    })

    it('on the default policy a question pauses nothing: the due instant and the warnings stay', async () => {
      const contract = id('C')
      const t = id('T')
      const T = ticket(t)
      await recordTicket(t, T.filed(0, contract), T.agreed(40, at(640)), T.asked(50, 'Q-1'))
      expect((await openOf(contract)).map(summary)).toEqual([
        { subject: t, obligation: 'agreed-deadline', dueAt: at(640), warnings: [{ bps: 5000, at: at(340) }, { bps: 8000, at: at(520) }] },
      ])
    })

    it('follows an incident: the failure report is owed from the report, the arrival window opens on demand and closes on arrival; restoration does not restart the report', async () => {
      const contract = id('C')
      const i = id('I')
      const I = incident(i, contract)
      await recordIncident(i, I.reported(0))
      expect((await openOf(contract)).map(summary)).toEqual([{ subject: i, obligation: 'failure-report', dueAt: at(1440), warnings: [{ bps: 7500, at: at(1080) }] }])
      await recordIncident(i, I.demanded(10, 180))
      expect((await openOf(contract)).map(summary)).toEqual([
        { subject: i, obligation: 'on-site-arrival', dueAt: at(190), warnings: [{ bps: 5000, at: at(100) }] },
        { subject: i, obligation: 'failure-report', dueAt: at(1440), warnings: [{ bps: 7500, at: at(1080) }] },
      ])
      await recordIncident(i, I.arrived(120), I.restored(180))
      const rows = await openOf(contract)
      expect(rows.map(summary)).toEqual([{ subject: i, obligation: 'failure-report', dueAt: at(1440), warnings: [{ bps: 7500, at: at(1080) }] }])
      expect(rows[0]).toMatchObject({ clause: 7, startedAt: at(0), knownAt: at(180) })
      expect(rows[0]?.openedBy).toEqual([(await eventIdsOf(`incident-${i}`))[0]])
    })

    it('schedules every quarter of a contract that has no delivery that counts: a delivery closes one, its rejection reopens it', async () => {
      const contract = id('C')
      const K = contractOf(contract)
      await record(`contract-${contract}`, ...K.registered)
      const dues = ['2025-04-10T18:59:59.999Z', '2025-07-10T18:59:59.999Z', '2025-10-10T18:59:59.999Z', '2026-01-10T18:59:59.999Z']
      const quarters = async () => (await openOf(contract)).map((o) => [o.subject.id, o.obligation, o.clause, o.dueAt])
      expect(await quarters()).toEqual(['Q1', 'Q2', 'Q3', 'Q4'].map((q, i) => [`${contract}/2025-${q}`, 'quarterly-delivery', 10, dues[i]]))
      expect((await openOf(contract))[0]?.openedBy).toEqual(await eventIdsOf(`contract-${contract}`))

      await record(`delivery-${contract}`, K.delivered('D-1', '2025-04-05T06:00:00Z', '2025-Q1'))
      expect((await quarters()).map((q) => q[0])).toEqual([`${contract}/2025-Q2`, `${contract}/2025-Q3`, `${contract}/2025-Q4`])
      await record(`delivery-${contract}`, K.rejected('D-1', '2025-04-06T06:00:00Z'))
      expect((await quarters()).map((q) => q[0])).toEqual(['Q1', 'Q2', 'Q3', 'Q4'].map((q) => `${contract}/2025-${q}`))

      const due = (await alarms(instantOf(Date.parse('2025-07-10T00:00:00Z')), instantOf(Date.parse('2025-07-11T00:00:00Z')))).filter((a) => a.obligation.contractId === contract)
      expect(due.map(alarmSummary)).toEqual([[dues[1], 'due', null, `${contract}/2025-Q2`, 'quarterly-delivery']])
      // Past its due instant with nothing delivered, a quarter is breached and stays open.
      expect(scheduledStateAt((await openOf(contract))[0]!, instantOf(Date.parse('2025-04-11T00:00:00Z')))).toEqual({ status: 'breached' })
    })

    it('a query with a bad field is refused by name', async () => {
      const refused = async (te: () => Promise<E.Either<unknown, unknown>>) => {
        const r = await te()
        if (E.isRight(r)) throw new Error('expected a refusal')
        return r.left
      }
      expect(await refused(fixture.schedule.openOf(''))).toMatchObject({ _tag: 'InvalidScheduleQuery', field: 'contractId' })
      expect(await refused(fixture.schedule.alarmsBetween({ from: '2025-03-03' as Instant, to: at(60) }))).toMatchObject({ _tag: 'InvalidScheduleQuery', field: 'from' })
      expect(await refused(fixture.schedule.alarmsBetween({ from: at(60), to: at(0) }))).toMatchObject({ _tag: 'InvalidScheduleQuery', field: 'to' })
      expect(await alarms(at(60), at(60))).toEqual([])
    })

    it('an overdue obligation stays open, breached, until it is stopped', async () => {
      const contract = id('C')
      const t = id('T')
      const T = ticket(t)
      await recordTicket(t, T.filed(0, contract), T.proposed(30, at(4000)))
      // A proposal the customer has not agreed meets nothing: clause 2 is open, and breached from minute 120.
      const rows = await openOf(contract)
      expect(rows.map((r) => [r.obligation, r.dueAt])).toEqual([['deadline-proposal', at(120)], ['agreed-deadline', undefined]])
      expect(scheduledStateAt(rows[0]!, at(200))).toEqual({ status: 'breached' })
      // The late agreement stops clause 2 (breached, closed) and gives clause 3 its due instant.
      await recordTicket(t, T.agreed(200, at(300)))
      expect((await openOf(contract)).map((r) => [r.obligation, r.dueAt])).toEqual([['agreed-deadline', at(300)]])
    })

    it('answers what falls due or crosses a threshold in a window, across contracts, in order of time, from inclusive to exclusive', async () => {
      const a = id('C')
      const b = id('C')
      const t1 = id('T')
      const t2 = id('T')
      const inc = id('I')
      await recordTicket(t1, ticket(t1).filed(0, a))
      await recordTicket(t2, ticket(t2).filed(30, b))
      await recordIncident(inc, incident(inc, b).reported(0), incident(inc, b).demanded(10, 180))
      const ours = (list: ReadonlyArray<ScheduleAlarm>) => list.filter((x) => [t1, t2, inc].includes(x.obligation.subject.id)).map(alarmSummary)
      expect(ours(await alarms(at(60), at(150)))).toEqual([
        [at(60), 'warning', 5000, t1, 'deadline-proposal'],
        [at(90), 'warning', 5000, t2, 'deadline-proposal'],
        [at(96), 'warning', 8000, t1, 'deadline-proposal'],
        [at(100), 'warning', 5000, inc, 'on-site-arrival'],
        [at(120), 'due', null, t1, 'deadline-proposal'],
        [at(126), 'warning', 8000, t2, 'deadline-proposal'],
      ])
      expect(ours(await alarms(at(150), at(190)))).toEqual([[at(150), 'due', null, t2, 'deadline-proposal']])
      expect(ours(await alarms(at(190), addMillis(at(190), 1)))).toEqual([[at(190), 'due', null, inc, 'on-site-arrival']])
      // Clause 7 (no warning on this rule before minute 1080) and clause 3 (no due instant, no alarm) raise nothing in the window.
      expect((await openOf(b)).map((r) => [r.subject.id, r.obligation])).toEqual([
        [t2, 'deadline-proposal'], [inc, 'on-site-arrival'], [inc, 'failure-report'], [t2, 'agreed-deadline'],
      ])
    })

    it('agrees with the obligation queries at any instant after the last event, and a rebuild by replay gives the same rows', async () => {
      const contract = id('C')
      const subjects: Array<{ streamId: string; aggregate: 'ticket' | 'incident'; id: string }> = []
      for (let k = 0; k < 3; k++) {
        const t = id('T')
        const T = ticket(t, pausablePolicy)
        const start = k * 37
        const steps = [T.filed(start, contract), T.agreed(start + 20, at(start + 20 + 300 * (k + 1))), T.asked(start + 25, 'Q'), ...(k === 1 ? [] : [T.answered(start + 95 + k, 'Q')])]
        await recordTicket(t, ...steps)
        subjects.push({ streamId: `ticket-${t}`, aggregate: 'ticket', id: t })
      }
      const i = id('I')
      await recordIncident(i, incident(i, contract).reported(5), incident(i, contract).demanded(6, 240))
      subjects.push({ streamId: `incident-${i}`, aggregate: 'incident', id: i })

      const rows = await openOf(contract)
      const checked = { instants: 0, warned: 0, breached: 0, pending: 0 }
      for (const s of subjects) {
        const events = right(await fixture.store.readStream(s.streamId)()).events
        const knownAt = events.reduce((m, e) => ((e.data as { at: Instant }).at > m ? (e.data as { at: Instant }).at : m), at(0))
        const mine = rows.filter((r) => r.subject.id === s.id)
        const edges = mine.flatMap((r) => [...r.warnings.map((w) => w.at), ...(r.dueAt === undefined ? [] : [r.dueAt])]).flatMap((e) => [addMillis(e, -1), e, addMillis(e, 1)])
        for (const instant of [knownAt, ...edges, addMillis(knownAt, 86_400_000 * 3)].filter((x) => x >= knownAt)) {
          const states =
            s.aggregate === 'ticket'
              ? right(obligationsOfTicket(events as ReadonlyArray<RecordedEvent<TicketEvent>>, instant, scheduleContractCalendars))
              : (incidentObligationsAt(incidentRecords(events as ReadonlyArray<RecordedEvent<IncidentEvent>>, instant), instant, scheduleContractCalendars) as ReadonlyArray<ObligationState>)
          const open = states.filter(isOpen)
          expect(mine.map((r) => r.obligation).sort()).toEqual(open.map((o) => o.obligation).sort())
          for (const o of open) {
            const row = mine.find((r) => r.obligation === o.obligation)!
            expect(scheduledStateAt(row, instant)).toEqual(o.status === 'warned' ? { status: 'warned', thresholdBps: o.thresholdBps } : { status: o.status })
            expect(row.dueAt).toEqual(o.dueAt)
            checked[o.status === 'met' ? 'pending' : o.status]++
          }
          checked.instants++
        }
      }
      // Each state the schedule predicts was met at least once here.
      expect(checked.warned).toBeGreaterThan(0)
      expect(checked.breached).toBeGreaterThan(0)
      expect(checked.pending).toBeGreaterThan(0)

      const everything = async () => ({ open: await openOf(contract), alarms: await alarms(at(-10_000), at(100_000)) })
      const before = await everything()
      await fixture.rebuild()
      expect(await everything()).toEqual(before)
    })
  })
}
