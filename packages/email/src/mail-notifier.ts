/**
 * From recorded events to mails in the outbox: the policy picks the recipients among the contract's people,
 * the templates write each mail in its reader's language, and the mails are enqueued with their dedupe keys.
 */
import type { Instant, LedgerEvent, OutboxError, OutboxWriter, RecordedEvent } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { ContractContacts } from './contract-contacts.js'
import type { HeaderError } from './mail-address.js'
import { composeMails, type MailToEnqueue, type SenderIdentity } from './mail-message.js'
import { enqueueMails } from './mail-outbox.js'
import type { MailTemplates } from './mail-templates.js'
import { defaultNotificationPolicy, notificationOfEvent, type NotificationPolicy } from './notification-policy.js'

// model

/** A lookup failed (the contract's contacts, a ticket's contract): the batch is retried. */
export interface LookupFailed {
  readonly _tag: 'LookupFailed'
  readonly message: string
  readonly cause: unknown
}

/** An event whose mails could not be written (a line break or a malformed address): none of its mails is enqueued. */
export interface MailRefused {
  /** The event (`event:<id>`) or schedule moment (`schedule:<obligation>:<moment>:<threshold>`). */
  readonly source: string
  readonly error: HeaderError
}

/** What a batch of events enqueued, skipped as already enqueued, and refused, by dedupe key. */
export interface NotifyResult {
  readonly enqueued: ReadonlyArray<string>
  readonly duplicates: ReadonlyArray<string>
  readonly refused: ReadonlyArray<MailRefused>
}

/**
 * What the notifier needs: templates, the sender, each contract's contacts and policy, and the contract of a ticket's
 * stream.
 */
export interface MailNotifierDeps {
  readonly templates: MailTemplates
  readonly sender: SenderIdentity
  /** The contacts of a contract, or undefined for a contract nobody is mailed about. */
  readonly contacts: (contractId: string) => TaskEither<unknown, ContractContacts | undefined>
  /**
   * The contract of the ticket recorded in a stream (the event's `streamId`): ticket events after the filing do not
   * name it, and a ticket id is unique within its contract only. See `ticketContractFromStore`.
   */
  readonly ticketContract: (ticketStreamId: string) => TaskEither<unknown, string | undefined>
  /** The policy of a contract; the default policy for every contract when absent. */
  readonly policy?: (contractId: string) => NotificationPolicy
}

/** Turns ledger events into mails in the outbox, as the contract's notification policy says. */
export interface MailNotifier {
  /** The mails one event causes; a `HeaderError` when any of them cannot be written. */
  readonly mailsOf: (event: RecordedEvent<LedgerEvent>) => TaskEither<LookupFailed, E.Either<HeaderError, ReadonlyArray<MailToEnqueue>>>
  /**
   * Enqueues the mails of a batch of events through `writer` (bind it to the consumer's transaction). An event
   * whose mails are refused is reported in `refused` and enqueues nothing; a lookup or outbox failure fails the batch.
   */
  readonly notify: (
    writer: OutboxWriter,
    events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
    availableAt: Instant,
  ) => TaskEither<LookupFailed | OutboxError, NotifyResult>
}

// constructors

const lookupFailed = (what: string, cause: unknown): LookupFailed => ({
  _tag: 'LookupFailed',
  message: `${what}: ${String((cause as { message?: unknown }).message ?? cause)}`,
  cause,
})

/** The contract of an event: named in its data, or for a ticket's later events, in the filing of the event's stream. */
const contractOf = (deps: MailNotifierDeps, event: RecordedEvent<LedgerEvent>): TaskEither<LookupFailed, string | undefined> => async () => {
  const data = event.data as { readonly contractId?: unknown; readonly ticketId?: unknown }
  if (typeof data.contractId === 'string') return E.right(data.contractId)
  if (typeof data.ticketId !== 'string') return E.right(undefined)
  const found = await deps.ticketContract(event.streamId)()
  return E.isLeft(found) ? E.left(lookupFailed(`contract of ticket ${data.ticketId} (stream ${event.streamId})`, found.left)) : found
}

/**
 * Builds the notifier; run its `notify` from a consumer of the log, so each event's mails are enqueued once, in the
 * consumer's transaction.
 */
export const mailNotifier = (deps: MailNotifierDeps): MailNotifier => {
  const mailsOf: MailNotifier['mailsOf'] = (event) => async () => {
    const contractId = await contractOf(deps, event)()
    if (E.isLeft(contractId)) return contractId
    if (contractId.right === undefined) return E.right(E.right([]))
    const contacts = await deps.contacts(contractId.right)()
    if (E.isLeft(contacts)) return E.left(lookupFailed(`contacts of contract ${contractId.right}`, contacts.left))
    if (contacts.right === undefined) return E.right(E.right([]))
    const policy = deps.policy?.(contractId.right) ?? defaultNotificationPolicy
    const notification = notificationOfEvent(event, contacts.right, policy)
    if (notification === undefined) return E.right(E.right([]))
    return E.right(composeMails(notification, contacts.right, deps.templates, deps.sender))
  }

  const notify: MailNotifier['notify'] = (writer, events, availableAt) => async () => {
    const enqueued: string[] = []
    const duplicates: string[] = []
    const refused: MailRefused[] = []
    for (const event of events) {
      const mails = await mailsOf(event)()
      if (E.isLeft(mails)) return mails
      if (E.isLeft(mails.right)) {
        refused.push({ source: `event:${event.eventId}`, error: mails.right.left })
        continue
      }
      if (mails.right.right.length === 0) continue
      const result = await enqueueMails(writer, mails.right.right, availableAt, event.globalPosition)()
      if (E.isLeft(result)) return result
      enqueued.push(...result.right.enqueued)
      duplicates.push(...result.right.duplicates)
    }
    return E.right({ enqueued, duplicates, refused })
  }

  return { mailsOf, notify }
}
