// `sync` of the BUILT binary with mail: requests in from a real Dovecot, mails out to a real SMTP server, on the embedded store.
import { contractLedger, createCalendarRegistry, KAZAKHSTAN_CALENDAR, ticketEvents, ticketStreamId, type ContractId, type Instant, type LocalDate, type TicketId } from '@support-ledger/core'
import { exampleCountersignature, exampleRegistration } from '@support-ledger/core/testing'
import { ticketIdOfMessage } from '@support-ledger/email'
import { postgresEventStore, postgresStores } from '@support-ledger/postgres'
import { openEmbeddedStorage } from '@support-ledger/postgres/embedded'
import { describeWithImap, imapSettings } from '@support-ledger/test-servers/imap'
import { startTestSmtpServer, type TestSmtpServer } from '@support-ledger/test-servers/smtp'
import * as E from 'fp-ts/lib/Either.js'
import { ImapFlow } from 'imapflow'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonOf, runBin } from './cli-test-run.js'

const work = mkdtempSync(join(tmpdir(), 'support-ledger-cli-mail-'))
const CONTRACT = 'C-MAIL-001' as ContractId
const year = new Date().getUTCFullYear()
const people = [
  { personId: 'aigerim', party: 'customer', name: 'Айгерим Сапарова', address: 'aigerim@customer.kz', roles: ['contact'], locale: 'kk' },
  { personId: 'bolat', party: 'customer', name: 'Болат Ахметов', address: 'bolat@customer.kz', roles: [] },
  { personId: 'daniyar', party: 'supplier', name: 'Daniyar Seitkali', address: 'support@supplier.kz', roles: ['support'], locale: 'en' },
]

/** An embedded store holding one contract in force this year and next, with the people above. */
const storeWithContract = async (dataDir: string) => {
  const opened = await openEmbeddedStorage({ dataDir })
  try {
    const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
    if (E.isLeft(calendars)) throw new Error(calendars.left.message)
    const ledger = contractLedger({ storeFor: postgresStores(opened.storage), calendars: calendars.right })
    const registered = await ledger.contracts.handle(
      exampleRegistration({
        contractId: CONTRACT,
        term: { start: `${year}-01-01` as LocalDate, end: `${year + 1}-12-31` as LocalDate },
        parties: { customer: { name: 'ТОО «Заказчик»', people: ['aigerim', 'bolat'] }, supplier: { name: 'ТОО «Поставщик»', people: ['daniyar'] } },
        at: `${year - 1}-12-20T05:00:00.000Z` as Instant,
      }),
    )()
    expect(E.isRight(registered), JSON.stringify(registered)).toBe(true)
    const signed = await ledger.contracts.handle(exampleCountersignature({ contractId: CONTRACT, actor: { party: 'customer', id: 'aigerim' }, at: `${year - 1}-12-21T05:00:00.000Z` as Instant }))()
    expect(E.isRight(signed), JSON.stringify(signed)).toBe(true)
  } finally {
    await opened.close()
  }
}

const mailConfig = (options: { readonly imapUser?: string; readonly imapPort?: number; readonly smtpPort?: number }) => ({
  mail: {
    sender: { name: 'Поддержка', address: 'support@supplier.kz', messageIdDomain: 'mail.supplier.kz' },
    contracts: { [CONTRACT]: { language: 'ru', people } },
    intake: { kind: 'defect' },
    ...(options.imapUser === undefined ? {} : { imap: { host: imapSettings.host, port: options.imapPort ?? imapSettings.port, user: options.imapUser } }),
    ...(options.smtpPort === undefined ? {} : { smtp: { host: '127.0.0.1', port: options.smtpPort } }),
  },
})

const writeConfig = (name: string, config: unknown): string => {
  const path = join(work, name)
  writeFileSync(path, JSON.stringify(config))
  return path
}

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('sync with mail: configuration', () => {
  it('an IMAP user without IMAP_PASSWORD is exit 2, and a wrong key under mail names its path', async () => {
    const config = writeConfig('no-password.json', mailConfig({ imapUser: 'support@example.kz' }))
    const r = await runBin(['--data-dir', join(work, 'unused'), '--config', config, 'sync'])
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain('IMAP_PASSWORD')
    // Refused before the store is opened: the embedded store's folder was never created.
    expect(existsSync(join(work, 'unused'))).toBe(false)
    const bad = mailConfig({})
    const misspelt = writeConfig('misspelt.json', { mail: { ...bad.mail, imap: { host: 'x', port: 1, mailbx: 'INBOX' } } })
    const m = await runBin(['--data-dir', join(work, 'unused'), '--config', misspelt, 'sync'])
    expect(m.code).toBe(2)
    expect(m.stderr).toContain('mail.imap.mailbx')
    const secret = writeConfig('secret.json', { mail: { ...bad.mail, smtp: { host: 'x', port: 25, password: 'hunter2' } } })
    const s = await runBin(['--data-dir', join(work, 'unused'), '--config', secret, 'sync'])
    expect(s.code).toBe(2)
    expect(s.stderr).toContain('secrets are read from the environment')
  })
})

describeWithImap('sync with mail against Dovecot and an SMTP server', () => {
  let smtp: TestSmtpServer
  const dataDir = join(work, 'store')
  const user = `support-${randomUUID().slice(0, 8)}@example.kz`
  const env = { IMAP_PASSWORD: imapSettings.pass }
  beforeAll(async () => {
    smtp = await startTestSmtpServer()
    await storeWithContract(dataDir)
  })
  afterAll(async () => {
    await smtp.stop()
  })

  it('a server that does not answer is exit 4, before anything is read', async () => {
    const config = writeConfig('dead-imap.json', mailConfig({ imapUser: user, imapPort: 1, smtpPort: smtp.port }))
    const r = await runBin(['--data-dir', dataDir, '--config', config, 'sync'], { env })
    expect(r.code, r.stderr).toBe(4)
    expect(r.stderr).toContain('IMAP')
    expect(r.stderr).not.toContain(imapSettings.pass)
    const deadSmtp = writeConfig('dead-smtp.json', mailConfig({ imapUser: user, smtpPort: 1 }))
    const s = await runBin(['--data-dir', dataDir, '--config', deadSmtp, 'sync'], { env })
    expect(s.code, s.stderr).toBe(4)
    expect(s.stderr).toContain('SMTP 127.0.0.1:1')
  })

  it('one pass files a mailed request, mails its acknowledgement and the breach of its deadline clock; a second pass sends nothing again', async () => {
    // A defect mailed three hours ago: its two-hour deadline-proposal clock ran out before the ledger knew of it, so
    // the schedule holds its breach and no warning (a warning is scheduled only ahead of the instant the request was known).
    const mailedAt = new Date(Date.now() - 3 * 3_600_000)
    const messageId = `<cli-${randomUUID()}@customer.kz>`
    const writer = new ImapFlow({ host: imapSettings.host, port: imapSettings.port, secure: false, auth: { user, pass: imapSettings.pass }, logger: false })
    await writer.connect()
    try {
      const raw = Buffer.from(
        [`From: bolat@customer.kz`, 'To: support@supplier.kz', 'Subject: =?UTF-8?B?' + Buffer.from('Не печатается накладная').toString('base64') + '?=', `Date: ${mailedAt.toUTCString()}`, `Message-ID: ${messageId}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', 'Накладная №15 не выводится на печать.'].join('\r\n'),
      )
      await writer.append('INBOX', raw, [], mailedAt)
    } finally {
      await writer.logout()
    }

    const config = writeConfig('mail.json', mailConfig({ imapUser: user, smtpPort: smtp.port }))
    const first = await runBin(['--json', '--data-dir', dataDir, '--config', config, 'sync'], { env })
    expect(first.code, first.stderr + first.stdout).toBe(0)
    const pass = (jsonOf(first).passes as Array<{ mail: { received: Record<string, number>; enqueued: { events: number; schedule: number }; delivered: number; failed: unknown[] } }>)[0]!
    expect(pass.mail.received).toMatchObject({ filed: 1, answered: 0, 'set-aside': 0, deferred: 0 })
    // The acknowledgement to the filer and the customer's contact; the breach to support and the customer's contact.
    expect(pass.mail.enqueued, JSON.stringify(smtp.received.map((m) => [m.envelopeTo, m.parsed.subject]))).toEqual({ events: 2, schedule: 2 })
    expect(pass.mail.delivered).toBe(4)
    expect(pass.mail.failed).toEqual([])

    const received = smtp.received.map((m) => ({ to: m.envelopeTo.join(','), language: String(m.parsed.headers.get('content-language')), subject: m.parsed.subject ?? '' }))
    expect(received.filter((m) => m.to === 'bolat@customer.kz')).toHaveLength(1)
    expect(received.filter((m) => m.to === 'aigerim@customer.kz').map((m) => m.language)).toEqual(['kk', 'kk'])
    expect(received.filter((m) => m.to === 'support@supplier.kz').map((m) => [m.language, m.subject])).toEqual([['en', expect.stringMatching(/^Breach: deadline set within two hours/)]])
    for (const m of smtp.received) expect(String(m.parsed.inReplyTo)).toContain('@mail.supplier.kz')

    // The request is a ticket received when the mail says it was sent.
    const opened = await openEmbeddedStorage({ dataDir })
    try {
      const stream = await postgresEventStore(ticketEvents, opened.storage).readStream(ticketStreamId(CONTRACT, ticketIdOfMessage(messageId) as TicketId))()
      expect(E.isRight(stream) && stream.right.events.map((e) => e.type)).toEqual(['RequestFiled'])
      expect(E.isRight(stream) && stream.right.events[0]!.data).toMatchObject({ channel: 'email', kind: 'defect', receivedAt: new Date(Math.floor(mailedAt.getTime() / 1000) * 1000).toISOString() })
    } finally {
      await opened.close()
    }

    // The mailbox holds the request, read.
    const reader = new ImapFlow({ host: imapSettings.host, port: imapSettings.port, secure: false, auth: { user, pass: imapSettings.pass }, logger: false })
    await reader.connect()
    try {
      expect(await reader.status('INBOX', { messages: true, unseen: true })).toMatchObject({ messages: 1, unseen: 0 })
    } finally {
      await reader.logout()
    }

    const second = await runBin(['--json', '--data-dir', dataDir, '--config', config, 'sync'], { env })
    expect(second.code, second.stderr).toBe(0)
    expect((jsonOf(second).passes as Array<{ mail: unknown }>)[0]!.mail).toMatchObject({ received: { filed: 0 }, enqueued: { events: 0, schedule: 0 }, delivered: 0 })
    expect(smtp.received).toHaveLength(4)
  })
})
