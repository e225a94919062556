import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { ChangeId } from '../budget/budget-events.js'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { exampleCustomer, exampleRegistration, exampleSupplier } from '../contract/contract-fixtures.js'
import type { ContractId, LocalDate, Tiyn } from '../contract/contract-terms.js'
import type { DeliveryId, QuarterLabel, Sha256Hex } from '../delivery/delivery-events.js'
import type { IncidentId } from '../incident/incident-events.js'
import { defaultSlaPolicy, type PositiveMinutes } from '../sla/sla-policy.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { Instant } from '../kernel/instant.js'
import { buildComplianceReport } from './compliance-report.js'
import { contractLedger } from './contract-ledger.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const at = (iso: string) => new Date(iso).toISOString() as Instant
const contractId = 'C-2024-001' as ContractId
const changeId = 'CH-1' as ChangeId

const setUp = async () => {
  const storage = createInMemoryStorage()
  const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars })
  const registration = exampleRegistration({ term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } })
  const registered = await ledger.tickets.handleContract(registration)()
  if (E.isLeft(registered)) throw new Error(registered.left.message)
  return ledger
}

describe('contract ledger', () => {
  it('adds the terms and the SLA rule in force to each command, and refuses a contract that was never registered', async () => {
    const ledger = await setUp()
    const reported = await ledger.incident({ type: 'ReportFailure', contractId, incidentId: 'INC-1' as IncidentId, actor: exampleCustomer, at: at('2024-02-05T09:00:00+06:00'), summary: 'down', site: 'DC' })()
    expect(E.isRight(reported) && reported.right.events[0]?.data).toMatchObject({ contractId, calendarId: 'kz-5day', timeZone: 'Asia/Almaty' })
    await ledger.amendContract({
      type: 'AmendContract', contractId, amendmentId: 'SLA-1', effectiveFrom: '2024-02-01' as LocalDate, reason: 'two hours on site',
      changes: { slaPolicy: { ...defaultSlaPolicy, onSiteArrival: { default: { ...defaultSlaPolicy.onSiteArrival.default, minutes: 120 as PositiveMinutes }, byPriority: {} } } },
      actor: exampleSupplier, at: at('2024-01-20T10:00:00Z'),
    })()
    const demanded = await ledger.incident({ type: 'DemandOnSite', contractId, incidentId: 'INC-1' as IncidentId, actor: exampleCustomer, at: at('2024-02-05T09:05:00+06:00'), site: 'DC' })()
    expect(E.isRight(demanded) && demanded.right.events[0]?.data).toMatchObject({ arrivalRule: { measure: 'elapsed', minutes: 120 } })
    const unknown = await ledger.incident({ type: 'ReportFailure', contractId: 'C-none' as ContractId, incidentId: 'INC-2' as IncidentId, actor: exampleCustomer, at: at('2024-02-05T09:00:00+06:00'), summary: 'down', site: 'DC' })()
    expect(unknown).toMatchObject(E.left({ _tag: 'ContractNotRegistered' }))
  })

  it('works out the accepted changes a delivery must carry from the record, and refuses one that leaves a change out', async () => {
    const ledger = await setUp()
    const step = async (r: Promise<E.Either<{ readonly message: string }, unknown>>) => {
      const x = await r
      if (E.isLeft(x)) throw new Error(x.left.message)
    }
    await step(ledger.budget({ type: 'EstimateChange', contractId, changeId, actor: exampleSupplier, at: at('2024-01-10T10:00:00Z'), title: 'export', amount: 1_000_000 as Tiyn })())
    await step(ledger.budget({ type: 'ApproveChange', contractId, changeId, actor: exampleCustomer, at: at('2024-01-11T10:00:00Z') })())
    await step(ledger.budget({ type: 'DeliverChange', contractId, changeId, actor: exampleSupplier, at: at('2024-01-20T10:00:00Z') })())
    await step(ledger.budget({ type: 'AcceptChange', contractId, changeId, actor: exampleCustomer, at: at('2024-01-21T10:00:00Z') })())
    const base = { type: 'RecordDelivery', contractId, actor: exampleSupplier, at: at('2024-04-02T10:00:00Z'), quarter: '2024-Q1' as QuarterLabel, version: '2.1.0', artifactSha256: 'c'.repeat(64) as Sha256Hex } as const
    const without = await ledger.delivery({ ...base, deliveryId: 'D-1' as DeliveryId, changes: [] })()
    expect(without).toMatchObject(E.left({ _tag: 'AcceptedChangesLeftOut', missing: [{ kind: 'customization', id: 'CH-1' }] }))
    const withIt = await ledger.delivery({ ...base, deliveryId: 'D-1' as DeliveryId, changes: [{ kind: 'customization', id: 'CH-1' }] })()
    expect(E.isRight(withIt)).toBe(true)
  })

  it('refuses an amendment whose cap falls below the commitments, and reports what the store holds', async () => {
    const ledger = await setUp()
    const approve = async () => {
      await ledger.budget({ type: 'EstimateChange', contractId, changeId, actor: exampleSupplier, at: at('2024-01-10T10:00:00Z'), title: 'export', amount: 1_000_000_000 as Tiyn })()
      return ledger.budget({ type: 'ApproveChange', contractId, changeId, actor: exampleCustomer, at: at('2024-01-11T10:00:00Z') })()
    }
    expect(E.isRight(await approve())).toBe(true)
    const amended = await ledger.amendContract({ type: 'AmendContract', contractId, amendmentId: 'A-1', effectiveFrom: '2024-03-01' as LocalDate, changes: { value: 5_000_000_000 as Tiyn }, reason: 'scope', actor: exampleSupplier, at: at('2024-02-01T10:00:00Z') })()
    expect(amended).toMatchObject(E.left({ _tag: 'CommitmentsExceedAmendedCap', committed: 1_000_000_000, amendedCap: 750_000_000 }))

    const asOf = at('2024-04-15T00:00:00Z')
    const report = await ledger.report({ contractId, asOf, period: { kind: 'contract-to-date' } })()
    const events = await ledger.events()()
    if (E.isLeft(report) || E.isLeft(events)) throw new Error('read failed')
    expect(report.right).toEqual(E.getOrElseW(() => undefined)(buildComplianceReport({ contractId, events: events.right, asOf, period: { kind: 'contract-to-date' }, calendars })))
    expect(report.right.budget).toMatchObject({ approvedOpen: 1_000_000_000, committed: 1_000_000_000 })
  })
})
