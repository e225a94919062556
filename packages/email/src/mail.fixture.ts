/** Contacts, a sender and recorded events to test mails with: one contract, a person per role, three languages. */
import type { Instant, LedgerEvent, RecordedEvent } from '@support-ledger/core'
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
