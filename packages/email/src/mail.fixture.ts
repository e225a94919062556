/** Contacts, a sender and recorded events to test mails with: one contract, a person per role, three languages. */
import {
  contractLedger,
  createCalendarRegistry,
  createInMemoryStorage,
  exampleCountersignature,
  exampleRegistration,
  inMemoryEventStore,
  inMemoryStores,
  KAZAKHSTAN_CALENDAR,
  ticketEvents,
  type ContractId,
  type Instant,
  type LedgerEvent,
  type RecordedEvent,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { ContractContacts } from './contract-contacts.js'
import type { MailAddress } from './mail-address.js'
import type { SenderIdentity } from './mail-message.js'

export const contractId = 'C-2024-001'

export const contacts: ContractContacts = {
  contractId,
  language: 'ru',
  timeZone: 'Asia/Almaty',
  customerName: 'ТОО «Заказчик»',
  supplierName: 'ТОО «Поставщик»',
  people: [
    { personId: 'aigerim', party: 'customer', name: 'Айгерим Сапарова', address: 'aigerim@customer.kz' as MailAddress, roles: ['contact'], locale: 'kk' },
    { personId: 'bolat', party: 'customer', name: 'Болат Ахметов', address: 'bolat@customer.kz' as MailAddress, roles: [] },
    { personId: 'daniyar', party: 'supplier', name: 'Daniyar Support', address: 'support@supplier.kz' as MailAddress, roles: ['support'], locale: 'en' },
    { personId: 'erlan', party: 'supplier', name: 'Ерлан Дежурный', address: 'oncall@supplier.kz' as MailAddress, roles: ['on-call'] },
    { personId: 'gulnara', party: 'supplier', name: 'Gulnara Manager', address: 'manager@supplier.kz' as MailAddress, roles: ['manager'], locale: 'en' },
  ],
}

export const sender: SenderIdentity = { from: { name: 'Служба поддержки', address: 'support@supplier.kz' }, messageIdDomain: 'mail.supplier.kz' }

let position = 0

/** A recorded event as a store gives it back. */
export const recorded = (event: LedgerEvent, actor: { party: 'customer' | 'supplier'; id: string }, at = '2026-03-05T04:30:00.000Z'): RecordedEvent<LedgerEvent> => {
  position += 1
  return {
    ...event,
    streamId: 'stream',
    streamVersion: 1,
    globalPosition: position,
    eventId: `0190f000-0000-7000-8000-${String(position).padStart(12, '0')}`,
    schemaVersion: 1,
    metadata: { actor, occurredAt: at as Instant, recordedAt: at as Instant },
  } as RecordedEvent<LedgerEvent>
}

/** A contract ledger on the in-memory store (its ticket entrance as `service`) with the fixture's contract proposed by the supplier and countersigned by the customer, every contact listed on it. */
export const ticketLedger = async () => {
  const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(registry)) throw new Error(registry.left.message)
  const storage = createInMemoryStorage()
  const tickets = inMemoryEventStore(ticketEvents, storage)
  const { tickets: service, contracts } = contractLedger({ storeFor: inMemoryStores(storage), calendars: registry.right })
  const registered = await contracts.handle(
    exampleRegistration({
      contractId: contractId as ContractId,
      parties: {
        customer: { name: contacts.customerName, people: ['aigerim', 'bolat'] },
        supplier: { name: contacts.supplierName, people: ['daniyar', 'erlan', 'gulnara'] },
      },
    }),
  )()
  if (E.isLeft(registered)) throw new Error(registered.left.message)
  const signed = await contracts.handle(exampleCountersignature({ contractId: contractId as ContractId, actor: { party: 'customer', id: 'aigerim' } }))()
  if (E.isLeft(signed)) throw new Error(signed.left.message)
  return { service, contracts, tickets, storage }
}

/** A raw RFC 5322 message, CRLF line ends; `headers` in order, then the body. */
export const rawMail = (headers: Readonly<Record<string, string>>, body: string): Buffer =>
  Buffer.from(
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n') + '\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' + body.replace(/\n/g, '\r\n'),
    'utf8',
  )

/** The RFC 2047 encoded form of a header value (UTF-8, base64). */
export const encodedWord = (s: string): string => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`
