import { ticketStreamId, type Instant, type TicketId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { inMemoryInboundLog, type InboundLog } from './inbound-log.js'
import { ticketIdOfMessage } from './inbound-mail.js'
import { openQuestionFromStore } from './ledger-lookups.js'
import { mailIntake, type SubmitMailedCommand } from './mail-intake.js'
import { mailMessageId } from './mail-message.js'
import { contacts, contractId, rawMail, sender, ticketLedger } from './mail.fixture.js'

const now = '2026-03-05T06:00:00.000Z' as Instant
const request = rawMail(
  { From: 'bolat@customer.kz', To: 'support@supplier.kz', Subject: 'Отчёт не формируется', Date: 'Thu, 05 Mar 2026 10:12:00 +0500', 'Message-ID': '<req-1@customer.kz>' },
  'Склад, отчёт «Остатки».',
)

const setup = async (log: InboundLog = inMemoryInboundLog()) => {
  const ledger = await ticketLedger()
  let submissions = 0
  const submit: SubmitMailedCommand = (request, options) => {
    submissions += 1
    return ledger.service.handle(request, options)
  }
  const intake = mailIntake({
    lookups: { directory: () => TE.right([contacts]), openQuestion: openQuestionFromStore(ledger.tickets) },
    options: { messageIdDomain: sender.messageIdDomain },
    log,
    submit,
  })
  return { ...ledger, intake, log, submissions: () => submissions }
}

describe('mail intake', () => {
  it('files a mailed request once, however often the message is read', async () => {
    const { intake, tickets, log, submissions } = await setup()
    const first = await intake.takeIn(request, now)()
    expect(first).toMatchObject({ _tag: 'Right', right: { status: 'filed', record: { status: 'filed', messageId: '<req-1@customer.kz>' } } })
    for (let i = 0; i < 3; i++) expect(await intake.takeIn(request, now)()).toMatchObject({ _tag: 'Right', right: { status: 'duplicate' } })
    expect(submissions()).toBe(1)
    const stream = await tickets.readStream(ticketStreamId(contractId, ticketIdOfMessage('<req-1@customer.kz>') as TicketId))()
    if (E.isLeft(stream)) throw new Error(stream.left.message)
    expect(stream.right.events.map((e) => [e.type, e.type === 'RequestFiled' ? e.data.channel : ''])).toEqual([['RequestFiled', 'email']])
    expect(await log.setAside()()).toEqual(E.right([]))
  })

  it('finishes a reading that stopped between filing and settling, without filing twice', async () => {
    const inner = inMemoryInboundLog()
    let crash = true
    const crashing: InboundLog = {
      ...inner,
      settle: (...args) => (crash ? TE.left({ _tag: 'InboundLogFailed', message: 'process killed', cause: undefined }) : inner.settle(...args)),
    }
    const { intake, tickets } = await setup(crashing)
    expect(await intake.takeIn(request, now)()).toMatchObject({ _tag: 'Left', left: { _tag: 'IntakeFailed' } })
    crash = false
    expect(await intake.takeIn(request, now)()).toMatchObject({ _tag: 'Right', right: { status: 'filed' } })
    const stream = await tickets.readStream(ticketStreamId(contractId, ticketIdOfMessage('<req-1@customer.kz>') as TicketId))()
    expect(E.isRight(stream) && stream.right.events.length).toBe(1)
  })

  it('takes a reply in as the answer to the open question, and keeps a second reply aside', async () => {
    const { intake, service, tickets, log } = await setup()
    await intake.takeIn(request, now)()
    const ticketId = ticketIdOfMessage('<req-1@customer.kz>') as TicketId
    const asked = await service.handle({ type: 'AskCustomer', contractId: contractId as never, ticketId, actor: { party: 'supplier', id: 'daniyar' }, at: '2026-03-05T06:10:00.000Z' as Instant, questionId: 'Q-1', question: 'Which warehouse?' })()
    expect(E.isRight(asked)).toBe(true)
    const ours = mailMessageId('any', contractId, { kind: 'ticket', id: ticketId }, sender.messageIdDomain)
    const reply = (id: string) => rawMail({ From: 'aigerim@customer.kz', Subject: 'Re: Отчёт', Date: 'Thu, 05 Mar 2026 11:20:00 +0500', 'Message-ID': id, 'In-Reply-To': ours }, 'Склад №3.\n\n> Which warehouse?')
    const later = '2026-03-05T06:30:00.000Z' as Instant
    expect(await intake.takeIn(reply('<re-1@customer.kz>'), later)()).toMatchObject({ _tag: 'Right', right: { status: 'answered' } })
    expect(await intake.takeIn(reply('<re-2@customer.kz>'), later)()).toMatchObject({ _tag: 'Right', right: { status: 'set-aside', record: { reason: 'no-open-question' } } })
    const stream = await tickets.readStream(ticketStreamId(contractId, ticketId))()
    if (E.isLeft(stream)) throw new Error(stream.left.message)
    expect(stream.right.events.at(-1)).toMatchObject({ type: 'QuestionAnswered', data: { questionId: 'Q-1', answer: 'Склад №3.' } })
    const aside = await log.setAside()()
    expect(E.isRight(aside) && aside.right.map((r) => [r.messageId, r.reason])).toEqual([['<re-2@customer.kz>', 'no-open-question']])
  })

  it('keeps aside, with the ledger\'s refusal as the reason, a request the ledger refuses; a busy store is a retry', async () => {
    const { intake, log } = await setup()
    // Received before the contract's term: the ledger refuses to file it.
    const early = rawMail({ From: 'bolat@customer.kz', Subject: 'old', Date: 'Mon, 01 Jan 2018 10:00:00 +0500', 'Message-ID': '<old@customer.kz>' }, 'x')
    expect(await intake.takeIn(early, now)()).toMatchObject({ _tag: 'Right', right: { status: 'set-aside', record: { reason: 'refused' } } })
    const aside = await log.setAside()()
    expect(E.isRight(aside) && aside.right[0]?.detail).toMatch(/^ContractNotInForce/)

    const busy = mailIntake({
      lookups: { directory: () => TE.right([contacts]), openQuestion: () => TE.right(undefined) },
      options: { messageIdDomain: sender.messageIdDomain },
      log: inMemoryInboundLog(),
      submit: () => TE.left({ _tag: 'StoreUnavailable', message: 'connection refused' }),
    })
    expect(await busy.takeIn(request, now)()).toMatchObject({ _tag: 'Left', left: { _tag: 'IntakeFailed', message: 'connection refused' } })
  })

  it('records junk once with its reason', async () => {
    const { intake, log } = await setup()
    const junk = rawMail({ From: 'spam@spam.example', Subject: 'WIN', 'Message-ID': '<spam-1@spam.example>' }, 'buy')
    expect(await intake.takeIn(junk, now)()).toMatchObject({ _tag: 'Right', right: { status: 'set-aside', record: { reason: 'unknown-sender' } } })
    expect(await intake.takeIn(junk, now)()).toMatchObject({ _tag: 'Right', right: { status: 'duplicate' } })
    const aside = await log.setAside()()
    expect(E.isRight(aside) && aside.right.length).toBe(1)
  })
})
