/**
 * The notification policy: which recorded event or schedule moment mails whom, with which template. Recipients
 * are chosen by party and role among the people the contract lists (or the listed person who acted), never
 * taken from text inside an event.
 */
import type { LedgerEvent, RecordedEvent } from '@support-ledger/core'
import { contactById, contactsWithRole, type Contact, type ContactParty, type ContractContacts } from './contract-contacts.js'
import type { TemplateName } from './mail-templates.js'

// model

/** The recorded events that can mail someone. */
export type EventTrigger =
  | 'RequestFiled'
  | 'DeadlineProposed'
  | 'DeadlineAgreed'
  | 'DeadlineRejected'
  | 'CustomerAsked'
  | 'OnSiteDemanded'
  | 'EngineerArrived'
  | 'ServiceRestored'
  | 'FailureReportSubmitted'
  | 'CapWarningReached'
  | 'DeliveryRecorded'

/** The moments of the obligation schedule that can mail someone. */
export type ScheduleTrigger = 'clock-warning' | 'clock-breached' | 'delivery-due' | 'delivery-late'

/** What can cause a mail: a recorded event or a moment of the schedule. */
export type Trigger = EventTrigger | ScheduleTrigger

/** A recipient rule: everyone of `party` holding `role`, or the listed person who gave the command (`actor`). */
export type RecipientRule = { readonly party: ContactParty; readonly role: string } | { readonly actor: ContactParty }

/** One rule of a notification policy: the template to send and who receives it. */
export interface PolicyRule {
  readonly template: TemplateName
  readonly to: ReadonlyArray<RecipientRule>
}

/** Every trigger's rule; `off` sends nothing for it. */
export type NotificationPolicy = Readonly<Record<Trigger, PolicyRule | 'off'>>

const customerContact: RecipientRule = { party: 'customer', role: 'contact' }
const supplierSupport: RecipientRule = { party: 'supplier', role: 'support' }
const supplierManager: RecipientRule = { party: 'supplier', role: 'manager' }

/** What a supplier would choose: the customer hears of its requests, incidents and deliveries, the supplier of what it must do. */
export const defaultNotificationPolicy: NotificationPolicy = {
  RequestFiled: { template: 'request-received', to: [{ actor: 'customer' }, customerContact] },
  DeadlineProposed: { template: 'deadline-proposed', to: [customerContact] },
  DeadlineAgreed: { template: 'deadline-agreed', to: [supplierSupport] },
  DeadlineRejected: { template: 'deadline-rejected', to: [supplierSupport] },
  // The answer is expected by reply to this mail: it goes to the customer's contact.
  CustomerAsked: { template: 'question-asked', to: [customerContact] },
  OnSiteDemanded: { template: 'on-site-demanded', to: [{ party: 'supplier', role: 'on-call' }] },
  EngineerArrived: { template: 'engineer-arrived', to: [customerContact] },
  ServiceRestored: { template: 'service-restored', to: [customerContact] },
  FailureReportSubmitted: { template: 'failure-report-submitted', to: [customerContact] },
  CapWarningReached: { template: 'budget-warning', to: [customerContact, supplierManager] },
  DeliveryRecorded: { template: 'delivery-made', to: [customerContact] },
  'clock-warning': { template: 'clock-warning', to: [supplierSupport] },
  'clock-breached': { template: 'clock-breached', to: [supplierSupport, customerContact] },
  'delivery-due': { template: 'delivery-due', to: [supplierManager] },
  'delivery-late': { template: 'delivery-late', to: [supplierManager] },
}

/** The default policy with some triggers changed or turned off. */
export const notificationPolicy = (changes: Partial<NotificationPolicy>): NotificationPolicy => ({ ...defaultNotificationPolicy, ...changes })

/** A value a template shows, formatted per reader: an instant in the contract's zone, tenge, a share, or text. */
export type MailValue =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'instant'; readonly at: string }
  | { readonly kind: 'tiyn'; readonly amount: number }
  | { readonly kind: 'bps'; readonly bps: number }
  | { readonly kind: 'obligation'; readonly name: string }
  /** A window from an instant: elapsed minutes give an instant; business minutes need the calendar, so the mail names them. */
  | { readonly kind: 'window'; readonly from: string; readonly minutes: number; readonly measure: 'elapsed' | 'business' }

/** A thread of mails: every mail of one ticket, incident, budget or delivery quarter shares one root. */
export interface MailThread {
  readonly kind: 'ticket' | 'incident' | 'budget' | 'delivery'
  readonly id: string
}

/** What to tell whom, before it is written in anyone's language. */
export interface Notification {
  readonly trigger: Trigger
  readonly template: TemplateName
  readonly contractId: string
  /** The event id, or the schedule moment's key: with the recipient and template, the dedupe key. */
  readonly source: string
  readonly thread: MailThread
  readonly values: Readonly<Record<string, MailValue>>
  readonly recipients: ReadonlyArray<Contact>
  /** For a schedule moment: the obligation's key, so the mail is dropped if it was met before sending. */
  readonly obligation?: string
}

// constructors

const text = (s: string): MailValue => ({ kind: 'text', text: s })
const instant = (at: string): MailValue => ({ kind: 'instant', at })

/** The recipients a rule names, each person once, in rule order. */
export const recipientsOf = (rules: ReadonlyArray<RecipientRule>, contacts: ContractContacts, actor?: { readonly party: string; readonly id: string }): ReadonlyArray<Contact> => {
  const out = new Map<string, Contact>()
  for (const rule of rules) {
    const found =
      'actor' in rule
        ? actor !== undefined && actor.party === rule.actor
          ? [contactById(contacts, actor.id)].filter((c): c is Contact => c !== undefined && c.party === rule.actor)
          : []
        : contactsWithRole(contacts, rule.party, rule.role)
    for (const person of found) if (!out.has(person.personId)) out.set(person.personId, person)
  }
  return [...out.values()]
}

interface EventFacts {
  readonly trigger: EventTrigger
  readonly thread: MailThread
  readonly values: Readonly<Record<string, MailValue>>
}

/** What each event that mails anyone says, as template values; undefined for every other event. */
const factsOf = (event: RecordedEvent<LedgerEvent>): EventFacts | undefined => {
  switch (event.type) {
    case 'RequestFiled':
      return {
        trigger: 'RequestFiled',
        thread: { kind: 'ticket', id: event.data.ticketId },
        values: { ticketRef: text(event.data.ticketId), subject: text(event.data.subject), receivedAt: instant(event.data.receivedAt) },
      }
    case 'DeadlineProposed':
    case 'DeadlineAgreed':
      return {
        trigger: event.type,
        thread: { kind: 'ticket', id: event.data.ticketId },
        values: { ticketRef: text(event.data.ticketId), deadline: instant(event.data.deadline) },
      }
    case 'DeadlineRejected':
      return {
        trigger: 'DeadlineRejected',
        thread: { kind: 'ticket', id: event.data.ticketId },
        values: { ticketRef: text(event.data.ticketId), deadline: instant(event.data.deadline), reason: text(event.data.reason) },
      }
    case 'CustomerAsked':
      return {
        trigger: 'CustomerAsked',
        thread: { kind: 'ticket', id: event.data.ticketId },
        values: { ticketRef: text(event.data.ticketId), question: text(event.data.question) },
      }
    case 'OnSiteDemanded':
      return {
        trigger: 'OnSiteDemanded',
        thread: { kind: 'incident', id: event.data.incidentId },
        values: {
          incidentRef: text(event.data.incidentId),
          site: text(event.data.site),
          arriveBy: { kind: 'window', from: event.data.at, minutes: event.data.arrivalRule.minutes, measure: event.data.arrivalRule.measure },
        },
      }
    case 'EngineerArrived':
      return {
        trigger: 'EngineerArrived',
        thread: { kind: 'incident', id: event.data.incidentId },
        values: { incidentRef: text(event.data.incidentId), engineer: text(event.data.engineer), arrivedAt: instant(event.data.at) },
      }
    case 'ServiceRestored':
      return {
        trigger: 'ServiceRestored',
        thread: { kind: 'incident', id: event.data.incidentId },
        values: { incidentRef: text(event.data.incidentId), restoredAt: instant(event.data.at), note: text(event.data.note) },
      }
    case 'FailureReportSubmitted':
      return {
        trigger: 'FailureReportSubmitted',
        thread: { kind: 'incident', id: event.data.incidentId },
        values: { incidentRef: text(event.data.incidentId), summary: text(event.data.report.summary), revision: text(String(event.data.revision)) },
      }
    case 'CapWarningReached':
      return {
        trigger: 'CapWarningReached',
        thread: { kind: 'budget', id: event.data.contractId },
        values: {
          threshold: { kind: 'bps', bps: event.data.thresholdBps },
          committed: { kind: 'tiyn', amount: event.data.committed },
          cap: { kind: 'tiyn', amount: event.data.cap },
        },
      }
    case 'DeliveryRecorded':
      return {
        trigger: 'DeliveryRecorded',
        thread: { kind: 'delivery', id: event.data.quarter },
        values: { quarter: text(event.data.quarter), version: text(event.data.version), deliveredAt: instant(event.data.at) },
      }
    default:
      return undefined
  }
}

// operations

/**
 * What one recorded event mails, under `policy`, to the people of `contacts`: nothing when the event mails
 * nobody, its trigger is off, or no listed person holds the roles.
 */
export const notificationOfEvent = (
  event: RecordedEvent<LedgerEvent>,
  contacts: ContractContacts,
  policy: NotificationPolicy = defaultNotificationPolicy,
): Notification | undefined => {
  const facts = factsOf(event)
  if (facts === undefined) return undefined
  const rule = policy[facts.trigger]
  if (rule === 'off') return undefined
  const recipients = recipientsOf(rule.to, contacts, event.metadata.actor)
  if (recipients.length === 0) return undefined
  return {
    trigger: facts.trigger,
    template: rule.template,
    contractId: contacts.contractId,
    source: `event:${event.eventId}`,
    thread: facts.thread,
    values: facts.values,
    recipients,
  }
}
