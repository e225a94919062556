import { contractIdOf, contractLedger, createCalendarRegistry, createInMemoryStorage, inMemoryEventStore, inMemoryStores, instantOf, KAZAKHSTAN_CALENDAR, ledgerEvents, ticketIdOf } from '@support-ledger/core'
import { exampleCountersignature, exampleCustomer, exampleRegistration } from '@support-ledger/core/testing'
import { decodeRedmineMapping, defaultRedmineMapping, redmineCsv } from '@support-ledger/redmine'

const ids = { contractId: contractIdOf('C-2024-001'), ticketId: ticketIdOf('T-1') }
if (ids.contractId._tag === 'Left' || ids.ticketId._tag === 'Left') throw new Error('invalid ids')
const contractId = ids.contractId.right
const mapping = decodeRedmineMapping(JSON.parse(JSON.stringify(defaultRedmineMapping([{ project: 'support', contractId }], [{ redmineUserId: 6, person: 'aigerim' }]))))
const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
if (mapping._tag === 'Left' || calendars._tag === 'Left') throw new Error('invalid setup')
const storage = createInMemoryStorage()
const ledger = contractLedger({ storeFor: inMemoryStores(storage), calendars: calendars.right })
await ledger.contracts.handle(exampleRegistration())()
await ledger.contracts.handle(exampleCountersignature())()
const at = instantOf(Date.parse('2025-03-03T09:00:00+05:00'))
await ledger.tickets.handle({ type: 'FileRequest', contractId, ticketId: ids.ticketId.right, actor: exampleCustomer, at, receivedAt: at, kind: 'defect', priority: 'high', channel: 'phone', subject: 'Не печатается счёт-фактура' })()
const events = await inMemoryEventStore(ledgerEvents, storage).readAll({ after: 0 })()
if (events._tag === 'Right') console.log(redmineCsv(mapping.right, events.right.events, { contractId }))
