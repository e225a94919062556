/**
 * Mails through the outbox: each mail enqueued on channel `email` with its dedupe key and its fixed
 * `Message-ID`, and the handler the delivery worker calls to send one.
 */
import {
  type ClaimedMessage,
  type DeliveryFailed,
  type EnqueueResult,
  type Instant,
  type NewOutboxMessage,
  type OutboxError,
  type OutboxHandler,
  type OutboxWriter,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { PathReporter } from 'io-ts/lib/PathReporter.js'
import { OutgoingMail, type MailToEnqueue } from './mail-message.js'
import type { MailTransport } from './mail-transport.js'

// model

/** The outbox channel of every mail. */
export const mailChannel = 'email'

/** Whether an obligation a schedule mail warns about is still open; a mail about one met meanwhile is dropped. */
export type ObligationStillOpen = (obligation: { readonly contractId: string; readonly key: string }, at: Instant) => TaskEither<unknown, boolean>

/** What the mail delivery handler needs to skip a reminder whose obligation closed after it was enqueued. */
export interface MailDeliveryOptions {
  readonly stillOpen: ObligationStillOpen
  /** The handler's clock, for `stillOpen`. */
  readonly now: () => Instant
}

// constructors

/** The outbox messages of some mails: channel `email`, recipient the address, payload the whole mail. */
export const outboxMessagesOf = (mails: ReadonlyArray<MailToEnqueue>, availableAt: Instant, sourcePosition?: number): ReadonlyArray<NewOutboxMessage> =>
  mails.map((m) => ({
    channel: mailChannel,
    recipientKey: m.mail.to.address,
    dedupeKey: m.dedupeKey,
    payload: OutgoingMail.encode(m.mail) as unknown,
    availableAt,
    ...(sourcePosition === undefined ? {} : { sourcePosition }),
  }))

/** Enqueues mails in whatever transaction `writer` is bound to; a mail already enqueued is skipped by its key. */
export const enqueueMails = (
  writer: OutboxWriter,
  mails: ReadonlyArray<MailToEnqueue>,
  availableAt: Instant,
  sourcePosition?: number,
): TaskEither<OutboxError, EnqueueResult> => writer.enqueue(outboxMessagesOf(mails, availableAt, sourcePosition))

const failed = (message: string, permanent: boolean): DeliveryFailed => ({ _tag: 'DeliveryFailed', message, permanent })

/**
 * The delivery handler for channel `email`: decodes the stored mail and sends it. SMTP 5xx fails for good
 * (the worker dead-letters it with the reply); 4xx and network errors are retried with backoff.
 */
export const mailDeliveryHandler = (transport: MailTransport, options?: MailDeliveryOptions): OutboxHandler => (message: ClaimedMessage) => async () => {
  const decoded = OutgoingMail.decode(message.payload)
  if (E.isLeft(decoded)) return E.left(failed(`stored mail does not decode: ${PathReporter.report(decoded).join('; ')}`, true))
  const mail = decoded.right
  if (mail.obligation !== undefined && options !== undefined) {
    const open = await options.stillOpen(mail.obligation, options.now())()
    if (E.isLeft(open)) return E.left(failed(`could not check obligation ${mail.obligation.key}: ${String((open.left as { message?: string }).message ?? open.left)}`, false))
    // Met meanwhile: the warning is moot, and settling it as delivered keeps it from being sent later.
    if (!open.right) return E.right(undefined)
  }
  const sent = await transport.send(mail)()
  return E.isRight(sent) ? E.right(undefined) : E.left(failed(`${sent.left.reply}`, sent.left.permanent))
}
