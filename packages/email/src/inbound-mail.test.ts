import type { Instant } from '@support-ledger/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import type { ContractContacts } from './contract-contacts.js'
import { readInboundMail, replyText, ticketIdOfMessage, type InboundLookups, type InboundOutcome } from './inbound-mail.js'
import type { MailAddress } from './mail-address.js'
import { mailMessageId, threadRootId } from './mail-message.js'
import { contacts, encodedWord, rawMail, sender } from './mail.fixture.js'

const now = '2026-03-05T06:00:00.000Z' as Instant
const options = { messageIdDomain: sender.messageIdDomain }
const other: ContractContacts = {
  ...contacts,
  contractId: 'C-2025-777',
  people: [{ personId: 'samat', party: 'customer', name: 'Samat', address: 'samat@other.kz' as MailAddress, roles: ['contact'] }],
}
const lookups = (open: Record<string, string> = {}, directory: ReadonlyArray<ContractContacts> = [contacts, other]): InboundLookups => ({
  directory: () => TE.right(directory),
  openQuestion: (_, ticketId) => TE.right(open[ticketId]),
})
const read = async (bytes: Uint8Array, l = lookups(), arrivedAt: Instant = now): Promise<InboundOutcome> => {
  const r = await readInboundMail(bytes, l, options, now, arrivedAt)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const request = (over: Record<string, string> = {}, body = 'Отчёт по складу не формируется.') =>
  rawMail(
    {
      From: `${encodedWord('Болат Ахметов')} <Bolat@Customer.kz>`,
      To: 'support@supplier.kz',
      Subject: encodedWord('Ошибка в отчёте «Остатки»'),
      Date: 'Thu, 05 Mar 2026 10:12:00 +0500',
      'Message-ID': '<req-1@customer.kz>',
      ...over,
    },
    body,
  )

describe('reading a mailed request', () => {
  it('files a request from a customer contact: channel email, receipt time from the Date with its source, the Message-ID as key', async () => {
    const outcome = await read(request())
    expect(outcome).toEqual({
      kind: 'request',
      messageId: '<req-1@customer.kz>',
      declared: { at: '2026-03-05T05:12:00.000Z', source: { kind: 'mail-date', messageId: '<req-1@customer.kz>', header: 'Thu, 05 Mar 2026 10:12:00 +0500' } },
      request: {
        type: 'FileRequest',
        contractId: contacts.contractId,
        ticketId: ticketIdOfMessage('<req-1@customer.kz>'),
        actor: { party: 'customer', id: 'bolat' },
        at: now,
        kind: 'consultation',
        priority: 'normal',
        channel: 'email',
        receivedAt: '2026-03-05T05:12:00.000Z',
        subject: 'Ошибка в отчёте «Остатки»',
        externalRef: '<req-1@customer.kz>',
        description: 'Отчёт по складу не формируется.',
      },
    })
  })

  it('takes the arrival time when the Date is missing or ahead of the arrival', async () => {
    const ahead = await read(request({ Date: 'Thu, 05 Mar 2026 23:00:00 +0500' }), lookups(), '2026-03-05T05:30:00.000Z' as Instant)
    expect(ahead).toMatchObject({ kind: 'request', declared: { at: '2026-03-05T05:30:00.000Z', source: { kind: 'mail-arrival' } } })
    const noDate = rawMail({ From: 'bolat@customer.kz', Subject: 'x', 'Message-ID': '<nd@customer.kz>' }, 'body')
    expect(await read(noDate, lookups(), '2026-03-05T05:31:00.000Z' as Instant)).toMatchObject({ declared: { at: '2026-03-05T05:31:00.000Z', source: { kind: 'mail-arrival' } } })
  })

  it('keeps aside a sender who is nobody\'s contact, or a supplier person, with the reason', async () => {
    expect(await read(request({ From: 'stranger@gmail.com' }))).toMatchObject({ kind: 'set-aside', reason: 'unknown-sender', from: 'stranger@gmail.com', messageId: '<req-1@customer.kz>' })
    expect(await read(request({ From: 'support@supplier.kz' }))).toMatchObject({ kind: 'set-aside', reason: 'unknown-sender' })
  })

  it('keeps aside a sender listed on two contracts: it matches no single one', async () => {
    const twice: ContractContacts = { ...other, people: [{ ...other.people[0]!, address: 'bolat@customer.kz' as MailAddress }] }
    expect(await read(request(), lookups({}, [contacts, twice]))).toMatchObject({ kind: 'set-aside', reason: 'no-contract' })
  })

  it('keeps aside oversized, malformed and automatic messages', async () => {
    const big = await readInboundMail(request({}, 'x'.repeat(5000)), lookups(), { ...options, maxBytes: 4096 }, now)
    expect(big).toMatchObject({ _tag: 'Right', right: { kind: 'set-aside', reason: 'oversized' } })
    expect(await read(Buffer.from('\x00\x01 this is not a mail'))).toMatchObject({ kind: 'set-aside', reason: 'malformed' })
    expect(await read(request({ 'Auto-Submitted': 'auto-replied' }))).toMatchObject({ kind: 'set-aside', reason: 'automatic' })
    expect(await read(request({ From: 'MAILER-DAEMON@customer.kz' }))).toMatchObject({ kind: 'set-aside', reason: 'automatic' })
  })

  it('gives a message without a Message-ID a key from its bytes, the same each time', async () => {
    const bytes = rawMail({ From: 'bolat@customer.kz', Subject: 'no id', Date: 'Thu, 05 Mar 2026 10:12:00 +0500' }, 'hello')
    const [a, b] = [await read(bytes), await read(bytes)]
    expect(a.messageId).toMatch(/^<sha256\.[0-9a-f]{64}@no-message-id>$/)
    expect(a.messageId).toBe(b.messageId)
  })
})

describe('reading a reply', () => {
  const ours = mailMessageId('k', contacts.contractId, { kind: 'ticket', id: 'T-5' }, sender.messageIdDomain)
  const root = threadRootId(contacts.contractId, { kind: 'ticket', id: 'T-5' }, sender.messageIdDomain)
  const reply = (from = 'aigerim@customer.kz') =>
    rawMail(
      { From: from, Subject: 'Re: ...', Date: 'Thu, 05 Mar 2026 10:40:00 +0500', 'Message-ID': '<re-1@customer.kz>', 'In-Reply-To': ours, References: `${root} ${ours}` },
      'Версия 4.2, сервер Астана.\n\nOn Thu, Mar 5, 2026, support wrote:\n> Which version?\n> And where?',
    )

  it('answers the open question of the ticket the thread names, in the replier\'s own words', async () => {
    expect(await read(reply(), lookups({ 'T-5': 'Q-1' }))).toEqual({
      kind: 'answer',
      messageId: '<re-1@customer.kz>',
      request: {
        type: 'AnswerQuestion',
        contractId: contacts.contractId,
        ticketId: 'T-5',
        actor: { party: 'customer', id: 'aigerim' },
        at: now,
        questionId: 'Q-1',
        answer: 'Версия 4.2, сервер Астана.',
      },
    })
  })

  it('keeps aside a reply with no question open, and one from a contact of another contract', async () => {
    expect(await read(reply())).toMatchObject({ kind: 'set-aside', reason: 'no-open-question' })
    expect(await read(reply('samat@other.kz'), lookups({ 'T-5': 'Q-1' }))).toMatchObject({ kind: 'set-aside', reason: 'no-contract' })
  })

  it('drops quoted lines and the attribution', () => {
    expect(replyText('Yes.\r\n\r\nOn Mon, X wrote:\r\n> old\r\n>> older')).toBe('Yes.')
    expect(replyText('Да\n\n5 марта Иван написал(а):\n> старое')).toBe('Да')
  })
})

describe('reading any bytes', () => {
  it('never throws: every input is a request, an answer or kept aside with a reason', async () => {
    const valid = request()
    const kinds: Record<string, number> = {}
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 2_000 }),
      // A valid message cut short, or with bytes spliced in.
      fc.tuple(fc.nat(valid.length), fc.uint8Array({ maxLength: 64 })).map(([cut, noise]) => Buffer.concat([valid.subarray(0, cut), Buffer.from(noise), valid.subarray(cut)])),
      fc.nat(valid.length).map((cut) => valid.subarray(0, cut)),
    )
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        const r = await readInboundMail(bytes, lookups(), options, now)
        expect(E.isRight(r)).toBe(true)
        if (E.isLeft(r)) return
        const key = r.right.kind === 'set-aside' ? `set-aside:${r.right.reason}` : r.right.kind
        kinds[key] = (kinds[key] ?? 0) + 1
        if (r.right.kind === 'set-aside') expect(r.right.detail.length).toBeGreaterThan(0)
      }),
      { numRuns: 300 },
    )
    // The generator reaches both sides: messages still filed and messages kept aside as malformed.
    expect(kinds.request ?? 0).toBeGreaterThan(15)
    expect(kinds['set-aside:malformed'] ?? 0).toBeGreaterThan(15)
  })
})
