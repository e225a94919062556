/**
 * The demo's mail: requests taken in from raw RFC 822 messages through the e-mail package's intake
 * (a mailbox for consultations, one for defects), and the mails the library sends, written as `.eml`
 * files through the outbox.
 */
import { drainOnce, inMemoryOutbox, type ContractId, type Instant, type LedgerEvent, type OutboxWriter, type RecordedEvent } from '@support-ledger/core'
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
  ticketContractFromStore,
  type ContractContacts,
  type IntakeStatus,
} from '@support-ledger/email'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { DemoLedger, Refusal } from './demo-ledger.js'
import type { RecordedMail, Scenario } from './demo-scenario.js'

// model

export interface DemoMail {
  /** Takes a message in at `now`; it reached the mailbox at its own instant. */
  readonly takeIn: (mail: RecordedMail, now: Instant) => Promise<E.Either<Refusal, IntakeStatus>>
  /** Enqueues the mails of events recorded since the last call and sends what is due, as files. */
  readonly send: (events: ReadonlyArray<RecordedEvent<LedgerEvent>>, now: Instant) => Promise<E.Either<Refusal, number>>
  /** The outbox, for the Redmine import's notes to the customer. */
  readonly outbox: { readonly enqueue: OutboxWriter['enqueue'] }
  readonly close: () => Promise<void>
}

// constructors

export const demoMail = async (scenario: Scenario, ledger: DemoLedger, emlDirectory: string, clock: () => Instant): Promise<E.Either<Refusal, DemoMail>> => {
  const terms = await ledger.termsAt(scenario.contractId as ContractId, scenario.asOf)
  if (E.isLeft(terms)) return terms
  const contacts = contractContacts(terms.right, 'ru', scenario.contacts)
  if (E.isLeft(contacts)) return contacts
  const templates = await loadMailTemplates()
  if (E.isLeft(templates)) return templates
  const directory = (): TE.TaskEither<never, ReadonlyArray<ContractContacts>> => TE.right([contacts.right])
  const sender = { from: { name: 'Софт Сервис — поддержка', address: 'support@soft-service.kz' }, messageIdDomain: 'mail.soft-service.kz' }

  const intakeFor = (kind: 'consultation' | 'defect') =>
    mailIntake({
      lookups: { directory, openQuestion: openQuestionFromStore(ledger.ticketEvents) },
      options: { messageIdDomain: sender.messageIdDomain, kind },
      log: inMemoryInboundLog(),
      submit: (request, o) => ledger.tickets.handle(request, o),
    })
  const intakes = { requests: intakeFor('consultation'), errors: intakeFor('defect') }

  const outbox = inMemoryOutbox({ clock })
  const notifier = mailNotifier({ templates: templates.right, sender, contacts: () => TE.right(contacts.right), ticketContract: ticketContractFromStore(ledger.ticketEvents) })
  const transport = emlFileTransport(emlDirectory, { clock })
  const handler = mailDeliveryHandler(transport)

  return E.right({
    takeIn: async (mail, now) => {
      const r = await intakes[mail.mailbox].takeIn(Buffer.from(mail.raw, 'utf8'), now, mail.at)()
      return E.isLeft(r) ? r : E.right(r.right.status)
    },
    send: async (events, now) => {
      let enqueued = 0
      let failure: Refusal | undefined
      await outbox.transaction(async (writer) => {
        const r = await notifier.notify(writer, events, now)()
        if (E.isLeft(r)) failure = r.left
        else if (r.right.refused.length > 0) failure = { _tag: 'MailRefused', message: r.right.refused.map((m) => JSON.stringify(m)).join('; ') }
        else enqueued = r.right.enqueued.length
      })
      if (failure !== undefined) return E.left(failure)
      let sent = 0
      // Most steps (a backup check, say) mail nobody: the outbox is drained only when something was enqueued.
      while (enqueued > 0) {
        const pass = await drainOnce({ outbox, channel: mailChannel, owner: 'demo', clock, handler, batchSize: 50 })
        sent += pass.delivered
        if (pass.claimed === 0) break
        if (pass.failed > 0) return E.left({ _tag: 'MailNotSent', message: `${pass.failed} mail(s) could not be written to ${emlDirectory}` })
      }
      return E.right(sent)
    },
    outbox,
    close: () => transport.close(),
  })
}
