/**
 * A ticket's life in mails: a customer mails a request, the supplier's notifications go through the outbox to a
 * local SMTP server, the customer replies to a question, and the reply is taken in as the answer. Everything runs
 * in this process: the in-memory ledger and outbox, and a real SMTP server on a free port.
 */
import {
  contractLedger,
  createCalendarRegistry,
  createInMemoryStorage,
  drainOnce,
  exampleCountersignature,
  exampleRegistration,
  inMemoryEventStore,
  inMemoryOutbox,
  inMemoryStores,
  KAZAKHSTAN_CALENDAR,
  ledgerEvents,
  ticketEvents,
  termsInForceAt,
  ticketStreamId,
  type ContractId,
  type Instant,
  type TicketId,
} from '@support-ledger/core'
import {
  contractContacts,
  emlFileTransport,
  inMemoryInboundLog,
  loadMailTemplates,
  mailChannel,
  mailDeliveryHandler,
  mailIntake,
  mailNotifier,
  openQuestionFromStore,
  pooledSmtpTransporter,
  smtpTransport,
  ticketContractFromStore,
  ticketIdOfMessage,
  type IntakeStatus,
  type MailTransport,
} from '@support-ledger/email'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface DemoMail {
  readonly to: string
  readonly subject: string
  readonly messageId: string
  readonly inReplyTo: string
  readonly language: string
}

export interface EmailDemoResult {
  readonly delivered: ReadonlyArray<DemoMail>
  readonly intake: ReadonlyArray<{ readonly message: string; readonly status: IntakeStatus; readonly reason?: string }>
  readonly ticketEvents: ReadonlyArray<string>
  readonly answer: string | undefined
}

const unwrap = <A>(e: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.message)
  return e.right
}

/** A local SMTP server on a free port that keeps what it receives. */
const localSmtpServer = async () => {
  const received: Array<{ raw: Buffer; parsed: ParsedMail }> = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 50,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks)
        simpleParser(raw).then((parsed) => (received.push({ raw, parsed }), callback()), callback)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as { port: number }).port
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const mail = (headers: Record<string, string>, body: string): Buffer =>
  Buffer.from(
    `${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body.replace(/\n/g, '\r\n')}`,
  )
const encoded = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`

/** Runs the demo; with `emlDirectory`, every mail is also written there as an `.eml` file. */
export const runEmailDemo = async (options: { readonly emlDirectory?: string } = {}): Promise<EmailDemoResult> => {
  const smtp = await localSmtpServer()
  const transports: MailTransport[] = [smtpTransport(pooledSmtpTransporter({ host: '127.0.0.1', port: smtp.port }))]
  if (options.emlDirectory !== undefined) transports.push(emlFileTransport(options.emlDirectory))
  try {
    // The ledger: one contract with two people on each side, signed by both parties.
    const calendars = unwrap(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
    const storage = createInMemoryStorage()
    const tickets = inMemoryEventStore(ticketEvents, storage)
    const ledger = contractLedger({ storeFor: inMemoryStores(storage), calendars })
    // The whole log, every aggregate's events: what a consumer of the ledger reads.
    const log = inMemoryEventStore(ledgerEvents, storage)
    const contractId = 'C-2026-014' as ContractId
    unwrap(
      await ledger.contracts.handle(
        exampleRegistration({
          contractId,
          parties: { customer: { name: 'ТОО «Астана Логистик»', people: ['aigerim', 'bolat'] }, supplier: { name: 'ТОО «Софт Сервис»', people: ['daniyar', 'erlan'] } },
        }),
      )(),
    )
    // Proposed by the supplier's Daniyar, in force once the customer's Aigerim countersigns.
    unwrap(await ledger.contracts.handle(exampleCountersignature({ contractId, actor: { party: 'customer', id: 'aigerim' } }))())

    // Who is mailed: the contract's people with their addresses, roles and languages (checked against the contract).
    const now = '2026-03-05T05:00:00.000Z' as Instant
    const inForce = termsInForceAt(unwrap(await ledger.contract(contractId)()), now)!
    const contacts = unwrap(
      contractContacts(inForce.terms, 'ru', [
        { personId: 'aigerim', party: 'customer', name: 'Айгерим Сапарова', address: 'aigerim@astana-logistic.kz', roles: ['contact'], locale: 'kk' },
        { personId: 'bolat', party: 'customer', name: 'Болат Ахметов', address: 'bolat@astana-logistic.kz', roles: [] },
        { personId: 'daniyar', party: 'supplier', name: 'Daniyar Seitkali', address: 'support@soft-service.kz', roles: ['support'], locale: 'en' },
        { personId: 'erlan', party: 'supplier', name: 'Ерлан Жумабеков', address: 'oncall@soft-service.kz', roles: ['on-call'] },
      ]),
    )
    const sender = { from: { name: 'Софт Сервис — поддержка', address: 'support@soft-service.kz' }, messageIdDomain: 'mail.soft-service.kz' }
    const templates = unwrap(await loadMailTemplates())

    // Mail out: a consumer of the log enqueues in its transaction; a worker drains the outbox to SMTP.
    const outbox = inMemoryOutbox({ clock: () => now })
    const notifier = mailNotifier({ templates, sender, contacts: () => TE.right(contacts), ticketContract: ticketContractFromStore(tickets) })
    let position = 0
    const send: MailTransport = {
      send: (m) => async () => {
        let last: Awaited<ReturnType<ReturnType<MailTransport['send']>>> = E.left({ _tag: 'SendFailed', message: 'no transport', permanent: true, reply: '' })
        for (const t of transports) last = await t.send(m)()
        return last
      },
      close: async () => undefined,
    }
    const pump = async (at: Instant) => {
      const page = unwrap(await log.readAll({ after: position })())
      await outbox.transaction(async (writer) => {
        const result = unwrap(await notifier.notify(writer, page.events, at)())
        if (result.refused.length > 0) console.warn('mails refused:', result.refused)
        position = page.next
      })
      await drainOnce({ outbox, channel: mailChannel, owner: 'demo-worker', clock: () => at, handler: mailDeliveryHandler(send) })
    }

    // Mail in: requests and replies, each Message-ID taken in once.
    const inbound = inMemoryInboundLog()
    const intake = mailIntake({
      lookups: { directory: () => TE.right([contacts]), openQuestion: openQuestionFromStore(tickets) },
      options: { messageIdDomain: sender.messageIdDomain, kind: 'defect' },
      log: inbound,
      submit: (request, o) => ledger.tickets.handle(request, o),
    })
    const intakeLog: Array<EmailDemoResult['intake'][number]> = []
    const takeIn = async (label: string, bytes: Buffer, at: Instant) => {
      const r = unwrap(await intake.takeIn(bytes, at)())
      intakeLog.push({ message: label, status: r.status, ...(r.record.reason === undefined ? {} : { reason: r.record.reason }) })
    }

    // 1. Bolat mails a request; it is filed with the mail's Date as its receipt time.
    const request = mail(
      { From: `${encoded('Болат Ахметов')} <bolat@astana-logistic.kz>`, To: 'support@soft-service.kz', Subject: encoded('Не печатается накладная №15'), Date: 'Thu, 05 Mar 2026 09:58:00 +0500', 'Message-ID': '<4711@astana-logistic.kz>' },
      'Добрый день! Накладная №15 не выводится на печать, ошибка «Принтер не найден».',
    )
    await takeIn('request', request, now)
    await pump(now)

    // 2. The supplier asks a question; the customer's contact gets it by mail and replies.
    const ticketId = ticketIdOfMessage('<4711@astana-logistic.kz>') as TicketId
    const askedAt = '2026-03-05T05:20:00.000Z' as Instant
    unwrap(await ledger.tickets.handle({ type: 'AskCustomer', contractId, ticketId, actor: { party: 'supplier', id: 'daniyar' }, at: askedAt, questionId: 'Q-1', question: 'Какой принтер выбран по умолчанию?' })())
    await pump(askedAt)
    const question = smtp.received.find((r) => r.parsed.headers.get('content-language') === 'kk' && r.parsed.subject?.includes('сұрақ'))!
    const reply = mail(
      {
        From: 'aigerim@astana-logistic.kz',
        To: 'support@soft-service.kz',
        Subject: encoded(`Re: ${question.parsed.subject ?? ''}`),
        Date: 'Thu, 05 Mar 2026 10:31:00 +0500',
        'Message-ID': '<4712@astana-logistic.kz>',
        'In-Reply-To': question.parsed.messageId!,
        References: `${String(question.parsed.references)} ${question.parsed.messageId!}`,
      },
      `HP LaserJet в бухгалтерии.\n\n> ${question.parsed.text?.split('\n')[2] ?? ''}`,
    )
    const repliedAt = '2026-03-05T05:35:00.000Z' as Instant
    await takeIn('reply', reply, repliedAt)

    // 3. The same request arrives again (the mailbox re-delivered it), and some junk.
    await takeIn('request again', request, repliedAt)
    await takeIn('junk', mail({ From: 'promo@offers.example', Subject: 'Win a prize', 'Message-ID': '<promo-1@offers.example>' }, 'Click here'), repliedAt)

    // 4. The supplier proposes a fix deadline; the customer's contact is told, in the same thread.
    const proposedAt = '2026-03-05T05:50:00.000Z' as Instant
    unwrap(await ledger.tickets.handle({ type: 'ProposeDeadline', contractId, ticketId, actor: { party: 'supplier', id: 'daniyar' }, at: proposedAt, deadline: '2026-03-06T12:00:00.000Z' as Instant })())
    await pump(proposedAt)

    const events = unwrap(await tickets.readStream(ticketStreamId(contractId, ticketId))()).events
    const answered = events.find((e) => e.type === 'QuestionAnswered')
    return {
      delivered: smtp.received.map(({ parsed }) => ({
        to: (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.value[0]?.address ?? '',
        subject: parsed.subject ?? '',
        messageId: parsed.messageId ?? '',
        inReplyTo: parsed.inReplyTo ?? '',
        language: String(parsed.headers.get('content-language') ?? ''),
      })),
      intake: intakeLog,
      ticketEvents: events.map((e) => e.type),
      answer: answered?.type === 'QuestionAnswered' ? answered.data.answer : undefined,
    }
  } finally {
    for (const t of transports) await t.close()
    await smtp.close()
  }
}
