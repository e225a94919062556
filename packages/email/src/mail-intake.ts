/**
 * Taking a message in: read it, record it under its `Message-ID`, hand its command to the ledger, settle the
 * record. The same message seen twice files once; a crash between filing and settling is finished on the next reading.
 */
import type { Instant } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { InboundLog, InboundLogFailed, InboundRecord } from './inbound-log.js'
import { readInboundMail, type InboundLookupFailed, type InboundLookups, type InboundOptions, type MailedAnswer, type MailedRequest } from './inbound-mail.js'

// model

/** How the ledger takes a mailed command: `ledger.tickets.handle(request, { idempotencyKey })` fits. */
export type SubmitMailedCommand = (
  request: MailedRequest | MailedAnswer,
  options: { readonly idempotencyKey: string },
) => TaskEither<{ readonly _tag: string; readonly message: string }, unknown>

/**
 * What an intake needs: the lookups that read a message, the inbound log, and the function that submits its command to
 * the ledger.
 */
export interface MailIntakeDeps {
  readonly lookups: InboundLookups
  readonly options: InboundOptions
  readonly log: InboundLog
  readonly submit: SubmitMailedCommand
}

/**
 * How a message was settled: filed as a request, taken as an answer, set aside, or a duplicate of one already taken
 * in.
 */
export type IntakeStatus = 'filed' | 'answered' | 'set-aside' | 'duplicate'

/** How a message was settled, with its record in the inbound log. */
export interface IntakeResult {
  readonly status: IntakeStatus
  readonly record: InboundRecord
}

/** The ledger or a lookup is unavailable: the message stays unread and is taken in on a later poll. */
export interface IntakeFailed {
  readonly _tag: 'IntakeFailed'
  readonly message: string
  readonly cause: InboundLookupFailed | InboundLogFailed | { readonly _tag: string; readonly message: string }
}

/** Takes mailed messages into the ledger, each once. */
export interface MailIntake {
  /** `now`: when it is taken in; `arrivedAt`: when it reached the mailbox (IMAP's internal date). */
  readonly takeIn: (bytes: Uint8Array, now: Instant, arrivedAt?: Instant) => TaskEither<IntakeFailed, IntakeResult>
}

// constructors

/** Refusals that say the store was busy or away, not that the command is wrong. */
const retryable = new Set(['StoreUnavailable', 'WrongExpectedVersion'])
/** Refusals that, for a command already submitted once, say the first submission landed. */
const landed = new Set(['TicketAlreadyFiled', 'QuestionNotOpen'])

const intakeFailed = (cause: IntakeFailed['cause']): IntakeFailed => ({ _tag: 'IntakeFailed', message: cause.message, cause })

/** Builds the intake that the mailbox poller hands each message to. */
export const mailIntake = (deps: MailIntakeDeps): MailIntake => ({
  takeIn: (bytes, now, arrivedAt) => async () => {
    const read = await readInboundMail(bytes, deps.lookups, deps.options, now, arrivedAt)
    if (E.isLeft(read)) return E.left(intakeFailed(read.left))
    const begun = await deps.log.begin({ messageId: read.right.messageId, outcome: read.right, takenAt: now })()
    if (E.isLeft(begun)) return E.left(intakeFailed(begun.left))
    const { first, record } = begun.right
    if (record.status !== 'pending') return E.right({ status: 'duplicate', record })

    // A pending record met again was begun by a reading that stopped: finish what it read, not what we read now.
    const outcome = record.outcome
    const settle = async (status: Exclude<IntakeStatus, 'duplicate'>, setAside?: { readonly reason: 'refused'; readonly detail: string }) => {
      const settled = await deps.log.settle(record.messageId, status, now, setAside ?? (outcome.kind === 'set-aside' ? { reason: outcome.reason, detail: outcome.detail } : undefined))()
      if (E.isLeft(settled)) return E.left(intakeFailed(settled.left))
      const after = await deps.log.find(record.messageId)()
      if (E.isLeft(after)) return E.left(intakeFailed(after.left))
      return E.right({ status, record: after.right ?? record })
    }
    if (outcome.kind === 'set-aside') return settle('set-aside')

    const submitted = await deps.submit(outcome.request, { idempotencyKey: `mail:${outcome.messageId}` })()
    const done = outcome.kind === 'request' ? 'filed' : 'answered'
    if (E.isRight(submitted)) return settle(done)
    if (retryable.has(submitted.left._tag)) return E.left(intakeFailed(submitted.left))
    if (!first && landed.has(submitted.left._tag)) return settle(done)
    return settle('set-aside', { reason: 'refused', detail: `${submitted.left._tag}: ${submitted.left.message}` })
  },
})
