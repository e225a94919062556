import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../contract/contract-fixtures.js'
import type { ContractId, LocalDate, Tiyn } from '../contract/contract-terms.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { Instant } from '../kernel/instant.js'
import { maxSubjectLength } from '../ticket/ticket-commands.js'
import { buildComplianceReport } from '../report/compliance-report.js'
import { contractLedger } from './contract-ledger.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const at = (iso: string) => new Date(iso).toISOString() as Instant
const contractId = 'C-2024-001' as ContractId

const setUp = async () => {
  const storage = createInMemoryStorage()
  const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars })
  const registered = await ledger.contracts.handle(exampleRegistration())()
  if (E.isLeft(registered)) throw new Error(registered.left.message)
  const signed = await ledger.contracts.handle(exampleCountersignature())()
  if (E.isLeft(signed)) throw new Error(signed.left.message)
  return { ledger, logged: () => storage.log.length }
}

/** Hands a value the type system would refuse to an entrance, as a caller in plain JavaScript or over JSON can. */
const raw = <A>(value: unknown): A => value as A

describe('bad input at the entrance', () => {
  it('refuses an unknown command type on every handler with a typed error naming `type`, and writes nothing', async () => {
    const { ledger, logged } = await setUp()
    const before = logged()
    const unknown = { type: 'DropTables', contractId, actor: exampleSupplier, at: at('2024-02-01T00:00:00Z') }
    for (const { handle } of [ledger.incidents, ledger.budget, ledger.operations, ledger.deliveries, ledger.tickets, ledger.contracts]) {
      const result = await (handle as (r: unknown) => () => Promise<unknown>)(unknown)()
      expect(result).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'type' }))
    }
    for (const garbage of [null, undefined, 42, 'ReportFailure', [], { type: 7 }]) {
      expect(await ledger.incidents.handle(raw(garbage))()).toMatchObject(E.left({ _tag: 'InvalidInput' }))
      expect(await ledger.tickets.handle(raw(garbage))()).toMatchObject(E.left({ _tag: 'InvalidInput' }))
    }
    expect(logged()).toBe(before)
  })

  it('names the field of a wrong type, a negative or fractional amount, a value of zero, an unknown calendar and an over-long subject', async () => {
    const { ledger, logged } = await setUp()
    const before = logged()
    const estimate = { type: 'EstimateChange', contractId, changeId: 'CH-1', actor: exampleSupplier, at: at('2024-02-01T00:00:00Z'), title: 'export', amount: 1000 }
    expect(await ledger.budget.handle(raw({ ...estimate, at: 12 }))()).toMatchObject(E.left({ _tag: 'InvalidInput', input: 'EstimateChange', field: 'at' }))
    expect(await ledger.budget.handle(raw({ ...estimate, amount: -1000 }))()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'amount' }))
    expect(await ledger.budget.handle(raw({ ...estimate, amount: 10.5 }))()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'amount' }))
    expect(await ledger.budget.handle(raw({ ...estimate, amount: 0 }))()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'amount' }))

    const other = exampleRegistration({ contractId: 'C-2' as ContractId })
    expect(await ledger.contracts.handle({ ...other, value: -5 as Tiyn })()).toMatchObject(E.left({ _tag: 'InvalidInput', input: 'RegisterContract', field: 'value' }))
    expect(await ledger.contracts.handle({ ...other, value: 0 as Tiyn })()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'value' }))
    expect(await ledger.contracts.handle({ ...other, calendarId: 'kz-7day' })()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'calendarId' }))
    const amendment = { type: 'AmendContract' as const, contractId, amendmentId: 'A-1', effectiveFrom: '2024-03-01' as LocalDate, reason: 'r', actor: exampleSupplier, at: at('2024-02-01T00:00:00Z') }
    expect(await ledger.contracts.handle({ ...amendment, changes: { value: 0 as Tiyn } })()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'changes.value' }))
    expect(await ledger.contracts.handle({ ...amendment, changes: { calendarId: 'nowhere' } })()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'changes.calendarId' }))

    const filing = {
      type: 'FileRequest' as const, contractId, ticketId: 'T-1', actor: exampleCustomer, at: at('2024-02-01T05:00:00Z'), receivedAt: at('2024-02-01T05:00:00Z'),
      kind: 'defect', priority: 'normal', channel: 'redmine', subject: 'x'.repeat(maxSubjectLength + 1),
    }
    expect(await ledger.tickets.handle(raw(filing))()).toMatchObject(E.left({ _tag: 'InvalidInput', input: 'FileRequest', field: 'subject' }))
    expect(await ledger.tickets.handle(raw({ ...filing, subject: 'x'.repeat(maxSubjectLength) }))()).toMatchObject(E.right({ version: 1 }))
    expect(await ledger.tickets.handle(raw({ ...filing, ticketId: 'T-2', subject: 'ok', description: 'y'.repeat(10_001) }))()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'description' }))
    expect(logged()).toBe(before + 1)
  })

  it('refuses a clock window past a year and an instant outside 2000 to 2099, which would run a clock past what a date holds', async () => {
    const { ledger, logged } = await setUp()
    await ledger.incidents.handle({ type: 'ReportFailure', contractId, incidentId: raw('I-1'), actor: exampleCustomer, at: at('2024-02-05T05:00:00Z'), summary: 'down', site: 'DC' })()
    const before = logged()
    const demand = { type: 'DemandOnSite', contractId, incidentId: 'I-1', actor: exampleCustomer, at: at('2024-02-05T05:05:00Z'), site: 'DC' }
    const rule = { measure: 'elapsed', minutes: Number.MAX_SAFE_INTEGER, pausable: false, warnAtBps: [] }
    expect(await ledger.incidents.handle(raw({ ...demand, arrivalRule: rule }))()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'arrivalRule.minutes' }))
    expect(await ledger.contracts.handle(raw({ type: 'AmendContract', contractId, amendmentId: 'A-0', effectiveFrom: '2024-03-01', changes: { policy: { backupLagLimitMinutes: -5 } }, reason: 'r', actor: exampleSupplier, at: at('2024-02-05T05:05:00Z') }))()).toMatchObject(
      E.left({ _tag: 'InvalidInput', field: 'changes.policy.backupLagLimitMinutes' }),
    )
    await ledger.tickets.handle(raw({ type: 'FileRequest', contractId, ticketId: 'T-1', actor: exampleCustomer, at: at('2024-02-05T05:00:00Z'), receivedAt: at('2024-02-05T05:00:00Z'), kind: 'defect', priority: 'normal', channel: 'phone', subject: 's' }))()
    expect(await ledger.tickets.handle(raw({ type: 'ProposeDeadline', contractId, ticketId: 'T-1', actor: exampleSupplier, at: at('2024-02-05T05:10:00Z'), deadline: '9999-12-31T23:59:59.999Z' }))()).toMatchObject(
      E.left({ _tag: 'InvalidInput', field: 'deadline' }),
    )
    expect(await ledger.contracts.handle(raw({ type: 'AmendContract', contractId, amendmentId: 'A-1', effectiveFrom: '2024-03-01', changes: { termEnd: '9999-12-31' }, reason: 'r', actor: exampleSupplier, at: at('2024-02-05T05:10:00Z') }))()).toMatchObject(
      E.left({ _tag: 'InvalidInput', field: 'changes.termEnd' }),
    )
    expect(await ledger.report(raw({ contractId, asOf: '9999-01-01T00:00:00.000Z', period: { kind: 'contract-to-date' } }))()).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'asOf' }))
    expect(logged()).toBe(before + 1)
  })

  it('refuses a report period or as-of instant that is not one, instead of rendering NaN', async () => {
    const { ledger } = await setUp()
    const asOf = at('2024-06-01T00:00:00Z')
    const report = (input: unknown) => ledger.report(raw(input))()
    expect(await report({ contractId, asOf, period: { kind: 'quarter', quarter: '2025-Q7' } })).toMatchObject(E.left({ _tag: 'InvalidInput', input: 'report', field: 'period.quarter' }))
    expect(await report({ contractId, asOf, period: { kind: 'month', month: '2025-13' } })).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'period.month' }))
    expect(await report({ contractId, asOf, period: { kind: 'fortnight' } })).toMatchObject(E.left({ _tag: 'InvalidInput', field: expect.stringMatching(/^period/) }))
    expect(await report({ contractId, asOf: 'yesterday', period: { kind: 'contract-to-date' } })).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'asOf' }))
    const events = await ledger.events()()
    if (E.isLeft(events)) throw new Error(events.left.message)
    expect(buildComplianceReport(raw({ contractId, events: events.right, asOf, period: { kind: 'quarter', quarter: '2025-Q7' }, calendars }))).toMatchObject(E.left({ _tag: 'InvalidInput', field: 'period.quarter' }))
    expect(E.isRight(await report({ contractId, asOf, period: { kind: 'quarter', quarter: '2024-Q2' } }))).toBe(true)
  })
})
