import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../contract/contract-fixtures.js'
import type { BasisPoints, ContractId, LocalDate } from '../contract/contract-terms.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { Instant } from '../kernel/instant.js'
import type { TicketId } from '../ticket/ticket-commands.js'
import { buildComplianceReport } from '../report/compliance-report.js'
import { contractLedger } from './contract-ledger.js'
import { renderReportMarkdown } from '../report/report-markdown.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const at = (iso: string) => new Date(iso).toISOString() as Instant
const contractId = 'C-2024-001' as ContractId
const ticketId = 'T-1' as TicketId

/** A ledger whose clock the test moves: the instant each command is recorded. */
const setUp = async (registration = exampleRegistration({ at: at('2024-01-02T04:00:00Z') })) => {
  let now = registration.at
  // One storage for every catalog's store, as they would share a database.
  const storage = createInMemoryStorage()
  const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars, clock: () => now })
  const registered = await ledger.contracts.handle(registration)()
  if (E.isLeft(registered)) throw new Error(registered.left.message)
  const signed = await ledger.contracts.handle(exampleCountersignature({ contractId: registration.contractId, at: registration.at }))()
  if (E.isLeft(signed)) throw new Error(signed.left.message)
  return { ledger, setNow: (iso: string) => { now = at(iso) } }
}

const file = (receivedAt: string, extra: Record<string, unknown> = {}) => ({
  type: 'FileRequest' as const, contractId, ticketId, actor: exampleCustomer, at: at(receivedAt), receivedAt: at(receivedAt),
  kind: 'defect' as const, priority: 'normal' as const, channel: 'phone' as const, subject: 'Report fails', ...extra,
})

describe('declared time against recorded time', () => {
  it('refuses a deadline proposal declared 1 h after receipt but recorded 7 h after, unless it names its source; then the report marks it', async () => {
    const { ledger, setNow } = await setUp()
    setNow('2024-03-04T05:00:00Z')
    expect(E.isRight(await ledger.tickets.handle(file('2024-03-04T05:00:00Z'))())).toBe(true)
    setNow('2024-03-04T12:00:00Z')
    const proposal = { type: 'ProposeDeadline' as const, contractId, ticketId, actor: exampleSupplier, at: at('2024-03-04T06:00:00Z'), deadline: at('2024-03-08T12:00:00Z') }
    const before = await ledger.events()()
    expect(await ledger.tickets.handle(proposal)()).toMatchObject(E.left({ _tag: 'DeclaredTimeUnsourced', field: 'at', declaredAt: '2024-03-04T06:00:00.000Z', recordedAt: '2024-03-04T12:00:00.000Z', toleranceMinutes: 15 }))
    expect(await ledger.events()()).toEqual(before)

    const sourced = await ledger.tickets.handle({ ...proposal, timeSource: { kind: 'redmine', reference: 'issue #512, journal 3' } })()
    expect(E.isRight(sourced)).toBe(true)
    const report = await ledger.report({ contractId, asOf: at('2024-03-05T00:00:00Z'), period: { kind: 'month', month: '2024-03' } })()
    if (E.isLeft(report)) throw new Error(report.left.message)
    const clause2 = report.right.obligations.find((o) => o.obligation === 'deadline-proposal')
    expect(clause2?.verdicts[0]?.recordedLate).toEqual([
      { eventId: expect.any(String), declaredAt: '2024-03-04T06:00:00.000Z', recordedAt: '2024-03-04T12:00:00.000Z', source: { kind: 'redmine', reference: 'issue #512, journal 3' } },
    ])
    expect(clause2?.verdicts[0]?.evidence.map((e) => e.eventId)).toContain(clause2?.verdicts[0]?.recordedLate?.[0]?.eventId)
    expect(renderReportMarkdown(report.right, 'en')).toContain('recorded late: 2024-03-04 17:00, redmine issue \\#512, journal 3')
  })

  it('keeps a report already issued: an amendment recorded in June cannot take effect in March, whatever date it declares', async () => {
    const { ledger, setNow } = await setUp()
    const asked = { contractId, asOf: at('2024-04-30T00:00:00Z'), period: { kind: 'contract-to-date' as const } }
    setNow('2024-04-30T00:00:00Z')
    const issued = await ledger.report(asked)()
    setNow('2024-06-10T06:00:00Z')
    const amendment = {
      type: 'AmendContract' as const, contractId, amendmentId: 'A-1', effectiveFrom: '2024-03-01' as LocalDate, changes: { customizationCapBps: 500 as BasisPoints },
      reason: 'signed in February', actor: exampleSupplier, at: at('2024-02-10T06:00:00Z'),
    }
    expect(await ledger.contracts.handle(amendment)()).toMatchObject(E.left({ _tag: 'DeclaredTimeUnsourced', field: 'at' }))
    const withSource = await ledger.contracts.handle({ ...amendment, timeSource: { kind: 'document', reference: 'amendment No. 1 of 2024-02-10' } })()
    expect(withSource).toMatchObject(E.left({ _tag: 'AmendmentBackdated', effectiveAt: '2024-02-29T19:00:00.000Z', at: '2024-06-10T06:00:00.000Z' }))
    expect(await ledger.contracts.handle({ ...amendment, timeSource: { kind: 'document', reference: 'amendment No. 1' } })()).toMatchObject(E.left({ _tag: 'AmendmentBackdated' }))
    expect(await ledger.report(asked)()).toEqual(issued)
    // From a date after its recording it is accepted.
    expect(E.isRight(await ledger.contracts.handle({ ...amendment, effectiveFrom: '2024-07-01' as LocalDate, at: at('2024-06-10T06:00:00Z') })())).toBe(true)
  })

  it('keeps a report already issued from the countersignature too: an amendment signed by the other party after its effective date is refused, whatever date it declares', async () => {
    const { ledger, setNow } = await setUp()
    setNow('2024-02-10T06:00:00Z')
    const proposed = await ledger.contracts.handle({
      type: 'AmendContract', contractId, amendmentId: 'A-1', effectiveFrom: '2024-03-01' as LocalDate, changes: { customizationCapBps: 500 as BasisPoints },
      reason: 'proposed in February', actor: exampleSupplier, at: at('2024-02-10T06:00:00Z'),
    })()
    expect(E.isRight(proposed)).toBe(true)
    setNow('2024-03-10T06:00:00Z')
    const countersign = { type: 'CountersignAmendment' as const, contractId, amendmentId: 'A-1', actor: exampleCustomer, at: at('2024-02-20T06:00:00Z'), timeSource: { kind: 'document' as const, reference: 'signed copy of 2024-02-20' } }
    expect(await ledger.contracts.handle(countersign)()).toMatchObject(E.left({ _tag: 'AmendmentBackdated', effectiveAt: '2024-02-29T19:00:00.000Z', at: '2024-03-10T06:00:00.000Z' }))
    // Recorded before the effective date, the same signature binds.
    setNow('2024-02-20T06:00:00Z')
    expect(E.isRight(await ledger.contracts.handle({ ...countersign, at: at('2024-02-20T06:00:00Z') })())).toBe(true)
  })

  it('refuses a contract command dated before the contract\'s last event, and a time declared in the future', async () => {
    const { ledger, setNow } = await setUp()
    setNow('2024-05-01T00:00:00Z')
    const amendment = { type: 'AmendContract' as const, contractId, amendmentId: 'A-1', effectiveFrom: '2024-06-01' as LocalDate, changes: { customizationCapBps: 1400 as BasisPoints }, reason: 'r', actor: exampleSupplier }
    expect(E.isRight(await ledger.contracts.handle({ ...amendment, at: at('2024-05-01T00:00:00Z') })())).toBe(true)
    expect(await ledger.contracts.handle({ ...amendment, amendmentId: 'A-2', at: at('2024-04-30T23:59:00Z') })()).toMatchObject(
      E.left({ _tag: 'DatedBeforeContractHistory', at: '2024-04-30T23:59:00.000Z', last: '2024-05-01T00:00:00.000Z' }),
    )
    expect(await ledger.tickets.handle(file('2024-05-01T02:00:00Z'))()).toMatchObject(E.left({ _tag: 'DeclaredTimeInFuture', field: 'receivedAt' }))
  })

  it('takes a filing from Redmine or e-mail with its own source, marks it, and refuses a late phone call without one', async () => {
    const { ledger, setNow } = await setUp()
    setNow('2024-03-06T05:00:00Z')
    expect(await ledger.tickets.handle({ ...file('2024-03-04T05:00:00Z'), at: at('2024-03-06T05:00:00Z') })()).toMatchObject(E.left({ _tag: 'DeclaredTimeUnsourced', field: 'receivedAt' }))
    const filed = await ledger.tickets.handle({ ...file('2024-03-04T05:00:00Z'), at: at('2024-03-06T05:00:00Z'), channel: 'redmine', externalRef: '#77' })()
    expect(E.isRight(filed)).toBe(true)
    const events = await ledger.events()()
    if (E.isLeft(events)) throw new Error(events.left.message)
    const stored = events.right.find((e) => e.type === 'RequestFiled')
    expect(stored?.metadata).toMatchObject({ recordedLate: { declaredAt: '2024-03-04T05:00:00.000Z', recordedAt: '2024-03-06T05:00:00.000Z', source: { kind: 'redmine', reference: '#77' } } })
  })

  it('takes the tolerance from the contract: a registration may allow eight hours', async () => {
    const { ledger, setNow } = await setUp(exampleRegistration({ at: at('2024-01-02T04:00:00Z'), recordingPolicy: { lateEntryToleranceMinutes: 480 } }))
    setNow('2024-03-04T12:00:00Z')
    const filed = await ledger.tickets.handle({ ...file('2024-03-04T05:00:00Z') })()
    expect(E.isRight(filed)).toBe(true)
    const events = await ledger.events()()
    if (E.isLeft(events)) throw new Error(events.left.message)
    expect(events.right.find((e) => e.type === 'RequestFiled')?.metadata.recordedLate).toBeUndefined()
    const report = buildComplianceReport({ contractId, events: events.right, asOf: at('2024-03-05T00:00:00Z'), period: { kind: 'month', month: '2024-03' }, calendars })
    expect(E.isRight(report) && report.right.obligations.every((o) => o.verdicts.every((v) => v.recordedLate === undefined))).toBe(true)
  })
})
