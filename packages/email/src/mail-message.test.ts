import type { LedgerEvent } from '@support-ledger/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContractContacts } from './contract-contacts.js'
import { mailAddress } from './mail-address.js'
import { composeMails, mailMessageId, threadOfMessageId, threadRootId } from './mail-message.js'
import { contacts, recorded, sender } from './mail.fixture.js'
import { loadMailTemplates, type MailTemplates } from './mail-templates.js'
import { notificationOfEvent, type MailThread } from './notification-policy.js'

let templates: MailTemplates
beforeAll(async () => {
  const loaded = await loadMailTemplates()
  if (E.isLeft(loaded)) throw new Error(loaded.left.message)
  templates = loaded.right
})

const at = '2026-03-05T04:30:00.000Z'
const capWarning = recorded(
  { type: 'CapWarningReached', data: { contractId: contacts.contractId, at, actor: { party: 'supplier', id: 'daniyar' }, changeId: 'CH-1', thresholdBps: 8000, committed: 123_456_789, cap: 150_000_000 } } as unknown as LedgerEvent,
  { party: 'supplier', id: 'daniyar' },
)
const proposed = (deadline: string) =>
  recorded({ type: 'DeadlineProposed', data: { ticketId: 'T-7', at, deadline } } as unknown as LedgerEvent, { party: 'supplier', id: 'daniyar' })

describe('composing mails', () => {
  it('writes each recipient in their language, dates in the contract zone and tenge in the locale', () => {
    const n = notificationOfEvent(capWarning, contacts)!
    const mails = composeMails(n, contacts, templates, sender)
    if (E.isLeft(mails)) throw new Error(mails.left.message)
    const [kk, en] = mails.right
    expect(kk!.mail.locale).toBe('kk')
    expect(kk!.mail.text).toContain('1\u00a0234\u00a0567,89\u00a0₸')
    expect(kk!.mail.text).toContain('80%')
    expect(en!.mail.locale).toBe('en')
    expect(en!.mail.text).toContain('KZT\u00a01,234,567.89')
    expect(en!.mail.text).toContain('KZT\u00a01,500,000.00')

    const deadline = composeMails(notificationOfEvent(proposed('2026-03-06T10:00:00.000Z'), contacts)!, contacts, templates, sender)
    if (E.isLeft(deadline)) throw new Error(deadline.left.message)
    // 10:00 UTC is 15:00 in Almaty (UTC+5); aigerim reads Kazakh.
    expect(deadline.right[0]!.mail.text).toContain('15:00')
    expect(deadline.right[0]!.mail.text).toContain('Asia/Almaty')
  })

  it('fixes the Message-ID from the dedupe key and threads every mail of a ticket to one root', () => {
    const a = composeMails(notificationOfEvent(proposed('2026-03-06T10:00:00.000Z'), contacts)!, contacts, templates, sender)
    const b = composeMails(notificationOfEvent(proposed('2026-03-07T10:00:00.000Z'), contacts)!, contacts, templates, sender)
    if (E.isLeft(a) || E.isLeft(b)) throw new Error('compose failed')
    const [ma, mb] = [a.right[0]!, b.right[0]!]
    expect(ma.mail.messageId).not.toBe(mb.mail.messageId)
    expect(ma.mail.references).toEqual(mb.mail.references)
    expect(ma.mail.inReplyTo).toBe(threadRootId(contacts.contractId, { kind: 'ticket', id: 'T-7' }, sender.messageIdDomain))
    const again = composeMails(notificationOfEvent(proposed('2026-03-06T10:00:00.000Z'), contacts)!, contacts, templates, sender)
    expect(E.isRight(again) && again.right[0]!.mail.messageId).not.toBe(ma.mail.messageId) // another event id, another mail
    expect(threadOfMessageId(ma.mail.messageId, sender.messageIdDomain)).toEqual({ contractId: contacts.contractId, thread: { kind: 'ticket', id: 'T-7' } })
  })

  it('reads the thread back from any id of ours, and from no one else\'s', () => {
    const kinds = fc.constantFrom<MailThread['kind']>('ticket', 'incident', 'budget', 'delivery')
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 128 }), kinds, fc.string({ minLength: 1, maxLength: 128 }), fc.string(), (contractId, kind, id, key) => {
        const thread = { kind, id }
        expect(threadOfMessageId(threadRootId(contractId, thread, 'mail.supplier.kz'), 'mail.supplier.kz')).toEqual({ contractId, thread })
        expect(threadOfMessageId(mailMessageId(key, contractId, thread, 'mail.supplier.kz'), 'MAIL.supplier.kz')).toEqual({ contractId, thread })
        expect(threadOfMessageId(mailMessageId(key, contractId, thread, 'mail.supplier.kz'), 'elsewhere.kz')).toBeUndefined()
      }),
      { numRuns: 300 },
    )
  })

  it('refuses a line break in a value bound for a header, and returns no mail of the notification', () => {
    const n = notificationOfEvent(
      recorded(
        {
          type: 'RequestFiled',
          data: { ticketId: 'T-9', at, contractId: contacts.contractId, kind: 'defect', priority: 'high', channel: 'email', receivedAt: at, subject: 'Hi\r\nBcc: victim@x.kz', calendarId: 'kz-5day', timeZone: 'Asia/Almaty' },
        } as unknown as LedgerEvent,
        { party: 'customer', id: 'bolat' },
      ),
      contacts,
    )!
    expect(composeMails(n, contacts, templates, sender)).toMatchObject({ _tag: 'Left', left: { _tag: 'HeaderInjection', field: 'subject' } })
  })

  it('refuses a malformed address or a name with a line break, naming the field', () => {
    const n = notificationOfEvent(capWarning, contacts)!
    const bad: ContractContacts = { ...contacts, people: contacts.people.map((p) => (p.personId === 'gulnara' ? { ...p, address: 'gulnara@@supplier' as never } : p)) }
    expect(composeMails({ ...n, recipients: bad.people.filter((p) => p.personId !== 'bolat') }, bad, templates, sender)).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'MalformedAddress', field: 'to[gulnara].address' },
    })
    const named = { ...n, recipients: [{ ...contacts.people[0]!, name: 'Aigerim\nBcc: x@y.kz' }] }
    expect(composeMails(named, contacts, templates, sender)).toMatchObject({ _tag: 'Left', left: { _tag: 'HeaderInjection', field: 'to[aigerim].name' } })
    expect(composeMails(n, contacts, templates, { ...sender, from: { name: 'x', address: 'no address' } })).toMatchObject({ _tag: 'Left', left: { _tag: 'MalformedAddress', field: 'from.address' } })
    expect(composeMails(n, contacts, templates, { ...sender, messageIdDomain: 'bad>domain' })).toMatchObject({ _tag: 'Left', left: { field: 'messageIdDomain' } })
  })
})

describe('mail addresses', () => {
  it('accepts plain addresses and refuses any value with CR or LF', () => {
    let broken = 0
    fc.assert(
      fc.property(fc.emailAddress(), fc.nat(60), fc.constantFrom('\r', '\n', '\r\n'), (address, cut, brk) => {
        expect(E.isRight(mailAddress('to', address))).toBe(true)
        const i = Math.min(cut, address.length)
        const injected = address.slice(0, i) + brk + 'Bcc: x@y.kz'
        if (injected !== address) broken += 1
        expect(mailAddress('to', injected)).toMatchObject({ _tag: 'Left', left: { _tag: 'HeaderInjection', field: 'to' } })
      }),
      { numRuns: 300 },
    )
    expect(broken).toBe(300)
  })

  it('refuses what is not an address', () => {
    for (const s of ['', 'plain', 'a@b', '@b.kz', 'a@', 'a b@c.kz', 'a..b@c.kz', '.a@c.kz', 'a@-c.kz', 'Name <a@c.kz>', 'a@c.kz,b@c.kz']) {
      expect(mailAddress('to', s)).toMatchObject({ _tag: 'Left', left: { _tag: 'MalformedAddress', field: 'to' } })
    }
  })
})

describe('the on-site arrival deadline', () => {
  const demand = (measure: 'elapsed' | 'business') =>
    recorded(
      {
        type: 'OnSiteDemanded',
        data: { contractId: contacts.contractId, at, actor: { party: 'customer', id: 'aigerim' }, incidentId: 'I-1', site: 'Астана', arrivalRule: { measure, minutes: 180, pausable: false, warnAtBps: [] } },
      } as unknown as LedgerEvent,
      { party: 'customer', id: 'aigerim' },
    )

  it('states the instant for an elapsed window, and the business minutes from the demand otherwise, never a wrong time', () => {
    const elapsed = composeMails(notificationOfEvent(demand('elapsed'), contacts)!, contacts, templates, sender)
    const business = composeMails(notificationOfEvent(demand('business'), contacts)!, contacts, templates, sender)
    if (E.isLeft(elapsed) || E.isLeft(business)) throw new Error('compose failed')
    // 04:30 UTC + 3 h = 07:30 UTC = 12:30 in Almaty; erlan reads Russian (the contract's language).
    expect(elapsed.right[0]!.mail.text).toContain('12:30')
    expect(business.right[0]!.mail.text).toContain('Срок прибытия: 180 мин рабочего времени с 5 марта 2026 г. в 09:30 (Asia/Almaty)')
    expect(business.right[0]!.mail.text).toContain('09:30')
    expect(business.right[0]!.mail.text).not.toContain('12:30')
  })
})
