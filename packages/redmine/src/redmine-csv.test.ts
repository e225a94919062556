import { contractLedger, createInMemoryStorage, exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier, inMemoryEventStore, ledgerEvents, type ContractId, type Instant, type TicketId } from '@support-ledger/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { CSV_COLUMNS, csvField, parseCsv, redmineCsv } from './redmine-csv.js'
import { defaultRedmineMapping } from './redmine-mapping.js'
import { calendars } from './redmine-test-ledger.js'

const contractId = 'C-2024-001' as ContractId
const at = (iso: string) => new Date(iso).toISOString() as Instant

describe('redmine csv', () => {
  it('writes any text so that reading it back gives the same fields', () => {
    const special = fc.constantFrom(',', '"', '\r\n', '\n', ';', ' ', 'ё', 'Ә')
    const text = fc.array(fc.oneof(fc.string(), special), { maxLength: 6 }).map((xs) => xs.join(''))
    let quoted = 0
    let runs = 0
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        runs++
        const width = rows[0]!.length
        const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''))
        const csv = table.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
        if (csv.includes('"')) quoted++
        expect(parseCsv(csv)).toEqual(table)
      }),
      { numRuns: 400 },
    )
    // The property is about quoting: most tables must hold a field that needs it.
    expect(quoted / runs).toBeGreaterThan(0.5)
  })

  it("lists a contract's requests in the columns Redmine's importer maps by name", async () => {
    const storage = createInMemoryStorage()
    const ledger = contractLedger({ storeFor: (c) => inMemoryEventStore(c, storage), calendars })
    await ledger.contracts.handle(exampleRegistration())()
    await ledger.contracts.handle(exampleCountersignature())()
    const ticketId = 'T-1' as TicketId
    await ledger.tickets.handle({ type: 'FileRequest', contractId, ticketId, actor: exampleCustomer, at: at('2025-03-03T09:00:00+05:00'), receivedAt: at('2025-03-03T09:00:00+05:00'), kind: 'defect', priority: 'high', channel: 'email', subject: 'Счёт, "срочно"', description: 'Строка 1\nСтрока 2' })()
    await ledger.tickets.handle({ type: 'ProposeDeadline', contractId, ticketId, actor: exampleSupplier, at: at('2025-03-03T10:00:00+05:00'), deadline: at('2025-03-05T18:00:00+05:00') })()
    await ledger.tickets.handle({ type: 'AgreeDeadline', contractId, ticketId, actor: exampleCustomer, at: at('2025-03-03T11:00:00+05:00'), deadline: at('2025-03-05T18:00:00+05:00') })()
    const events = await inMemoryEventStore(ledgerEvents, storage).readAll({ after: 0 })()
    if (E.isLeft(events)) throw new Error(events.left.message)
    const mapping = defaultRedmineMapping([{ project: 'support', contractId }], [])
    const rows = parseCsv(redmineCsv(mapping, events.right.events, { contractId }))
    expect(rows[0]).toEqual([...CSV_COLUMNS, 'Ledger key', 'Request kind'])
    expect(rows[1]).toEqual(['T-1', 'Bug', 'Счёт, "срочно"', 'Строка 1\nСтрока 2', 'In Progress', 'High', '2025-03-03', '2025-03-05', 'ticket:T-1', 'defect'])
    expect(parseCsv(redmineCsv(mapping, events.right.events, { contractId: 'C-other' }))).toHaveLength(1)
  })
})
