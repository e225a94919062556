/**
 * The mail as it is enqueued: every header fixed, the `Message-ID` included, so that a resend after a crash is
 * the same mail. Threading ids encode the ticket or incident, which is how a reply finds its way back.
 */
import { createHash } from 'node:crypto'
import * as A from 'fp-ts/lib/Array.js'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { localeOf, type Contact, type ContractContacts } from './contract-contacts.js'
import { headerText, mailAddress, MailAddress, type HeaderError } from './mail-address.js'
import { formatBps, formatInstant, formatTiyn, formatWindow, MailLocale, obligationLabel } from './mail-locale.js'
import type { MailTemplates, TemplateName, TemplateValues } from './mail-templates.js'
import type { MailThread, MailValue, Notification } from './notification-policy.js'

// model

/** A display name and an address, as a mail's `From` or `To` shows them. */
export const Mailbox = t.readonly(t.type({ name: t.string, address: MailAddress }), 'Mailbox')
export type Mailbox = t.TypeOf<typeof Mailbox>

/** A mail ready to send, as the outbox stores it. */
export const OutgoingMail = t.readonly(
  t.intersection([
    t.type({
      messageId: t.string,
      from: Mailbox,
      to: Mailbox,
      subject: t.string,
      text: t.string,
      html: t.string,
      inReplyTo: t.string,
      references: t.readonlyArray(t.string),
      locale: MailLocale,
      template: t.string,
      contractId: t.string,
    }),
    t.partial({
      /** For a mail of the obligation schedule: the obligation, checked again just before sending. */
      obligation: t.readonly(t.type({ contractId: t.string, key: t.string })),
    }),
  ]),
  'OutgoingMail',
)
export type OutgoingMail = t.TypeOf<typeof OutgoingMail>

/** One mail for the outbox with the key that makes a second enqueue of it a no-op. */
export interface MailToEnqueue {
  readonly dedupeKey: string
  readonly mail: OutgoingMail
}

/** Where mails come from: the sending mailbox, and the domain of every `Message-ID` (which must be ours to thread replies). */
export interface SenderIdentity {
  readonly from: { readonly name: string; readonly address: string }
  readonly messageIdDomain: string
}

// constructors

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex')
const unhex = (s: string): string => Buffer.from(s, 'hex').toString('utf8')
const threadTag: Record<MailThread['kind'], string> = { ticket: 't', incident: 'i', budget: 'b', delivery: 'd' }
const tagThread: Record<string, MailThread['kind']> = { t: 'ticket', i: 'incident', b: 'budget', d: 'delivery' }

/** The root every mail of a thread refers to: `<t.<contract hex>.<ticket hex>@domain>`. */
export const threadRootId = (contractId: string, thread: MailThread, domain: string): string =>
  `<${threadTag[thread.kind]}.${hex(contractId)}.${hex(thread.id)}@${domain}>`

/** A mail's own id: a digest of its dedupe key, followed by its thread, so a reply to it names the thread too. */
export const mailMessageId = (dedupeKey: string, contractId: string, thread: MailThread, domain: string): string =>
  `<m.${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 24)}.${threadTag[thread.kind]}.${hex(contractId)}.${hex(thread.id)}@${domain}>`

/** The contract and thread a `Message-ID` of ours names, or undefined for anyone else's id. */
export const threadOfMessageId = (messageId: string, domain: string): { readonly contractId: string; readonly thread: MailThread } | undefined => {
  const match = /^<?(?:m\.[0-9a-f]+\.)?([tibd])\.([0-9a-f]+)\.([0-9a-f]+)@([^>]+)>?$/.exec(messageId.trim())
  if (match === null || match[4]!.toLowerCase() !== domain.toLowerCase()) return undefined
  if (match[2]!.length % 2 !== 0 || match[3]!.length % 2 !== 0) return undefined
  return { contractId: unhex(match[2]!), thread: { kind: tagThread[match[1]!]!, id: unhex(match[3]!) } }
}

/** The dedupe key of one notification to one person: its source, the recipient and the template. */
export const dedupeKeyOf = (notification: Notification, person: Contact): string =>
  `mail:${notification.source}:${notification.contractId}:${person.personId}:${notification.template}`

const formatValue = (value: MailValue, locale: MailLocale, timeZone: string): string => {
  switch (value.kind) {
    case 'text':
      return value.text
    case 'instant':
      return formatInstant(value.at, timeZone, locale)
    case 'tiyn':
      return formatTiyn(value.amount, locale)
    case 'bps':
      return formatBps(value.bps, locale)
    case 'obligation':
      return obligationLabel(value.name, locale)
    case 'window':
      return formatWindow(value.from, value.minutes, value.measure, timeZone, locale)
  }
}

const composeOne = (
  notification: Notification,
  contacts: ContractContacts,
  person: Contact,
  templates: MailTemplates,
  sender: SenderIdentity,
): E.Either<HeaderError, MailToEnqueue> => {
  const locale = localeOf(contacts, person)
  const values: Record<string, string> = {
    contractId: contacts.contractId,
    customerName: contacts.customerName,
    supplierName: contacts.supplierName,
    recipientName: person.name,
  }
  for (const [field, value] of Object.entries(notification.values)) values[field] = formatValue(value, locale, contacts.timeZone)
  const rendered = templates.render(notification.template, locale, values as unknown as TemplateValues<TemplateName>)
  const dedupeKey = dedupeKeyOf(notification, person)
  const root = threadRootId(contacts.contractId, notification.thread, sender.messageIdDomain)
  return pipe(
    E.Do as E.Either<HeaderError, object>,
    E.apS('fromAddress', mailAddress('from.address', sender.from.address)),
    E.apS('fromName', headerText('from.name', sender.from.name)),
    E.apS('toAddress', mailAddress(`to[${person.personId}].address`, person.address)),
    E.apS('toName', headerText(`to[${person.personId}].name`, person.name)),
    E.apS('subject', headerText('subject', rendered.subject)),
    E.apS('domain', messageIdDomain(sender.messageIdDomain)),
    E.map(({ fromAddress, fromName, toAddress, toName, subject }) => ({
      dedupeKey,
      mail: {
        messageId: mailMessageId(dedupeKey, contacts.contractId, notification.thread, sender.messageIdDomain),
        from: { name: fromName, address: fromAddress },
        to: { name: toName, address: toAddress },
        subject,
        text: rendered.text,
        html: rendered.html,
        inReplyTo: root,
        references: [root],
        locale,
        template: notification.template,
        contractId: contacts.contractId,
        ...(notification.obligation === undefined ? {} : { obligation: { contractId: contacts.contractId, key: notification.obligation } }),
      },
    })),
  )
}

const messageIdDomain = (domain: string): E.Either<HeaderError, string> =>
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(domain)
    ? E.right(domain)
    : pipe(
        headerText('messageIdDomain', domain),
        E.chain(() => E.left<HeaderError, string>({ _tag: 'MalformedAddress', message: `messageIdDomain is not a domain name: ${JSON.stringify(domain)}`, field: 'messageIdDomain', value: domain })),
      )

// operations

/**
 * The mails of one notification, one per recipient in the recipient's language. All or nothing: a line break
 * or a malformed address anywhere is a typed error and no mail of the notification is returned.
 */
export const composeMails = (
  notification: Notification,
  contacts: ContractContacts,
  templates: MailTemplates,
  sender: SenderIdentity,
): E.Either<HeaderError, ReadonlyArray<MailToEnqueue>> =>
  pipe(
    [...notification.recipients],
    A.traverse(E.Applicative)((person) => composeOne(notification, contacts, person, templates, sender)),
  )
