import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { ChangeId } from '../budget/budget-events.js'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { countersignAmendment } from '../contract/contract-commands.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../contract/contract-fixtures.js'
import type { TicketId } from '../ticket/ticket-commands.js'
import { ticketStreamId } from '../ticket/ticket-events.js'
import type { ContractId, LocalDate, Tiyn } from '../contract/contract-terms.js'
import type { DeliveryId, QuarterLabel, Sha256Hex } from '../delivery/delivery-events.js'
import type { IncidentId } from '../incident/incident-events.js'
import { defaultSlaPolicy, type PositiveMinutes } from '../sla/sla-policy.js'
import { createInMemoryStorage, inMemoryStores } from '../kernel/in-memory-event-store.js'
import type { Instant } from '../kernel/instant.js'
import { buildComplianceReport } from '../report/compliance-report.js'
import { contractLedger } from './contract-ledger.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const at = (iso: string) => new Date(iso).toISOString() as Instant
const contractId = 'C-2024-001' as ContractId
const changeId = 'CH-1' as ChangeId

const setUp = async () => {
  const storage = createInMemoryStorage()
  const ledger = contractLedger({ storeFor: inMemoryStores(storage), calendars })
  const registration = exampleRegistration({ term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } })
  const proposed = await ledger.contracts.handle(registration)()
  if (E.isLeft(proposed)) throw new Error(proposed.left.message)
  const registered = await ledger.contracts.handle(exampleCountersignature())()
  if (E.isLeft(registered)) throw new Error(registered.left.message)
  return ledger
}
const must = async <A>(r: Promise<E.Either<{ readonly message: string }, A>>): Promise<A> => {
  const x = await r
  if (E.isLeft(x)) throw new Error(x.left.message)
  return x.right
}

describe('contract ledger', () => {
  it('adds the terms and the SLA rule in force to each command, and refuses a contract that was never registered', async () => {
    const ledger = await setUp()
    const reported = await ledger.incidents.handle({ type: 'ReportFailure', contractId, incidentId: 'INC-1' as IncidentId, actor: exampleCustomer, at: at('2024-02-05T09:00:00+06:00'), summary: 'down', site: 'DC' })()
    expect(E.isRight(reported) && reported.right.events[0]?.data).toMatchObject({ contractId, calendarId: 'kz-5day', timeZone: 'Asia/Almaty' })
    await must(ledger.contracts.handle({
      type: 'AmendContract', contractId, amendmentId: 'SLA-1', effectiveFrom: '2024-02-01' as LocalDate, reason: 'two hours on site',
      changes: { slaPolicy: { ...defaultSlaPolicy, onSiteArrival: { default: { ...defaultSlaPolicy.onSiteArrival.default, minutes: 120 as PositiveMinutes }, byPriority: {} } } },
      actor: exampleSupplier, at: at('2024-01-20T10:00:00Z'),
    })())
    await must(ledger.contracts.handle(countersignAmendment({ contractId, amendmentId: 'SLA-1', actor: exampleCustomer, at: at('2024-01-21T10:00:00Z') }))())
    // A window passed with the demand is not the caller's to set: the SLA policy in force decides it.
    const oneMinute = { ...defaultSlaPolicy.onSiteArrival.default, minutes: 1 as PositiveMinutes }
    const request = { type: 'DemandOnSite', contractId, incidentId: 'INC-1' as IncidentId, actor: exampleCustomer, at: at('2024-02-05T09:05:00+06:00'), site: 'DC', arrivalRule: oneMinute } as const
    const demanded = await ledger.incidents.handle(request)()
    expect(E.isRight(demanded) && demanded.right.events[0]?.data).toMatchObject({ arrivalRule: { measure: 'elapsed', minutes: 120 } })
    const unknown = await ledger.incidents.handle({ type: 'ReportFailure', contractId: 'C-none' as ContractId, incidentId: 'INC-2' as IncidentId, actor: exampleCustomer, at: at('2024-02-05T09:00:00+06:00'), summary: 'down', site: 'DC' })()
    expect(unknown).toMatchObject(E.left({ _tag: 'ContractNotRegistered' }))
  })

  it('works out the accepted changes a delivery must carry from the record, and refuses one that leaves a change out', async () => {
    const ledger = await setUp()
    const step = must
    await step(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId, actor: exampleSupplier, at: at('2024-01-10T10:00:00Z'), title: 'export', amount: 1_000_000 as Tiyn })())
    await step(ledger.budget.handle({ type: 'ApproveChange', contractId, changeId, actor: exampleCustomer, at: at('2024-01-11T10:00:00Z') })())
    await step(ledger.budget.handle({ type: 'DeliverChange', contractId, changeId, actor: exampleSupplier, at: at('2024-01-20T10:00:00Z') })())
    await step(ledger.budget.handle({ type: 'AcceptChange', contractId, changeId, actor: exampleCustomer, at: at('2024-01-21T10:00:00Z') })())
    const base = { type: 'RecordDelivery', contractId, actor: exampleSupplier, at: at('2024-04-02T10:00:00Z'), quarter: '2024-Q1' as QuarterLabel, version: '2.1.0', artifactSha256: 'c'.repeat(64) as Sha256Hex } as const
    const without = await ledger.deliveries.handle({ ...base, deliveryId: 'D-1' as DeliveryId, changes: [] })()
    expect(without).toMatchObject(E.left({ _tag: 'AcceptedChangesLeftOut', missing: [{ kind: 'customization', id: 'CH-1' }] }))
    const withIt = await ledger.deliveries.handle({ ...base, deliveryId: 'D-1' as DeliveryId, changes: [{ kind: 'customization', id: 'CH-1' }] })()
    expect(E.isRight(withIt)).toBe(true)
  })

  it('refuses an amendment whose cap falls below the commitments, and reports what the store holds', async () => {
    const ledger = await setUp()
    const approve = async () => {
      await ledger.budget.handle({ type: 'EstimateChange', contractId, changeId, actor: exampleSupplier, at: at('2024-01-10T10:00:00Z'), title: 'export', amount: 1_000_000_000 as Tiyn })()
      return ledger.budget.handle({ type: 'ApproveChange', contractId, changeId, actor: exampleCustomer, at: at('2024-01-11T10:00:00Z') })()
    }
    expect(E.isRight(await approve())).toBe(true)
    const amended = await ledger.contracts.handle({ type: 'AmendContract', contractId, amendmentId: 'A-1', effectiveFrom: '2024-03-01' as LocalDate, changes: { value: 5_000_000_000 as Tiyn }, reason: 'scope', actor: exampleSupplier, at: at('2024-02-01T10:00:00Z') })()
    expect(amended).toMatchObject(E.left({ _tag: 'CommitmentsExceedAmendedCap', committed: 1_000_000_000, amendedCap: 750_000_000 }))

    const asOf = at('2024-04-15T00:00:00Z')
    const report = await ledger.report({ contractId, asOf, period: { kind: 'contract-to-date' } })()
    const events = await ledger.events()()
    if (E.isLeft(report) || E.isLeft(events)) throw new Error('read failed')
    expect(report.right).toEqual(E.getOrElseW(() => undefined)(buildComplianceReport({ contractId, events: events.right, asOf, period: { kind: 'contract-to-date' }, calendars })))
    expect(report.right.budget).toMatchObject({ approvedOpen: 1_000_000_000, committed: 1_000_000_000 })
  })

  it('amends only one way, always against the budget: a value cut to 100 tiyn with 10 million KZT committed is refused through the contract entrance', async () => {
    const ledger = await setUp()
    await must(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId, actor: exampleSupplier, at: at('2024-01-10T10:00:00Z'), title: 'export', amount: 1_000_000_000 as Tiyn })())
    await must(ledger.budget.handle({ type: 'ApproveChange', contractId, changeId, actor: exampleCustomer, at: at('2024-01-11T10:00:00Z') })())
    const cut = { type: 'AmendContract', contractId, amendmentId: 'CUT', effectiveFrom: '2024-03-01' as LocalDate, changes: { value: 100 as Tiyn }, reason: 'cut', actor: exampleSupplier, at: at('2024-02-01T10:00:00Z') } as const
    expect(await ledger.contracts.handle(cut)()).toMatchObject(E.left({ _tag: 'CommitmentsExceedAmendedCap', committed: 1_000_000_000, amendedCap: 15 }))
    // A cut proposed while it still fitted is checked again when countersigned, against what is committed then.
    // Proposed at 7 billion (cap 1.05 billion over 1 billion committed) it fits; countersigned after 60 million more were approved, it no longer does.
    await must(ledger.contracts.handle({ ...cut, amendmentId: 'CUT-2', changes: { value: 7_000_000_000 as Tiyn } })())
    const second = 'CH-2' as ChangeId
    await must(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId: second, actor: exampleSupplier, at: at('2024-02-02T10:00:00Z'), title: 'import', amount: 60_000_000 as Tiyn })())
    await must(ledger.budget.handle({ type: 'ApproveChange', contractId, changeId: second, actor: exampleCustomer, at: at('2024-02-03T10:00:00Z') })())
    const signed = await ledger.contracts.handle(countersignAmendment({ contractId, amendmentId: 'CUT-2', actor: exampleCustomer, at: at('2024-02-04T10:00:00Z') }))()
    expect(signed).toMatchObject(E.left({ _tag: 'CommitmentsExceedAmendedCap', committed: 1_060_000_000, amendedCap: 1_050_000_000 }))
    // Nothing was written by either refusal: the value in force stays as signed.
    const report = await must(ledger.report({ contractId, asOf: at('2024-04-01T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(report.budget).toMatchObject({ value: 10_000_000_000, committed: 1_060_000_000 })
  })

  it('scopes tickets and incidents by contract, and refuses a person of another contract on every aggregate', async () => {
    const ledger = await setUp()
    const other = 'C-2024-002' as ContractId
    const people = { customer: { name: 'Other Customer LLP', people: ['bolat'] }, supplier: { name: 'Supplier LLP', people: ['daniyar'] } }
    await must(ledger.contracts.handle(exampleRegistration({ contractId: other, parties: people, term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } }))())
    const bolat = { party: 'customer', id: 'bolat' } as const
    await must(ledger.contracts.handle(exampleCountersignature({ contractId: other, actor: bolat }))())
    const file = (contract: ContractId, actor: typeof bolat | typeof exampleCustomer) => ledger.tickets.handle({
      type: 'FileRequest', contractId: contract, ticketId: 'T-1' as TicketId, actor, at: at('2024-03-04T10:00:00+05:00'), kind: 'defect', priority: 'normal',
      channel: 'redmine', receivedAt: at('2024-03-04T10:00:00+05:00'), subject: 'fails',
    })()
    // The same T-1 on two contracts is two tickets, each on its own stream.
    await must(file(contractId, exampleCustomer))
    await must(file(other, bolat))
    const events = await must(ledger.events()())
    expect(events.filter((e) => e.type === 'RequestFiled').map((e) => e.streamId).sort()).toEqual([ticketStreamId(contractId, 'T-1'), ticketStreamId(other, 'T-1')].sort())
    // Aigerim of contract 1 may neither file on, nor agree a deadline of, nor approve the budget of contract 2.
    expect(await file(other, exampleCustomer)).toMatchObject(E.left({ _tag: 'PersonNotListed', contractId: other }))
    await must(ledger.tickets.handle({ type: 'ProposeDeadline', contractId: other, ticketId: 'T-1' as TicketId, actor: exampleSupplier, at: at('2024-03-04T11:00:00+05:00'), deadline: at('2024-03-10T18:00:00+05:00') })())
    expect(await ledger.tickets.handle({ type: 'AgreeDeadline', contractId: other, ticketId: 'T-1' as TicketId, actor: exampleCustomer, at: at('2024-03-04T11:10:00+05:00'), deadline: at('2024-03-10T18:00:00+05:00') })()).toMatchObject(E.left({ _tag: 'PersonNotListed' }))
    await must(ledger.budget.handle({ type: 'EstimateChange', contractId: other, changeId, actor: exampleSupplier, at: at('2024-03-04T10:00:00Z'), title: 'x', amount: 1_000 as Tiyn })())
    expect(await ledger.budget.handle({ type: 'ApproveChange', contractId: other, changeId, actor: exampleCustomer, at: at('2024-03-05T10:00:00Z') })()).toMatchObject(E.left({ _tag: 'PersonNotListed' }))
    expect(await ledger.incidents.handle({ type: 'ReportFailure', contractId: other, incidentId: 'INC-1' as IncidentId, actor: exampleCustomer, at: at('2024-03-05T10:00:00Z'), summary: 'down', site: 'DC' })()).toMatchObject(E.left({ _tag: 'PersonNotListed' }))
    expect(await ledger.operations.handle({ type: 'PlanDatabaseMove', contractId: other, actor: exampleCustomer, at: at('2024-03-05T10:00:00Z'), moveId: 'M-1', target: 'new-servers', steps: [{ stepId: 's', description: 'd' }], dueAt: at('2024-04-01T10:00:00Z') })()).toMatchObject(E.left({ _tag: 'PersonNotListed' }))
    // The same incident id on two contracts is two incidents.
    await must(ledger.incidents.handle({ type: 'ReportFailure', contractId, incidentId: 'INC-1' as IncidentId, actor: exampleCustomer, at: at('2024-03-05T10:00:00Z'), summary: 'down', site: 'DC' })())
    await must(ledger.incidents.handle({ type: 'ReportFailure', contractId: other, incidentId: 'INC-1' as IncidentId, actor: bolat, at: at('2024-03-05T10:00:00Z'), summary: 'down', site: 'DC' })())
  })

  it('answers each query with the typed state the handlers left, per contract, ticket, incident, budget and delivery quarter', async () => {
    const ledger = await setUp()
    const other = 'C-none' as ContractId
    expect(await must(ledger.contract(contractId)())).toMatchObject({ status: 'registered', registered: { contractId } })
    expect(await must(ledger.contract(other)())).toEqual({ status: 'unregistered' })
    const ticketId = 'T-7' as TicketId
    const filed = await must(ledger.tickets.handle({
      type: 'FileRequest', contractId, ticketId, actor: exampleCustomer, at: at('2024-03-04T10:00:00+05:00'), kind: 'defect', priority: 'high',
      channel: 'redmine', receivedAt: at('2024-03-04T10:00:00+05:00'), subject: 'fails',
    })())
    // The query folds the same stream the handler wrote: the state it answers is the handler's.
    expect(await must(ledger.ticket(contractId, ticketId)())).toEqual(filed.state)
    expect(await must(ledger.ticket(other, ticketId)())).toEqual({ status: 'unfiled' })
    const obligations = await must(ledger.ticketObligations(contractId, ticketId, at('2024-03-04T10:30:00+05:00'))())
    expect(obligations.find((o) => o.obligation === 'deadline-proposal')?.status).toBe('pending')
    const reported = await must(ledger.incidents.handle({ type: 'ReportFailure', contractId, incidentId: 'INC-9' as IncidentId, actor: exampleCustomer, at: at('2024-03-05T10:00:00Z'), summary: 'down', site: 'DC' })())
    expect(await must(ledger.incident(contractId, 'INC-9')())).toEqual(reported.state)
    expect((await must(ledger.incident(contractId, 'INC-0')())).phase).toBe('none')
    await must(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId, actor: exampleSupplier, at: at('2024-01-10T10:00:00Z'), title: 'export', amount: 1_000_000 as Tiyn })())
    const approved = await must(ledger.budget.handle({ type: 'ApproveChange', contractId, changeId, actor: exampleCustomer, at: at('2024-01-11T10:00:00Z') })())
    expect(await must(ledger.customizationBudget(contractId)())).toEqual(approved.state)
    expect(approved.state.approvedOpen).toBe(1_000_000)
    const q1 = '2024-Q1' as QuarterLabel
    const base = { type: 'RecordDelivery', contractId, actor: exampleSupplier, quarter: q1, version: '2.1.0', artifactSha256: 'c'.repeat(64) as Sha256Hex, changes: [] } as const
    expect(await must(ledger.deliveryQuarter(contractId, q1)())).toEqual({ quarter: q1, deliveries: [] })
    await must(ledger.deliveries.handle({ ...base, deliveryId: 'D-1' as DeliveryId, at: at('2024-04-02T10:00:00Z') })())
    await must(ledger.deliveries.handle({ type: 'RejectDelivery', contractId, deliveryId: 'D-1' as DeliveryId, actor: exampleCustomer, at: at('2024-04-03T10:00:00Z'), reason: 'broken' })())
    const quarter = await must(ledger.deliveryQuarter(contractId, q1)())
    expect(quarter.deliveries.map((d) => [d.recorded.deliveryId, d.status])).toEqual([['D-1', 'rejected']])
    // As of before the rejection, the same delivery stood delivered; another quarter has none.
    const before = await must(ledger.deliveryQuarter(contractId, q1, at('2024-04-02T12:00:00Z'))())
    expect(before.deliveries.map((d) => [d.recorded.deliveryId, d.status])).toEqual([['D-1', 'delivered']])
    expect((await must(ledger.deliveryQuarter(contractId, '2024-Q2' as QuarterLabel)())).deliveries).toEqual([])
  })
})
