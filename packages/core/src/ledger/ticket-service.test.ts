import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { countersignAmendment } from '../contract/contract-commands.js'
import { exampleCountersignature, exampleRegistration } from '../contract/contract-fixtures.js'
import type { ContractId, LocalDate } from '../contract/contract-terms.js'
import { createInMemoryStorage, inMemoryEventStore, inMemoryStores } from '../kernel/in-memory-event-store.js'
import { instantOf } from '../kernel/instant.js'
import type { PositiveMinutes } from '../sla/sla-policy.js'
import { defaultSlaPolicy } from '../sla/sla-policy.js'
import type { TicketId } from '../ticket/ticket-commands.js'
import { ticketEvents, ticketStreamId } from '../ticket/ticket-events.js'
import { contractLedger, type TicketRequest } from './contract-ledger.js'
import { expectReaches } from '../testing/arbitraries.js'
import { customer, instant, supplier } from '../ticket/ticket.fixture.js'

const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
if (E.isLeft(registry)) throw new Error(registry.left.message)

const setup = () => {
  const storage = createInMemoryStorage()
  const tickets = inMemoryEventStore(ticketEvents, storage)
  const service = contractLedger({ storeFor: inMemoryStores(storage), calendars: registry.right })
  return { service, tickets }
}
/** The supplier proposes the example terms and the customer countersigns them. */
const sign = async (service: ReturnType<typeof setup>['service']) => {
  const proposed = await service.contracts.handle(exampleRegistration())()
  const signed = await service.contracts.handle(exampleCountersignature())()
  if (E.isLeft(proposed) || E.isLeft(signed)) throw new Error('contract not signed')
}
const contractId = 'C-2024-001' as ContractId
const run = async <A>(task: () => Promise<A>): Promise<A> => task()

const fileRequest = (ticketId: string, receivedAt: string, kind: 'defect' | 'consultation' = 'defect'): TicketRequest => ({
  type: 'FileRequest',
  contractId,
  ticketId: ticketId as TicketId,
  actor: customer,
  at: instant(receivedAt),
  kind,
  priority: 'normal',
  channel: 'redmine',
  receivedAt: instant(receivedAt),
  subject: 'Report fails',
})

describe('Ticket service on the in-memory store', () => {
  it('loads the contract terms in force and files, proposes and agrees; the obligation states come from the stored events', async () => {
    const { service, tickets } = setup()
    expect(E.isRight(await run(service.contracts.handle(exampleRegistration())))).toBe(true)
    expect(E.isRight(await run(service.contracts.handle(exampleCountersignature())))).toBe(true)
    const filed = await run(service.tickets.handle(fileRequest('T-1', '2024-06-03T10:00:00+05:00')))
    expect(filed).toMatchObject({ _tag: 'Right', right: { version: 1, state: { status: 'open', calendarId: 'kz-5day', slaPolicy: defaultSlaPolicy } } })
    const base = { contractId, ticketId: 'T-1' as TicketId }
    await run(service.tickets.handle({ ...base, type: 'ProposeDeadline', actor: supplier, at: instant('2024-06-03T11:00:00+05:00'), deadline: instant('2024-06-05T18:00:00+05:00') }))
    const agreed = await run(service.tickets.handle({ ...base, type: 'AgreeDeadline', actor: customer, at: instant('2024-06-03T11:10:00+05:00'), deadline: instant('2024-06-05T18:00:00+05:00') }))
    expect(agreed).toMatchObject({ _tag: 'Right', right: { version: 3 } })

    const stored = await run(tickets.readStream(ticketStreamId(contractId, 'T-1')))
    if (E.isLeft(stored)) throw new Error(stored.left.message)
    const states = await run(service.ticketObligations(contractId, 'T-1', instant('2024-06-04T12:00:00+05:00')))
    if (E.isLeft(states)) throw new Error(states.left.message)
    expect(states.right.map((s) => [s.obligation, s.status])).toEqual([
      ['deadline-proposal', 'met'],
      ['agreed-deadline', 'pending'],
    ])
    // Clause 2 is met by the agreement, and cites the proposal before it.
    expect(states.right[0]?.evidence.map((e) => [e.role, e.eventId])).toEqual([
      ['started', stored.right.events[0]?.eventId],
      ['proposed', stored.right.events[1]?.eventId],
      ['stopped', stored.right.events[2]?.eventId],
    ])
  })

  it('applies an amendment only from its effective date: a request before it keeps the old policy', async () => {
    const { service } = setup()
    await sign(service)
    const oneHour = {
      ...defaultSlaPolicy,
      deadlineProposal: { ...defaultSlaPolicy.deadlineProposal, rules: { default: { ...defaultSlaPolicy.deadlineProposal.rules.default, minutes: 60 as PositiveMinutes }, byPriority: {} } },
    }
    const amended = await run(
      service.contracts.handle({
        type: 'AmendContract',
        contractId,
        amendmentId: 'A-1',
        effectiveFrom: '2024-07-01' as LocalDate,
        changes: { slaPolicy: oneHour },
        reason: 'faster reaction',
        actor: customer,
        at: instant('2024-06-20T10:00:00+05:00'),
      }),
    )
    expect(E.isRight(amended)).toBe(true)
    expect(E.isRight(await run(service.contracts.handle(countersignAmendment({ contractId, amendmentId: 'A-1', actor: supplier, at: instant('2024-06-21T10:00:00+05:00') }))))).toBe(true)
    await run(service.tickets.handle(fileRequest('T-1', '2024-06-30T23:00:00+05:00')))
    await run(service.tickets.handle(fileRequest('T-2', '2024-07-01T00:00:00+05:00')))
    const dueOf = async (id: string) => {
      const r = await run(service.ticketObligations(contractId, id, instant('2024-07-01T00:10:00+05:00')))
      return E.isRight(r) ? r.right[0]?.dueAt : undefined
    }
    expect(await dueOf('T-1')).toBe(instant('2024-07-01T01:00:00+05:00'))
    expect(await dueOf('T-2')).toBe(instant('2024-07-01T01:00:00+05:00'))
    const windows = await Promise.all(['T-1', 'T-2'].map((id) => run(service.ticketObligations(contractId, id, instant('2024-07-01T00:10:00+05:00')))))
    expect(windows.map((w) => (E.isRight(w) ? w.right[0]?.windowMinutes : undefined))).toEqual([120, 60])
  })

  it('refuses a ticket command on an unregistered contract and outside the term, writing nothing', async () => {
    const { service, tickets } = setup()
    expect(await run(service.tickets.handle(fileRequest('T-1', '2024-06-03T10:00:00+05:00')))).toMatchObject({ _tag: 'Left', left: { _tag: 'ContractNotRegistered' } })
    await sign(service)
    expect(await run(service.tickets.handle(fileRequest('T-1', '2027-01-01T10:00:00+05:00')))).toMatchObject({ _tag: 'Left', left: { _tag: 'ContractNotInForce' } })
    const read = await run(tickets.readStream(ticketStreamId(contractId, 'T-1')))
    expect(E.isRight(read) && read.right.version).toBe(0)
  })

  it('finishes a defect received on the last evening of the term after the term ends, and judges it met', async () => {
    const { service } = setup()
    await run(service.contracts.handle(exampleRegistration({ term: { start: '2024-01-01' as LocalDate, end: '2024-06-03' as LocalDate } })))
    expect(await run(service.contracts.handle(exampleCountersignature()))).toMatchObject({ _tag: 'Right' })
    const base = { contractId, ticketId: 'T-1' as TicketId }
    const deadline = instant('2024-06-05T18:00:00+05:00')
    const steps: ReadonlyArray<TicketRequest> = [
      fileRequest('T-1', '2024-06-03T22:30:00+05:00'),
      { ...base, type: 'ProposeDeadline', actor: supplier, at: instant('2024-06-04T00:00:00+05:00'), deadline },
      { ...base, type: 'AgreeDeadline', actor: customer, at: instant('2024-06-04T00:15:00+05:00'), deadline },
      { ...base, type: 'DeliverResult', actor: supplier, at: instant('2024-06-05T12:00:00+05:00'), deliveryId: 'D-1', summary: 'fixed' },
      { ...base, type: 'AcceptResult', actor: customer, at: instant('2024-06-05T13:00:00+05:00'), deliveryId: 'D-1' },
    ]
    for (const step of steps) expect(await run(service.tickets.handle(step))).toMatchObject({ _tag: 'Right' })
    const states = await run(service.ticketObligations(contractId, 'T-1', instant('2024-06-06T00:00:00+05:00')))
    expect(E.isRight(states) && states.right.map((s) => [s.clause, s.status])).toEqual([
      [2, 'met'],
      [3, 'met'],
    ])
    // A new request received after the term is refused.
    expect(await run(service.tickets.handle(fileRequest('T-2', '2024-06-04T09:00:00+05:00')))).toMatchObject({ _tag: 'Left', left: { _tag: 'ContractNotInForce' } })
  })

  it('never refuses a consultation for how many there were while the contract is in force', async () => {
    const inTerm = fc.integer({ min: Date.parse('2024-01-01T00:00:00+06:00'), max: Date.parse('2026-12-31T23:59:59.999+05:00') })
    const timesArb = fc.array(inTerm, { minLength: 1, maxLength: 60, size: 'max' })
    expectReaches(timesArb, {
      'thirty consultations or more': { atLeast: 0.4, reached: (times) => times.length >= 30 },
      'two on one day': { atLeast: 0.3, reached: (times) => new Set(times.map((ms) => new Date(ms).toISOString().slice(0, 10))).size < times.length },
    })
    await fc.assert(
      fc.asyncProperty(timesArb, async (times) => {
        const { service } = setup()
        await sign(service)
        for (const [i, ms] of times.entries()) {
          const result = await run(service.tickets.handle(fileRequest(`Q-${i}`, instantOf(ms), 'consultation')))
          expect(result).toMatchObject({ _tag: 'Right', right: { version: 1 } })
        }
      }),
      { numRuns: 30 },
    )
  })
})
