import { randomUUID } from 'node:crypto'
import { ticketStreamId, type Instant, type TicketId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { ImapFlow } from 'imapflow'
import { afterEach, expect, it } from 'vitest'
import { imapMailbox, startMailboxPolling, type ImapClient } from './imap-mailbox.js'
import { describeWithImap, imapSettings } from './imap-test-server.js'
import { inMemoryInboundLog } from './inbound-log.js'
import { ticketIdOfMessage } from './inbound-mail.js'
import { openQuestionFromStore } from './ledger-lookups.js'
import { mailIntake } from './mail-intake.js'
import { mailMessageId } from './mail-message.js'
import { contacts, contractId, encodedWord, rawMail, sender, ticketLedger } from './mail.fixture.js'

const clients: ImapFlow[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) await c.logout().catch(() => undefined)
})

/** A connected client on a mailbox of its own: Dovecot here takes any user, so each test gets a fresh maildir. */
const connectAs = async (user: string): Promise<ImapFlow> => {
  const client = new ImapFlow({ host: imapSettings.host, port: imapSettings.port, secure: false, auth: { user, pass: imapSettings.pass }, logger: false })
  await client.connect()
  clients.push(client)
  return client
}

const clock = () => '2026-03-05T07:00:00.000Z' as Instant
const request = rawMail(
  { From: 'bolat@customer.kz', To: 'support@supplier.kz', Subject: encodedWord('Не печатается накладная'), Date: 'Thu, 05 Mar 2026 10:12:00 +0500', 'Message-ID': '<imap-req-1@customer.kz>' },
  'Накладная №15 не выводится на печать.',
)
const junk = rawMail({ From: 'offers@spam.example', Subject: 'You won', Date: 'Thu, 05 Mar 2026 10:13:00 +0500', 'Message-ID': '<junk-1@spam.example>' }, 'click')

describeWithImap('the IMAP mailbox against a real Dovecot', () => {
  it('takes appended messages in once, threads a reply to its ticket, and keeps junk aside in its folder', async () => {
    const user = `support-${randomUUID().slice(0, 8)}@example.kz`
    const writer = await connectAs(user)
    const ledger = await ticketLedger()
    const log = inMemoryInboundLog()
    const intake = mailIntake({
      lookups: { directory: () => TE.right([contacts]), openQuestion: openQuestionFromStore(ledger.tickets) },
      options: { messageIdDomain: sender.messageIdDomain },
      log,
      submit: (r, o) => ledger.service.handle(r, o),
    })
    // The same request twice (a re-delivery), and junk.
    await writer.append('INBOX', request)
    await writer.append('INBOX', request)
    await writer.append('INBOX', junk)

    // Two pollers on two connections at once: overlapping polls.
    const [a, b] = [await connectAs(user), await connectAs(user)]
    const results = await Promise.all([
      imapMailbox(a as unknown as ImapClient, intake, { clock }).poll(),
      imapMailbox(b as unknown as ImapClient, intake, { clock }).poll(),
    ])
    for (const r of results) expect(E.isRight(r), JSON.stringify(r)).toBe(true)
    const ticketId = ticketIdOfMessage('<imap-req-1@customer.kz>') as TicketId
    const stream = await ledger.tickets.readStream(ticketStreamId(contractId, ticketId))()
    if (E.isLeft(stream)) throw new Error(stream.left.message)
    expect(stream.right.events.map((e) => e.type)).toEqual(['RequestFiled'])
    expect(stream.right.events[0]).toMatchObject({ data: { channel: 'email', subject: 'Не печатается накладная', receivedAt: '2026-03-05T05:12:00.000Z' } })

    // The supplier asks; the customer answers by replying to one of our mails.
    const asked = await ledger.service.handle({ type: 'AskCustomer', contractId: contractId as never, ticketId, actor: { party: 'supplier', id: 'daniyar' }, at: clock(), questionId: 'Q-1', question: 'Which printer?' })()
    expect(E.isRight(asked)).toBe(true)
    const ours = mailMessageId('x', contractId, { kind: 'ticket', id: ticketId }, sender.messageIdDomain)
    await writer.append('INBOX', rawMail({ From: 'aigerim@customer.kz', Subject: 'Re: накладная', Date: 'Thu, 05 Mar 2026 12:00:00 +0500', 'Message-ID': '<imap-re-1@customer.kz>', 'In-Reply-To': ours, References: ours }, 'HP LaserJet 2\n\n> Which printer?'))
    const again = await imapMailbox(a as unknown as ImapClient, intake, { clock: () => '2026-03-05T07:30:00.000Z' as Instant }).poll()
    expect(again, JSON.stringify(again)).toMatchObject({ _tag: 'Right', right: { counts: { answered: 1, filed: 0 }, deferred: 0 } })
    const after = await ledger.tickets.readStream(ticketStreamId(contractId, ticketId))()
    expect(E.isRight(after) && after.right.events.at(-1)).toMatchObject({ type: 'QuestionAnswered', data: { questionId: 'Q-1', answer: 'HP LaserJet 2' } })

    // Nothing left unread in the inbox; the junk sits in its folder, and the record says why.
    const inbox = await writer.status('INBOX', { messages: true, unseen: true })
    expect(inbox).toMatchObject({ messages: 3, unseen: 0 })
    const aside = await writer.status('Set aside', { messages: true })
    expect(aside).toMatchObject({ messages: 1 })
    const records = await log.setAside()()
    expect(E.isRight(records) && records.right.map((r) => [r.messageId, r.reason])).toEqual([['<junk-1@spam.example>', 'unknown-sender']])
  })

  it('leaves a message unread when the ledger is away, and takes it in on the next poll', async () => {
    const user = `support-${randomUUID().slice(0, 8)}@example.kz`
    const client = await connectAs(user)
    await client.append('INBOX', request)
    const ledger = await ticketLedger()
    let away = true
    const intake = mailIntake({
      lookups: { directory: () => TE.right([contacts]), openQuestion: () => TE.right(undefined) },
      options: { messageIdDomain: sender.messageIdDomain },
      log: inMemoryInboundLog(),
      submit: (r, o) => (away ? TE.left({ _tag: 'StoreUnavailable', message: 'database is down' }) : ledger.service.handle(r, o)),
    })
    const mailbox = imapMailbox(client as unknown as ImapClient, intake, { clock })
    expect(await mailbox.poll()).toMatchObject({ _tag: 'Right', right: { deferred: 1 } })
    expect(await client.status('INBOX', { unseen: true })).toMatchObject({ unseen: 1 })
    away = false
    expect(await mailbox.poll()).toMatchObject({ _tag: 'Right', right: { deferred: 0, counts: { filed: 1 } } })
    expect(await client.status('INBOX', { unseen: true })).toMatchObject({ unseen: 0 })
  })

  it('polls on a timer: a message appended while it runs is taken in without a call', async () => {
    const user = `support-${randomUUID().slice(0, 8)}@example.kz`
    const client = await connectAs(user)
    const ledger = await ticketLedger()
    const log = inMemoryInboundLog()
    const intake = mailIntake({
      lookups: { directory: () => TE.right([contacts]), openQuestion: () => TE.right(undefined) },
      options: { messageIdDomain: sender.messageIdDomain },
      log,
      submit: (r, o) => ledger.service.handle(r, o),
    })
    const results: unknown[] = []
    const polling = startMailboxPolling(imapMailbox(client as unknown as ImapClient, intake, { clock }), { everyMs: 50, onResult: (r) => results.push(r) })
    try {
      await (await connectAs(user)).append('INBOX', request)
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const found = await log.find('<imap-req-1@customer.kz>')()
        if (E.isRight(found) && found.right?.status === 'filed') break
      }
    } finally {
      await polling.stop()
    }
    expect(await log.find('<imap-req-1@customer.kz>')(), JSON.stringify(results.slice(-3))).toMatchObject({ _tag: 'Right', right: { status: 'filed' } })
  })
})
