import { addMillis, drainOnce, inMemoryOutbox, type Instant, type LedgerEvent, type Outbox, type RetryPolicy } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ContractContacts } from './contract-contacts.js'
import type { MailAddress } from './mail-address.js'
import { composeMails, type MailToEnqueue } from './mail-message.js'
import { enqueueMails, mailChannel, mailDeliveryHandler } from './mail-outbox.js'
import { contacts, recorded, sender } from './mail.fixture.js'
import { loadMailTemplates, type MailTemplates } from './mail-templates.js'
import { notificationOfEvent } from './notification-policy.js'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server.js'
import { pooledSmtpTransporter, smtpTransport } from './smtp-transport.js'
import type { MailTransport } from './mail-transport.js'

let templates: MailTemplates
let server: TestSmtpServer
let transport: MailTransport

beforeAll(async () => {
  const loaded = await loadMailTemplates()
  if (E.isLeft(loaded)) throw new Error(loaded.left.message)
  templates = loaded.right
  server = await startTestSmtpServer()
  transport = smtpTransport(pooledSmtpTransporter({ host: '127.0.0.1', port: server.port, maxConnections: 2, connectionTimeoutMs: 2_000 }))
})
afterAll(async () => {
  await transport.close()
  await server.stop()
})
afterEach(() => {
  server.refuse = undefined
  ;(server.received as unknown[]).length = 0
})

const at = '2026-03-05T04:30:00.000Z'
const t0 = '2026-03-05T05:00:00.000Z' as Instant
const fast: RetryPolicy = { initialDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 4 }

/** Customer contacts in every language: kk (aigerim), ru (bolat, the contract's default), en (john). */
const everyone: ContractContacts = {
  ...contacts,
  people: [
    ...contacts.people.map((p) => (p.party === 'customer' ? { ...p, roles: ['contact'] } : p)),
    { personId: 'john', party: 'customer', name: 'John Smith', address: 'john@customer.kz' as MailAddress, roles: ['contact'], locale: 'en' },
  ],
}
const requestFiled = (ticketId: string, subject: string) =>
  recorded(
    {
      type: 'RequestFiled',
      data: { ticketId, at, contractId: contacts.contractId, kind: 'defect', priority: 'high', channel: 'email', receivedAt: at, subject, calendarId: 'kz-5day', timeZone: 'Asia/Almaty', slaPolicy: {} },
    } as unknown as LedgerEvent,
    { party: 'customer', id: 'bolat' },
  )

const mailsOf = (event: ReturnType<typeof recorded>, who: ContractContacts = contacts): ReadonlyArray<MailToEnqueue> => {
  const composed = composeMails(notificationOfEvent(event, who)!, who, templates, sender)
  if (E.isLeft(composed)) throw new Error(composed.left.message)
  return composed.right
}

/** Drains the outbox with `clock`, moving time on by `stepMs` after each pass, until nothing is pending or `passes` ran. */
const drain = async (outbox: Outbox, clock: { now: Instant }, passes = 10, stepMs = 10_000, handlerTransport = transport) => {
  for (let i = 0; i < passes; i++) {
    await drainOnce({ outbox, channel: mailChannel, handler: mailDeliveryHandler(handlerTransport), owner: 'w1', clock: () => clock.now, retry: fast, random: () => 0.5 })
    clock.now = addMillis(clock.now, stepMs)
  }
}

const countsByMessageId = (): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const m of server.received) out[m.parsed.messageId!] = (out[m.parsed.messageId!] ?? 0) + 1
  return out
}

describe('SMTP delivery through the outbox, against a real SMTP server', () => {
  it('delivers each language with its encoded subject, both parts and the threading headers as enqueued', async () => {
    const outbox = inMemoryOutbox({ clock: () => t0 })
    const mails = mailsOf(requestFiled('T-1', 'Отчёт «Остатки» — не формируется'), everyone)
    expect(mails.map((m) => m.mail.locale).sort()).toEqual(['en', 'kk', 'ru'])
    await enqueueMails(outbox, mails, t0)()
    await drain(outbox, { now: t0 }, 1)
    expect(server.received).toHaveLength(mails.length)
    for (const { mail } of mails) {
      const got = server.received.find((r) => r.parsed.messageId === mail.messageId)
      expect(got, mail.messageId).toBeDefined()
      const head = got!.raw.toString('latin1').split('\r\n\r\n')[0]!
      // Non-ASCII subjects travel as RFC 2047 encoded words and decode back to what was rendered.
      expect(head).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im)
      expect(got!.parsed.subject).toBe(mail.subject)
      expect(got!.parsed.text?.trim()).toBe(mail.text.trim())
      expect(got!.parsed.html).toBe(mail.html)
      expect(got!.parsed.inReplyTo).toBe(mail.inReplyTo)
      expect(got!.parsed.references).toBe(mail.references[0])
      expect(got!.envelopeTo).toEqual([mail.to.address])
      expect(got!.parsed.headers.get('content-language')).toBe(mail.locale)
    }
    const kk = server.received.find((r) => r.parsed.headers.get('content-language') === 'kk')!
    expect(kk.parsed.subject).toContain('өтінімі қабылданды')
    expect(kk.parsed.text).toContain('«Отчёт «Остатки» — не формируется»')
  })

  it('threads every mail of a ticket under one root, and mails of another ticket under another', async () => {
    const outbox = inMemoryOutbox({ clock: () => t0 })
    const a = mailsOf(requestFiled('T-2', 'a'))
    const b = mailsOf(recorded({ type: 'DeadlineProposed', data: { ticketId: 'T-2', at, deadline: '2026-03-06T10:00:00.000Z' } } as unknown as LedgerEvent, { party: 'supplier', id: 'daniyar' }))
    const c = mailsOf(requestFiled('T-3', 'c'))
    await enqueueMails(outbox, [...a, ...b, ...c], t0)()
    await drain(outbox, { now: t0 }, 1)
    const rootOf = (m: MailToEnqueue) => server.received.find((r) => r.parsed.messageId === m.mail.messageId)!.parsed.references
    expect(new Set([...a, ...b].map(rootOf)).size).toBe(1)
    expect(rootOf(c[0]!)).not.toBe(rootOf(a[0]!))
  })

  it('retries a 4xx with backoff and delivers once; dead-letters a 5xx with the server\'s reply', async () => {
    const outbox = inMemoryOutbox({ clock: () => t0 })
    let refusals = 2
    server.refuse = () => (refusals-- > 0 ? { code: 451, message: 'mailbox busy, try later' } : undefined)
    const mails = mailsOf(requestFiled('T-4', 'retry me'))
    await enqueueMails(outbox, mails.slice(0, 1), t0)()
    await drain(outbox, { now: t0 }, 6)
    expect(countsByMessageId()).toEqual({ [mails[0]!.mail.messageId]: 1 })
    const found = await outbox.find(mailChannel, mails[0]!.dedupeKey)()
    expect(found).toMatchObject({ _tag: 'Right', right: { status: 'delivered', attempts: 2 } })

    server.refuse = () => ({ code: 550, message: 'no such user here' })
    const other = mailsOf(requestFiled('T-5', 'bounce'))
    await enqueueMails(outbox, other.slice(0, 1), t0)()
    await drain(outbox, { now: t0 }, 3)
    const dead = await outbox.deadLetters({ channel: mailChannel })()
    if (E.isLeft(dead)) throw new Error(dead.left.message)
    expect(dead.right).toHaveLength(1)
    expect(dead.right[0]).toMatchObject({ dedupeKey: other[0]!.dedupeKey, attempts: 1 })
    expect(dead.right[0]!.lastError).toMatch(/^550 .*no such user here/)

    // A server that answers 4xx every time: retried up to the policy's maximum, then dead-lettered with its reply.
    server.refuse = () => ({ code: 452, message: 'insufficient storage' })
    const stubborn = mailsOf(requestFiled('T-9', 'full mailbox'))
    await enqueueMails(outbox, stubborn.slice(0, 1), t0)()
    await drain(outbox, { now: t0 }, 8)
    const after = await outbox.find(mailChannel, stubborn[0]!.dedupeKey)()
    expect(after).toMatchObject({ _tag: 'Right', right: { status: 'dead', attempts: fast.maxAttempts } })
    expect(E.isRight(after) && after.right?.lastError).toMatch(/^452 .*insufficient storage/)
  })

  it('holds every mail while the server is down and delivers each exactly once when it is back', async () => {
    const outbox = inMemoryOutbox({ clock: () => t0 })
    const mails = [...mailsOf(requestFiled('T-6', 'one'), everyone), ...mailsOf(requestFiled('T-7', 'two'), everyone)]
    await enqueueMails(outbox, mails, t0)()
    await server.stop()
    const clock = { now: t0 }
    try {
      await drain(outbox, clock, 2, 2_000)
      expect(server.received).toHaveLength(0)
      const pending = await outbox.find(mailChannel, mails[0]!.dedupeKey)()
      expect(pending).toMatchObject({ _tag: 'Right', right: { status: 'pending', attempts: 2 } })
      expect(E.isRight(pending) && pending.right?.lastError).toMatch(/ECONNREFUSED/)
    } finally {
      await server.start()
    }
    await drain(outbox, clock, 4)
    expect(Object.keys(countsByMessageId()).sort()).toEqual(mails.map((m) => m.mail.messageId).sort())
    expect(Object.values(countsByMessageId()).every((n) => n === 1)).toBe(true)
  })

  it('after a crash between sending and marking, resends at most once, under the same Message-ID', async () => {
    const outbox = inMemoryOutbox({ clock: () => t0 })
    const mails = mailsOf(requestFiled('T-8', 'crash'), everyone)
    await enqueueMails(outbox, mails, t0)()
    // The first worker sends every mail of its batch, then dies before marking any: its marks never arrive.
    const dying: Outbox = { ...outbox, markDelivered: () => async () => E.left({ _tag: 'StoreUnavailable', message: 'process killed', cause: undefined }) }
    await drainOnce({ outbox: dying, channel: mailChannel, handler: mailDeliveryHandler(transport), owner: 'dead', clock: () => t0, leaseMs: 60_000, batchSize: 100 })
    expect(server.received).toHaveLength(mails.length)
    // After restart, the leases run out and a new worker takes the mails again.
    const clock = { now: addMillis(t0, 61_000) }
    await drain(outbox, clock, 2)
    const counts = countsByMessageId()
    expect(Object.keys(counts).sort()).toEqual(mails.map((m) => m.mail.messageId).sort())
    // The documented duplicate: one resend per mail whose mark was lost, recognisable by its Message-ID.
    expect(Object.values(counts).every((n) => n === 2)).toBe(true)
    for (const m of mails) expect(await outbox.find(mailChannel, m.dedupeKey)()).toMatchObject({ _tag: 'Right', right: { status: 'delivered' } })
  })
})
