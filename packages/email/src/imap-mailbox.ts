/**
 * A mailbox polled over IMAP (imapflow): each unread message is taken in, then flagged `\Seen`, or moved to the
 * set-aside folder when it was kept aside. A message the ledger could not take now stays unread for the next poll;
 * one seen twice (a re-delivery, two pollers at once) files once, by its `Message-ID`.
 */
import type { Instant } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { IntakeFailed, IntakeStatus, MailIntake } from './mail-intake.js'

// model

/** The part of an `ImapFlow` client the poller calls; pass a connected client. */
export interface ImapClient {
  /** Opens a mailbox and locks it; `release` unlocks it. */
  getMailboxLock(path: string): Promise<{ release(): void }>
  /** The UIDs of the messages matching the query. */
  search(query: { readonly seen: boolean }, options: { readonly uid: true }): Promise<number[] | false | undefined>
  /** Fetches whole messages (source and internal date) by UID range. */
  fetchAll(
    range: string,
    query: { readonly uid: true; readonly source: true; readonly internalDate: true },
    options: { readonly uid: true },
  ): Promise<ReadonlyArray<{ readonly uid: number; readonly source?: Buffer | undefined; readonly internalDate?: Date | string | undefined }>>
  /** Adds flags (`\Seen`) to messages by UID range. */
  messageFlagsAdd(range: string, flags: string[], options: { readonly uid: true }): Promise<boolean>
  /** Moves messages by UID range to another mailbox. */
  messageMove(range: string, destination: string, options: { readonly uid: true }): Promise<unknown>
  /** Creates a mailbox. */
  mailboxCreate(path: string): Promise<unknown>
  /** Keeps the connection alive and picks up new messages. */
  noop(): Promise<void>
}

/**
 * Which mailbox is read and where messages set aside go, how many are fetched at once, and the clock messages are
 * taken in by.
 */
export interface ImapMailboxOptions {
  /** Default `INBOX`. */
  readonly mailbox?: string
  /** Where kept-aside messages are moved, created when missing; default `Set aside`. */
  readonly setAsideMailbox?: string
  /** Messages fetched per round; default 50. */
  readonly batchSize?: number
  /** The poller's clock: the time a message is taken in. */
  readonly clock: () => Instant
}

/** What one poll took in, by outcome, and what it left for the next poll. */
export interface PollResult {
  readonly counts: Readonly<Record<IntakeStatus, number>>
  /** Messages left unread because the ledger or a lookup failed; taken in on a later poll. */
  readonly deferred: number
  readonly failures: ReadonlyArray<IntakeFailed>
}

/** The IMAP server failed (connection lost, mailbox missing). */
export interface ImapFailed {
  readonly _tag: 'ImapFailed'
  readonly message: string
  readonly cause: unknown
}

/** A mailbox whose unread messages are taken into the ledger. */
export interface ImapMailbox {
  /** Takes in every unread message once. */
  readonly poll: () => Promise<E.Either<ImapFailed, PollResult>>
}

/** A mailbox polled on a timer until stopped. */
export interface MailboxPolling {
  /** Finishes the poll in hand and stops. */
  readonly stop: () => Promise<void>
}

// constructors

/**
 * Reads a mailbox through a connected `ImapFlow` client: each unread message is taken in and marked read, and one that
 * cannot be a request or an answer is moved to the set-aside mailbox.
 *
 * @example
 * const mailbox = imapMailbox(client, intake, { clock: () => instantOf(Date.now()) })
 * const result = await mailbox.poll()
 */
export const imapMailbox = (client: ImapClient, intake: MailIntake, options: ImapMailboxOptions): ImapMailbox => {
  const mailbox = options.mailbox ?? 'INBOX'
  const setAside = options.setAsideMailbox ?? 'Set aside'
  const batchSize = options.batchSize ?? 50
  let setAsideReady = false

  const ensureSetAside = async () => {
    if (setAsideReady) return
    try {
      await client.mailboxCreate(setAside)
    } catch {
      // It exists already (ALREADYEXISTS); any other problem shows on the move.
    }
    setAsideReady = true
  }

  const poll: ImapMailbox['poll'] = async () => {
    const counts: Record<IntakeStatus, number> = { filed: 0, answered: 0, 'set-aside': 0, duplicate: 0 }
    const failures: IntakeFailed[] = []
    let deferred = 0
    try {
      await ensureSetAside()
      const lock = await client.getMailboxLock(mailbox)
      try {
        // A mailbox held open since the last poll learns of new mail on the next command: ask for it first.
        await client.noop()
        const unread = (await client.search({ seen: false }, { uid: true })) || []
        for (let i = 0; i < unread.length; i += batchSize) {
          const uids = unread.slice(i, i + batchSize)
          // Fetch the batch whole first: imapflow must not run other commands inside a fetch.
          const messages = await client.fetchAll(uids.join(','), { uid: true, source: true, internalDate: true }, { uid: true })
          const seen: number[] = []
          const aside: number[] = []
          for (const m of messages) {
            if (m.source === undefined) continue
            const arrived = m.internalDate === undefined ? undefined : (new Date(m.internalDate).toISOString() as Instant)
            const taken = await intake.takeIn(m.source, options.clock(), arrived)()
            if (E.isLeft(taken)) {
              deferred += 1
              failures.push(taken.left)
              continue
            }
            counts[taken.right.status] += 1
            // Only the reading that kept a message aside moves it: two pollers moving one message would copy it twice.
            if (taken.right.status === 'set-aside') aside.push(m.uid)
            else seen.push(m.uid)
          }
          if (seen.length > 0) await client.messageFlagsAdd(seen.join(','), ['\\Seen'], { uid: true })
          if (aside.length > 0) {
            await client.messageFlagsAdd(aside.join(','), ['\\Seen'], { uid: true })
            await client.messageMove(aside.join(','), setAside, { uid: true })
          }
        }
      } finally {
        lock.release()
      }
    } catch (e) {
      return E.left({ _tag: 'ImapFailed', message: e instanceof Error ? e.message : String(e), cause: e })
    }
    return E.right({ counts, deferred, failures })
  }

  return { poll }
}

/**
 * Polls `mailbox` every `everyMs` (default 30 s) until stopped; each result, or the IMAP failure, goes to
 * `onResult`. Polls never overlap within one instance; instances may overlap, the intake files each message once.
 */
export const startMailboxPolling = (
  mailbox: ImapMailbox,
  options: { readonly everyMs?: number; readonly onResult?: (result: E.Either<ImapFailed, PollResult>) => void } = {},
): MailboxPolling => {
  let stopping = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let wake: (() => void) | undefined
  const loop = async () => {
    while (!stopping) {
      options.onResult?.(await mailbox.poll())
      if (stopping) break
      await new Promise<void>((resolve) => {
        wake = resolve
        timer = setTimeout(resolve, options.everyMs ?? 30_000)
      })
    }
  }
  const ended = loop()
  return {
    stop: async () => {
      stopping = true
      if (timer !== undefined) clearTimeout(timer)
      wake?.()
      await ended
    },
  }
}
