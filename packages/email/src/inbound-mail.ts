/**
 * Mail in: RFC 5322 bytes become a ledger command (a new request, or the answer to a ticket's open question)
 * or are kept aside with a reason. Pure but for the parser: lookups and the clock are inputs.
 */
import { createHash } from 'node:crypto'
import type { AnswerQuestion, FileRequest, Instant, Priority, TicketKind } from '@support-ledger/core'
import type { ContractId, TicketId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { simpleParser, type ParsedMail } from 'mailparser'
import { customerContactsByAddress, type Contact, type ContractContacts } from './contract-contacts.js'
import { threadOfMessageId } from './mail-message.js'

// model

/** Why a message was kept aside instead of filed. */
export type SetAsideReason =
  | 'oversized'
  | 'malformed'
  /** The sender is nobody's contact on any contract. */
  | 'unknown-sender'
  /** The sender is a contact, but of no contract the message can be filed under (several, or not the thread's). */
  | 'no-contract'
  /** An auto-reply, a bounce or a list message: answering it could loop. */
  | 'automatic'
  /** A reply to a ticket's thread, with no question open on the ticket. */
  | 'no-open-question'
  /** The ledger refused the command (e.g. the contract is not in force); the detail names the error. */
  | 'refused'

/** Where the request's receipt time came from: the message's `Date`, or its arrival when the `Date` is absent or ahead of it. */
export interface DeclaredTime {
  readonly at: Instant
  readonly source: { readonly kind: 'mail-date' | 'mail-arrival'; readonly messageId: string; readonly header?: string }
}

/** A new request as the ticket service takes it (it adds the terms and SLA policy in force). */
export type MailedRequest = Omit<FileRequest, 'terms' | 'slaPolicy'> & { readonly contractId: ContractId }

/** An answer to a ticket's open question, as the ticket service takes it. */
export type MailedAnswer = Omit<AnswerQuestion, 'terms'> & { readonly contractId: ContractId }

/** What a message reads as: a new request, an answer to a question, or a message set aside. */
export type InboundOutcome =
  | {
      readonly kind: 'request'
      readonly messageId: string
      readonly request: MailedRequest
      readonly declared: DeclaredTime
    }
  | { readonly kind: 'answer'; readonly messageId: string; readonly request: MailedAnswer }
  | InboundSetAside

/**
 * A message that is neither a request nor an answer (too large, malformed, from an unknown sender, an auto-reply...),
 * kept aside with the reason for a person to look at.
 */
export interface InboundSetAside {
  readonly kind: 'set-aside'
  readonly messageId: string
  readonly reason: SetAsideReason
  readonly detail: string
  readonly from?: string
  readonly subject?: string
}

/** How inbound mail is read: our `Message-ID` domain, size and length limits, and what a mailed request is filed as. */
export interface InboundOptions {
  /** The domain of our `Message-ID`s: a reply refers to one of them. */
  readonly messageIdDomain: string
  /** Larger messages are kept aside unread; default 10 MiB. */
  readonly maxBytes?: number
  /** What a mailed request is filed as: the customer may change the priority later. Default consultation, normal. */
  readonly kind?: TicketKind
  readonly priority?: Priority
  /** Largest description kept, in characters; default 20,000. */
  readonly maxDescription?: number
}

/** What reading a message needs to know of the ledger. */
export interface InboundLookups {
  /** The contacts of every contract that takes mail (a sender is matched among their customer people). */
  readonly directory: () => TaskEither<unknown, ReadonlyArray<ContractContacts>>
  /** The id of the question open on a ticket, if any. */
  readonly openQuestion: (contractId: string, ticketId: string) => TaskEither<unknown, string | undefined>
}

/** A lookup failed: the message is not taken in now and will be read again. */
export interface InboundLookupFailed {
  readonly _tag: 'InboundLookupFailed'
  readonly message: string
  readonly cause: unknown
}

// constructors

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024
const FUTURE_SKEW_MS = 5 * 60_000

/** The id a message is known by: its `Message-ID`, or a digest of its bytes when it has none. */
export const messageKeyOf = (bytes: Uint8Array, parsed?: ParsedMail): string =>
  parsed?.messageId !== undefined && parsed.messageId.trim() !== ''
    ? parsed.messageId.trim()
    : `<sha256.${createHash('sha256').update(bytes).digest('hex')}@no-message-id>`

/** The ticket id of a request filed by mail: derived from the `Message-ID`, so reading it twice names one ticket. */
export const ticketIdOfMessage = (messageId: string): string => `mail-${createHash('sha256').update(messageId).digest('hex').slice(0, 20)}`

const referencesOf = (parsed: ParsedMail): ReadonlyArray<string> => {
  const refs = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : [parsed.references]
  return [...(parsed.inReplyTo === undefined ? [] : parsed.inReplyTo.split(/\s+/)), ...refs.flatMap((r) => r.split(/\s+/))].filter((r) => r !== '')
}

const headerString = (parsed: ParsedMail, name: string): string | undefined => {
  const value = parsed.headers.get(name)
  return typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value)
}

const isAutomatic = (parsed: ParsedMail): string | undefined => {
  const auto = headerString(parsed, 'auto-submitted')
  if (auto !== undefined && auto.trim().toLowerCase() !== 'no') return `Auto-Submitted: ${auto}`
  const precedence = headerString(parsed, 'precedence')?.trim().toLowerCase()
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list' || precedence === 'auto_reply') return `Precedence: ${precedence}`
  if (parsed.headers.has('x-autoreply') || parsed.headers.has('x-autorespond')) return 'an auto-reply header'
  const from = parsed.from?.value[0]?.address?.toLowerCase() ?? ''
  if (/^(mailer-daemon|postmaster)@/.test(from)) return `from ${from}`
  return undefined
}

/** The reply's own words: quoted lines and the quote's attribution line dropped. */
export const replyText = (text: string): string => {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const kept: string[] = []
  for (const line of lines) {
    if (/^\s*>/.test(line)) continue
    kept.push(line)
  }
  // An attribution ("On ... wrote:", "... написал(а):") right before the quote carries nothing.
  while (kept.length > 0 && (kept[kept.length - 1]!.trim() === '' || /(wrote|написал\(а\)|написал|жазды):\s*$/i.test(kept[kept.length - 1]!))) kept.pop()
  return kept.join('\n').trim()
}

const declaredTime = (parsed: ParsedMail, messageId: string, arrivedAt: Instant): DeclaredTime => {
  const date = parsed.date
  const line = parsed.headerLines.find((h) => h.key === 'date')?.line
  const header = line === undefined ? undefined : line.replace(/^date:\s*/i, '').replace(/\r?\n[ \t]+/g, ' ').trim()
  if (date === undefined || Number.isNaN(date.getTime()) || date.getTime() > Date.parse(arrivedAt) + FUTURE_SKEW_MS) {
    return { at: arrivedAt, source: { kind: 'mail-arrival', messageId, ...(header === undefined ? {} : { header }) } }
  }
  return { at: date.toISOString() as Instant, source: { kind: 'mail-date', messageId, ...(header === undefined ? {} : { header }) } }
}

const setAside = (messageId: string, reason: SetAsideReason, detail: string, parsed?: ParsedMail): InboundSetAside => {
  const from = parsed?.from?.value[0]?.address
  return {
    kind: 'set-aside',
    messageId,
    reason,
    detail,
    ...(from === undefined ? {} : { from }),
    ...(parsed?.subject === undefined ? {} : { subject: parsed.subject }),
  }
}

const lookupFailed = (what: string, cause: unknown): InboundLookupFailed => ({
  _tag: 'InboundLookupFailed',
  message: `${what}: ${String((cause as { message?: unknown }).message ?? cause)}`,
  cause,
})

// operations

/**
 * Reads one message: a request from a customer contact, an answer when it replies to a ticket's thread with a
 * question open, or a typed set-aside. Never throws on the message's content; a failed lookup is a Left.
 * `now` is when it is taken in (the command's time); `arrivedAt` when it reached the mailbox (IMAP's internal date).
 */
export const readInboundMail = async (
  bytes: Uint8Array,
  lookups: InboundLookups,
  options: InboundOptions,
  now: Instant,
  arrivedAt: Instant = now,
): Promise<E.Either<InboundLookupFailed, InboundOutcome>> => {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  if (bytes.byteLength > maxBytes) {
    return E.right(setAside(messageKeyOf(bytes), 'oversized', `${bytes.byteLength} bytes, more than the ${maxBytes} allowed`))
  }
  let parsed: ParsedMail
  try {
    parsed = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipImageLinks: true, skipTextLinks: true })
  } catch (e) {
    return E.right(setAside(messageKeyOf(bytes), 'malformed', `not a mail message: ${e instanceof Error ? e.message : String(e)}`))
  }
  const messageId = messageKeyOf(bytes, parsed)
  const fromAddress = parsed.from?.value[0]?.address
  if (fromAddress === undefined || fromAddress === '' || parsed.headerLines.length === 0) {
    return E.right(setAside(messageId, 'malformed', 'no From address', parsed))
  }
  const automatic = isAutomatic(parsed)
  if (automatic !== undefined) return E.right(setAside(messageId, 'automatic', automatic, parsed))

  const directory = await lookups.directory()()
  if (E.isLeft(directory)) return E.left(lookupFailed('contact directory', directory.left))
  const matches = customerContactsByAddress(directory.right, fromAddress)
  if (matches.length === 0) return E.right(setAside(messageId, 'unknown-sender', `${fromAddress} is no customer contact of any contract`, parsed))

  const thread = referencesOf(parsed)
    .map((ref) => threadOfMessageId(ref, options.messageIdDomain))
    .find((t) => t !== undefined && t.thread.kind === 'ticket')
  if (thread !== undefined) {
    const match = matches.find((m) => m.contacts.contractId === thread.contractId)
    if (match === undefined) {
      return E.right(setAside(messageId, 'no-contract', `${fromAddress} replies to ticket ${thread.thread.id} of contract ${thread.contractId}, where it is no customer contact`, parsed))
    }
    const open = await lookups.openQuestion(thread.contractId, thread.thread.id)()
    if (E.isLeft(open)) return E.left(lookupFailed(`open question of ticket ${thread.thread.id}`, open.left))
    if (open.right === undefined) return E.right(setAside(messageId, 'no-open-question', `a reply to ticket ${thread.thread.id}, which has no open question`, parsed))
    return E.right({
      kind: 'answer',
      messageId,
      request: {
        type: 'AnswerQuestion',
        contractId: thread.contractId as ContractId,
        ticketId: thread.thread.id as TicketId,
        actor: { party: 'customer', id: match.person.personId },
        at: now,
        questionId: open.right,
        answer: replyText(parsed.text ?? ''),
      },
    })
  }

  if (matches.length > 1) {
    return E.right(setAside(messageId, 'no-contract', `${fromAddress} is a contact of ${matches.length} contracts: ${matches.map((m) => m.contacts.contractId).join(', ')}`, parsed))
  }
  const { contacts, person } = matches[0]!
  return E.right(requestOf(parsed, messageId, contacts, person, options, now, arrivedAt))
}

const requestOf = (
  parsed: ParsedMail,
  messageId: string,
  contacts: ContractContacts,
  person: Contact,
  options: InboundOptions,
  now: Instant,
  arrivedAt: Instant,
): InboundOutcome => {
  const declared = declaredTime(parsed, messageId, arrivedAt)
  const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim()
  const description = (parsed.text ?? '').trim().slice(0, options.maxDescription ?? 20_000)
  return {
    kind: 'request',
    messageId,
    declared,
    request: {
      type: 'FileRequest',
      contractId: contacts.contractId as ContractId,
      ticketId: ticketIdOfMessage(messageId) as TicketId,
      actor: { party: 'customer', id: person.personId },
      at: now < declared.at ? declared.at : now,
      kind: options.kind ?? 'consultation',
      priority: options.priority ?? 'normal',
      channel: 'email',
      receivedAt: declared.at,
      subject: subject === '' ? '(no subject)' : subject,
      externalRef: messageId,
      ...(description === '' ? {} : { description }),
    },
  }
}
