// The schedule's quarters agree with the delivery queries at any instant once every recorded amendment is in force.
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { contractDecider, termsAt } from '../contract/contract-decider.js'
import type { ContractEvent } from '../contract/contract-events.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../testing/contract-fixtures.js'
import type { ContractId } from '../values/domain-ids.js'
import type { LocalDate } from '../values/local-date.js'
import type { DeliveryEvent, DeliveryId, Sha256Hex } from '../delivery/delivery-events.js'
import type { QuarterLabel } from '../values/quarter-label.js'
import { deliveriesAsOf, quarterVerdicts } from '../delivery/delivery-queries.js'
import { quarterSchedule } from '../delivery/quarter-schedule.js'
import { fold } from '../kernel/decider.js'
import { addMillis, instantOf, type Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { LedgerEvent } from '../report/ledger-events.js'
import { inMemoryObligationSchedule } from './in-memory-obligation-schedule.js'
import { scheduledStateAt } from './obligation-schedule.js'

const registry = (() => {
  const r = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
})()
const contractId = 'C-Q' as ContractId
const quarters = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']

const stepArb = fc.record({ kind: fc.constantFrom('record', 'accept', 'reject'), days: fc.integer({ min: 1, max: 60 }), quarter: fc.nat(quarters.length - 1) })

describe('obligation schedule: quarters', () => {
  it('property: each quarter without a delivery that counts is scheduled, with the due instant and state the delivery queries give', async () => {
    const seen = { pending: 0, breached: 0, closed: 0, reopened: 0 }
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { maxLength: 10 }),
        fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
        fc.array(fc.integer({ min: 0, max: 500 * 24 * 60 }), { minLength: 1, maxLength: 5 }),
        async (steps, amendAfterDays, offsets) => {
          let contractState = contractDecider.initialState
          const contractEvents: ContractEvent[] = []
          const decide = (command: Parameters<typeof contractDecider.decide>[0]) => {
            const d = contractDecider.decide(command, contractState)
            if (E.isLeft(d)) throw new Error(d.left.message)
            contractEvents.push(...d.right)
            contractState = fold(contractDecider, contractEvents)
          }
          decide(exampleRegistration({ contractId, term: { start: '2025-01-01' as LocalDate, end: '2025-12-31' as LocalDate }, at: instantOf(Date.parse('2024-12-20T05:00:00Z')) }))
          decide(exampleCountersignature({ contractId, at: instantOf(Date.parse('2024-12-21T05:00:00Z')) }))
          let ms = Date.parse('2025-01-05T06:00:00Z')
          if (amendAfterDays !== undefined) {
            const effective = new Date(ms + amendAfterDays * 86_400_000).toISOString().slice(0, 10) as LocalDate
            decide({ type: 'AmendContract', contractId, amendmentId: 'A-1', effectiveFrom: effective, changes: { termEnd: '2026-06-30' as LocalDate }, reason: 'extended', actor: exampleSupplier, at: instantOf(ms) })
            // An amendment changes the terms only once the other party countersigns it.
            decide({ type: 'CountersignAmendment', contractId, amendmentId: 'A-1', actor: exampleCustomer, at: instantOf(ms + 3_600_000) })
          }
          const deliveries: DeliveryEvent[] = []
          const open = new Map<string, string>()
          let n = 0
          for (const step of steps) {
            ms += step.days * 86_400_000
            const base = (deliveryId: string) => ({ contractId, deliveryId: deliveryId as DeliveryId, at: instantOf(ms), actor: exampleSupplier })
            const pending = [...open.entries()]
            if (step.kind === 'record') {
              const id = `D-${++n}`
              deliveries.push({ type: 'DeliveryRecorded', data: { ...base(id), quarter: quarters[step.quarter] as QuarterLabel, dueAt: instantOf(ms), version: '1', artifactSha256: 'b'.repeat(64) as Sha256Hex, changes: [] } })
              open.set(id, quarters[step.quarter]!)
            } else if (pending.length > 0) {
              const [id] = pending[step.quarter % pending.length]!
              deliveries.push(step.kind === 'accept' ? { type: 'DeliveryAccepted', data: base(id) } : { type: 'DeliveryRejected', data: { ...base(id), reason: 'no' } })
              if (step.kind === 'reject') seen.reopened++
              open.delete(id)
            }
          }
          const envelope = (streamId: string) => (event: LedgerEvent, i: number) =>
            ({ ...event, streamId, streamVersion: i + 1, globalPosition: 0, eventId: `${streamId}/${i + 1}`, schemaVersion: 1, metadata: { actor: exampleSupplier, at: event.data.at } }) as RecordedEvent<LedgerEvent>
          const recordedContract = contractEvents.map(envelope(`contract-${contractId}`))
          const recordedDeliveries = deliveries.map(envelope(`delivery-${contractId}`))
          const log = [...recordedContract, ...recordedDeliveries].sort((a, b) => (a.data.at < b.data.at ? -1 : a.data.at > b.data.at ? 1 : 0))
          const schedule = inMemoryObligationSchedule({ calendars: registry })
          await schedule.handle(log)
          const rows = schedule.all()
          const state = fold(contractDecider, recordedContract as ReadonlyArray<RecordedEvent<ContractEvent>>)
          const horizon = [...log.map((e) => e.data.at), ...(state.status === 'registered' ? state.amendments.map((a) => a.effectiveAt) : [])].reduce((m, x) => (x > m ? x : m))
          const edges = rows.flatMap((r) => (r.dueAt === undefined ? [] : [addMillis(r.dueAt, -1), r.dueAt, addMillis(r.dueAt, 1)]))
          for (const at of [horizon, ...offsets.map((m) => addMillis(horizon, m * 60_000)), ...edges].filter((x): x is Instant => x >= horizon)) {
            const terms = termsAt(state, at)!
            const verdicts = quarterVerdicts(quarterSchedule(terms, 10), deliveriesAsOf(recordedDeliveries as ReadonlyArray<RecordedEvent<DeliveryEvent>>, at), at)
            const openQuarters = verdicts.filter((v) => v.deliveryId === undefined)
            seen.closed += verdicts.length - openQuarters.length
            expect(rows.map((r) => r.subject.id)).toEqual(openQuarters.map((v) => `${contractId}/${v.quarter}`))
            for (const v of openQuarters) {
              const row = rows.find((r) => r.subject.id === `${contractId}/${v.quarter}`)!
              expect(row.dueAt).toBe(v.dueAt)
              expect(scheduledStateAt(row, at)).toEqual({ status: v.verdict === 'breached' ? 'breached' : 'pending' })
              seen[v.verdict === 'breached' ? 'breached' : 'pending']++
            }
          }
        },
      ),
      { numRuns: 150 },
    )
    expect(seen.pending).toBeGreaterThan(50)
    expect(seen.breached).toBeGreaterThan(50)
    expect(seen.closed).toBeGreaterThan(50)
    expect(seen.reopened).toBeGreaterThan(10)
  })
})
