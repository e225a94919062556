import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { countersignAmendment } from '../contract/contract-commands.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../contract/contract-fixtures.js'
import type { BasisPoints, ContractId, LocalDate, Tiyn } from '../contract/contract-terms.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { Instant } from '../kernel/instant.js'
import type { ChangeId } from '../budget/budget-events.js'
import { startOfLocalDate } from '../contract/command-guards.js'
import { contractEvents, contractStreamId } from '../contract/contract-events.js'
import type { TicketId } from '../ticket/ticket-commands.js'
import { ticketEvents } from '../ticket/ticket-events.js'
import { ticketService } from './ticket-service.js'
import { contractLedger } from './contract-ledger.js'
import { renderReportMarkdown } from '../report/report-markdown.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const at = (iso: string) => new Date(iso).toISOString() as Instant
const contractId = 'C-2024-001' as ContractId
const ticketId = 'T-9' as TicketId
// Value 100,000,000 KZT: the 15% cap is 15,000,000 KZT = 1,500,000,000 tiyn.
const cap = 1_500_000_000

const setUp = async () => {
  const storage = createInMemoryStorage()
  const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars })
  const registered = await ledger.contracts.handle(exampleRegistration())()
  if (E.isLeft(registered)) throw new Error(registered.left.message)
  const signed = await ledger.contracts.handle(exampleCountersignature())()
  if (E.isLeft(signed)) throw new Error(signed.left.message)
  return Object.assign(ledger, { storage })
}

const ok = async <A>(r: Promise<E.Either<{ readonly message: string }, A>>): Promise<A> => {
  const x = await r
  if (E.isLeft(x)) throw new Error(x.left.message)
  return x.right
}

const modernization = async (ledger: Awaited<ReturnType<typeof setUp>>) => {
  const base = { contractId, ticketId }
  await ok(ledger.tickets.handle({ ...base, type: 'FileRequest', actor: exampleCustomer, at: at('2024-02-01T05:00:00Z'), receivedAt: at('2024-02-01T05:00:00Z'), kind: 'modernization', priority: 'normal', channel: 'redmine', subject: 'New export to the treasury format' })())
  await ok(ledger.tickets.handle({ ...base, type: 'ProposeDeadline', actor: exampleSupplier, at: at('2024-02-01T06:00:00Z'), deadline: at('2024-03-01T12:00:00Z') })())
  await ok(ledger.tickets.handle({ ...base, type: 'AgreeDeadline', actor: exampleCustomer, at: at('2024-02-01T07:00:00Z'), deadline: at('2024-03-01T12:00:00Z') })())
  return { type: 'DeliverResult' as const, ...base, actor: exampleSupplier, at: at('2024-02-20T06:00:00Z'), deliveryId: 'R-1', summary: 'export delivered' }
}

describe('clause 11 through the ledger', () => {
  it('hands over a modernization request only once a change estimated for it is approved, and the cap counts it', async () => {
    const ledger = await setUp()
    const deliver = await modernization(ledger)
    expect(await ledger.tickets.handle(deliver)()).toMatchObject(E.left({ _tag: 'CustomizationNotApproved', ticketId: 'T-9' }))
    await ok(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId: 'CH-9' as ChangeId, ticketId, actor: exampleSupplier, at: at('2024-02-02T05:00:00Z'), title: 'treasury export', amount: 400_000_000 as Tiyn })())
    expect(await ledger.tickets.handle(deliver)()).toMatchObject(E.left({ _tag: 'CustomizationNotApproved' }))
    await ok(ledger.budget.handle({ type: 'ApproveChange', contractId, changeId: 'CH-9' as ChangeId, actor: exampleCustomer, at: at('2024-02-03T05:00:00Z') })())
    expect(E.isRight(await ledger.tickets.handle(deliver)())).toBe(true)
    const report = await ok(ledger.report({ contractId, asOf: at('2024-03-01T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(report.budget).toMatchObject({ committed: 400_000_000, cap, valueUsedBps: 400 })
    expect(report.obligations.find((o) => o.obligation === 'customization-cap')).toMatchObject({ met: 1, breached: 0 })
  })

  it('refuses an approval that fits the cap today but not a lower cap already recorded to take effect later', async () => {
    const ledger = await setUp()
    await ok(ledger.contracts.handle({ type: 'AmendContract', contractId, amendmentId: 'A-1', effectiveFrom: '2024-06-01' as LocalDate, changes: { customizationCapBps: 500 as BasisPoints }, reason: 'scope cut', actor: exampleSupplier, at: at('2024-02-01T00:00:00Z') })())
    await ok(ledger.contracts.handle(countersignAmendment({ contractId, amendmentId: 'A-1', actor: exampleCustomer, at: at('2024-02-01T01:00:00Z') }))())
    await ok(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId: 'CH-1' as ChangeId, actor: exampleSupplier, at: at('2024-02-02T05:00:00Z'), title: 'reports', amount: 600_000_000 as Tiyn })())
    expect(await ledger.budget.handle({ type: 'ApproveChange', contractId, changeId: 'CH-1' as ChangeId, actor: exampleCustomer, at: at('2024-02-03T05:00:00Z') })()).toMatchObject(
      E.left({ _tag: 'CapExceeded', cap: 500_000_000, committed: 0, requested: 600_000_000, shortfall: 100_000_000, capEffectiveAt: '2024-05-31T19:00:00.000Z' }),
    )
    await ok(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId: 'CH-2' as ChangeId, actor: exampleSupplier, at: at('2024-02-02T06:00:00Z'), title: 'smaller', amount: 500_000_000 as Tiyn })())
    expect(E.isRight(await ledger.budget.handle({ type: 'ApproveChange', contractId, changeId: 'CH-2' as ChangeId, actor: exampleCustomer, at: at('2024-02-03T06:00:00Z') })())).toBe(true)
  })

  it('reports a breach when the record shows commitments above a cap or modernization outside the budget, and the customer\'s side', async () => {
    const ledger = await setUp()
    await ok(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId: 'CH-1' as ChangeId, actor: exampleSupplier, at: at('2024-02-02T05:00:00Z'), title: 'reports', amount: 1_000_000_000 as Tiyn })())
    await ok(ledger.budget.handle({ type: 'ApproveChange', contractId, changeId: 'CH-1' as ChangeId, actor: exampleCustomer, at: at('2024-02-03T05:00:00Z') })())
    await ok(ledger.budget.handle({ type: 'EstimateChange', contractId, changeId: 'CH-2' as ChangeId, actor: exampleSupplier, at: at('2024-02-04T05:00:00Z'), title: 'dashboards', amount: 300_000_000 as Tiyn })())
    await ok(ledger.budget.handle({ type: 'CancelChange', contractId, changeId: 'CH-2' as ChangeId, actor: exampleCustomer, at: at('2024-02-05T05:00:00Z'), reason: 'too dear' })())
    // A record kept before the budget was checked: the cap lowered under the commitment, and a modernization handed over outside the budget.
    // Written straight to the store, as an amendment on one signature was before both signed and before the budget was checked.
    const contracts = inMemoryEventStore(contractEvents, ledger.storage)
    const amendedAt = at('2024-03-01T00:00:00Z')
    const data = { contractId, amendmentId: 'A-1', effectiveFrom: '2024-04-01' as LocalDate, effectiveAt: startOfLocalDate('2024-04-01' as LocalDate, 'Asia/Almaty'), changes: { customizationCapBps: 500 as BasisPoints }, reason: 'scope cut', at: amendedAt }
    await ok(contracts.append(contractStreamId(contractId), [{ event: { type: 'ContractAmended', data }, metadata: { actor: exampleSupplier, occurredAt: amendedAt } }], { contractId })())
    const deliver = await modernization(ledger)
    expect(await ledger.tickets.handle(deliver)()).toMatchObject(E.left({ _tag: 'CustomizationNotApproved' }))
    const bare = ticketService({ contracts, tickets: inMemoryEventStore(ticketEvents, ledger.storage), calendars })
    await ok(bare.handle(deliver)())

    const report = await ok(ledger.report({ contractId, asOf: at('2024-05-01T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    const clause11 = report.obligations.find((o) => o.obligation === 'customization-cap')
    expect(clause11?.verdicts.map((v) => [v.subject, v.verdict, v.detail])).toEqual([
      ['ticket T-9', 'breached', 'modernization handed over outside the budget'],
      ['change CH-1', 'met', `1000000000 / ${cap} tiyn`],
      ['commitments above the cap', 'breached', '1000000000 / 500000000 tiyn'],
    ])
    expect(report.budget).toMatchObject({ valueUsedBps: 1000, refused: [{ changeId: 'CH-2' as ChangeId, amount: 300_000_000, by: 'customer', afterApproval: false, reason: 'too dear' }] })
    const md = renderReportMarkdown(report, 'en')
    expect(md).toContain('Share of the contract value committed: 10.00% / 5.00%')
    expect(md).toContain('Refused changes: CH-2')
  })
})
