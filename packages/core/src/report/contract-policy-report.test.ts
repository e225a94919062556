import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { countersignAmendment, type AmendContract } from '../contract/contract-commands.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../contract/contract-fixtures.js'
import { defaultContractPolicy } from '../contract/contract-policy.js'
import type { ContractId, LocalDate } from '../contract/contract-terms.js'
import type { DeliveryId, QuarterLabel, Sha256Hex } from '../delivery/delivery-events.js'
import type { IncidentId } from '../incident/incident-events.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { Instant } from '../kernel/instant.js'
import type { ComplianceReport } from './compliance-report.js'
import { contractLedger } from '../ledger/contract-ledger.js'
import { renderReportMarkdown } from './report-markdown.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const at = (iso: string) => new Date(iso).toISOString() as Instant
const contractId = 'C-2024-001' as ContractId

const must = async <A>(r: Promise<E.Either<{ readonly message: string }, A>>): Promise<A> => {
  const x = await r
  if (E.isLeft(x)) throw new Error(x.left.message)
  return x.right
}

/** The 2024 example contract, signed by both parties; `amend` proposed by the customer and countersigned by the supplier the next day. */
const signed = async (amend: ReadonlyArray<Omit<AmendContract, 'type' | 'contractId' | 'actor' | 'reason'>> = []) => {
  const storage = createInMemoryStorage()
  const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars })
  await must(ledger.contracts.handle(exampleRegistration({ term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } }))())
  await must(ledger.contracts.handle(exampleCountersignature())())
  for (const a of amend) {
    await must(ledger.contracts.handle({ type: 'AmendContract', contractId, actor: exampleCustomer, reason: 'agreed', ...a })())
    await must(ledger.contracts.handle(countersignAmendment({ contractId, amendmentId: a.amendmentId, actor: exampleSupplier, at: at(new Date(Date.parse(a.at) + 3_600_000).toISOString()) }))())
  }
  return ledger
}

const rows = (report: ComplianceReport, obligation: string) => report.obligations.find((o) => o.obligation === obligation)?.verdicts ?? []

describe('the rules the contract does not state, in the report', () => {
  it('lists the rules it applied, each marked as the default or as agreed by both parties', async () => {
    const ledger = await signed([{ amendmentId: 'GRACE', effectiveFrom: '2024-03-01' as LocalDate, at: at('2024-02-01T10:00:00Z'), changes: { policy: { deliveryGraceDays: 20 } } }])
    const report = await must(ledger.report({ contractId, asOf: at('2024-12-01T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(report.assumptions).toEqual([
      { rule: 'failureReportWindow', value: '4800 business minutes', source: 'default', from: '2024-01-01' },
      { rule: 'deliveryGraceDays', value: '10', source: 'default', from: '2024-01-01' },
      { rule: 'archiving', value: 'monthly', source: 'default', from: '2024-01-01' },
      { rule: 'backupLagLimitMinutes', value: '1440', source: 'default', from: '2024-01-01' },
      { rule: 'testStandWindow', value: '4800 business minutes', source: 'default', from: '2024-01-01' },
      { rule: 'deliveryGraceDays', value: '20', source: 'agreed', from: '2024-03-01' },
    ])
    expect(renderReportMarkdown(report, 'en')).toContain('| Days after a quarter for its delivery | 20 | agreed by both parties | 2024-03-01 |')
    // Before the amendment took effect, the report applied the default alone.
    const before = await must(ledger.report({ contractId, asOf: at('2024-02-15T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(before.assumptions.filter((a) => a.rule === 'deliveryGraceDays')).toEqual([{ rule: 'deliveryGraceDays', value: '10', source: 'default', from: '2024-01-01' }])
    // The quarters end after the amendment took effect, so each is due 20 days after its last day, from the record, not a parameter.
    expect(rows(report, 'quarterly-delivery').map((r) => r.dueAt)).toEqual([
      at('2024-04-20T18:59:59.999Z'), at('2024-07-20T18:59:59.999Z'), at('2024-10-20T18:59:59.999Z'), at('2025-01-20T18:59:59.999Z'),
    ])
  })

  it('takes the delivery grace days from the contract, never from the command: a delivery within the agreed days is met', async () => {
    const ledger = await signed([{ amendmentId: 'GRACE', effectiveFrom: '2024-03-01' as LocalDate, at: at('2024-02-01T10:00:00Z'), changes: { policy: { deliveryGraceDays: 20 } } }])
    const request = {
      type: 'RecordDelivery', contractId, deliveryId: 'D-1' as DeliveryId, actor: exampleSupplier, at: at('2024-04-15T10:00:00Z'), quarter: '2024-Q1' as QuarterLabel,
      version: '2.1.0', artifactSha256: 'c'.repeat(64) as Sha256Hex, changes: [], graceDays: -200,
    } as const
    const recorded = await must(ledger.deliveries.handle(request)())
    expect(recorded.events[0]?.data).toMatchObject({ dueAt: at('2024-04-20T18:59:59.999Z') })
    const report = await must(ledger.report({ contractId, asOf: at('2024-06-01T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(rows(report, 'quarterly-delivery')[0]).toMatchObject({ subject: 'quarter 2024-Q1', verdict: 'met' })
  })

  it('applies an archiving cadence agreed mid-term from its effective date, and the signed one before it', async () => {
    const ledger = await signed([{ amendmentId: 'WEEKLY', effectiveFrom: '2024-04-10' as LocalDate, at: at('2024-03-20T10:00:00Z'), changes: { policy: { archiving: 'weekly' } } }])
    for (const [id, when] of [['A-1', '2024-01-20'], ['A-2', '2024-02-20'], ['A-3', '2024-03-20'], ['A-4', '2024-04-02'], ['A-5', '2024-04-11']] as const) {
      await must(ledger.operations.handle({ type: 'RecordArchive', contractId, actor: exampleSupplier, at: at(`${when}T10:00:00Z`), archiveId: id, database: 'main', sizeBytes: 1_000, sha256: 'a'.repeat(64) as Sha256Hex })())
    }
    const report = await must(ledger.report({ contractId, asOf: at('2024-04-23T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(rows(report, 'archiving').map((r) => `${r.subject}:${r.verdict}`)).toEqual(['2024-01:met', '2024-02:met', '2024-03:met', '2024-04:met', '2024-W15:met', '2024-W16:breached', '2024-W17:pending'])
  })

  it('clause 7: an incident never marked restored owes its report from the failure report, awaited and then breached, never "not due"', async () => {
    const ledger = await signed()
    await must(ledger.incidents.handle({ type: 'ReportFailure', contractId, incidentId: 'INC-1' as IncidentId, actor: exampleCustomer, at: at('2024-02-05T09:00:00+06:00'), summary: 'down', site: 'DC' })())
    const soon = await must(ledger.report({ contractId, asOf: at('2024-02-06T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(soon.incidents[0]?.failureReport).toMatchObject({ status: 'awaited', verdict: 'pending' })
    const late = await must(ledger.report({ contractId, asOf: at('2024-12-30T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(late.incidents[0]?.failureReport).toMatchObject({ status: 'awaited', verdict: 'breached' })
    // 10 business days of 8 hours from Monday 5 February 09:00 (the default window): Friday 16 February 18:00, Almaty then UTC+6.
    expect(rows(late, 'failure-report')).toMatchObject([{ subject: 'incident INC-1', verdict: 'breached', dueAt: at('2024-02-16T18:00:00+06:00') }])
  })

  it('clause 9: a contract with no test stand registered shows the obligation unmet', async () => {
    const ledger = await signed()
    const report = await must(ledger.report({ contractId, asOf: at('2024-03-01T00:00:00Z'), period: { kind: 'contract-to-date' } })())
    expect(rows(report, 'test-stand')).toMatchObject([{ subject: 'test stand registered', verdict: 'breached', detail: 'no test stand registered' }])
    expect(report.obligations.find((o) => o.obligation === 'test-stand')).toMatchObject({ total: 1, breached: 1 })
  })

  it('the defaults are the ones documented', () => {
    expect(defaultContractPolicy).toMatchObject({ deliveryGraceDays: 10, archiving: 'monthly', backupLagLimitMinutes: 1440, failureReportWindow: { measure: 'business', minutes: 4800 }, testStandWindow: { measure: 'business', minutes: 4800 } })
  })
})
