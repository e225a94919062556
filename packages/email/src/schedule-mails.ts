/**
 * Time-based mails: warnings, breaches and due deliveries read from the obligation schedule. Each is enqueued
 * under a key of its obligation, moment and threshold, so it is sent once however often, and by however many
 * instances, a window is scanned; a mail about an obligation met meanwhile is dropped before it is sent.
 */
import type { Instant, OutboxError, OutboxWriter } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { ContractContacts } from './contract-contacts.js'
import { composeMails, type SenderIdentity } from './mail-message.js'
import { enqueueMails, type ObligationStillOpen } from './mail-outbox.js'
import type { MailRefused, LookupFailed, NotifyResult } from './mail-notifier.js'
import type { MailTemplates } from './mail-templates.js'
import { defaultNotificationPolicy, recipientsOf, type MailValue, type Notification, type NotificationPolicy, type ScheduleTrigger } from './notification-policy.js'

// model

/** A moment the obligation schedule reports: a warning threshold crossed, a breach, a delivery due soon or late. */
export interface ScheduleMoment {
  readonly contractId: string
  /** Unique per obligation (e.g. `ticket:T-1:deadline-proposal`). */
  readonly obligationKey: string
  /** The obligation's name (`deadline-proposal`, `on-site-arrival`, `quarterly-delivery`...). */
  readonly obligation: string
  readonly moment: 'warning' | 'breach' | 'due-soon' | 'late'
  /** For a warning: the share of the window that has passed, in basis points. */
  readonly thresholdBps?: number
  /** What the obligation is about: a ticket, an incident, a delivery quarter (`2026-Q1`). */
  readonly subject: { readonly kind: 'ticket' | 'incident' | 'delivery'; readonly id: string }
  readonly dueAt: Instant
  /** When the moment falls. */
  readonly at: Instant
}

/**
 * What this package needs of the obligation schedule: the moments of open obligations falling in a window,
 * and whether an obligation is still open. The schedule read model satisfies it.
 */
export interface ObligationMoments {
  /** Moments with `from <= at < to`, of obligations still open. */
  readonly momentsBetween: (from: Instant, to: Instant) => TaskEither<unknown, ReadonlyArray<ScheduleMoment>>
  readonly stillOpen: ObligationStillOpen
}

/**
 * What the schedule mails need: the moments to mail about, templates, the sender, and each contract's contacts and
 * policy.
 */
export interface ScheduleMailsDeps {
  readonly schedule: ObligationMoments
  readonly templates: MailTemplates
  readonly sender: SenderIdentity
  /** The contacts of a contract, or undefined for a contract nobody is mailed about. */
  readonly contacts: (contractId: string) => TaskEither<unknown, ContractContacts | undefined>
  /** The policy of a contract; the default policy for every contract when absent. */
  readonly policy?: (contractId: string) => NotificationPolicy
}

// constructors

const triggerOf = (moment: ScheduleMoment): ScheduleTrigger => {
  if (moment.subject.kind === 'delivery') return moment.moment === 'late' || moment.moment === 'breach' ? 'delivery-late' : 'delivery-due'
  return moment.moment === 'breach' || moment.moment === 'late' ? 'clock-breached' : 'clock-warning'
}

const valuesOf = (moment: ScheduleMoment, trigger: ScheduleTrigger): Readonly<Record<string, MailValue>> => {
  const dueAt: MailValue = { kind: 'instant', at: moment.dueAt }
  switch (trigger) {
    case 'delivery-due':
    case 'delivery-late':
      return { quarter: { kind: 'text', text: moment.subject.id }, dueAt }
    case 'clock-warning':
      return {
        subjectRef: { kind: 'text', text: moment.subject.id },
        obligation: { kind: 'obligation', name: moment.obligation },
        dueAt,
        share: { kind: 'bps', bps: moment.thresholdBps ?? 0 },
      }
    case 'clock-breached':
      return { subjectRef: { kind: 'text', text: moment.subject.id }, obligation: { kind: 'obligation', name: moment.obligation }, dueAt }
  }
}

/** The notification of one schedule moment under `policy`, or undefined when it mails nobody. */
export const notificationOfMoment = (moment: ScheduleMoment, contacts: ContractContacts, policy: NotificationPolicy = defaultNotificationPolicy): Notification | undefined => {
  const trigger = triggerOf(moment)
  const rule = policy[trigger]
  if (rule === 'off') return undefined
  const recipients = recipientsOf(rule.to, contacts)
  if (recipients.length === 0) return undefined
  return {
    trigger,
    template: rule.template,
    contractId: moment.contractId,
    source: `schedule:${moment.obligationKey}:${moment.moment}:${moment.thresholdBps ?? ''}`,
    thread: { kind: moment.subject.kind === 'delivery' ? 'delivery' : moment.subject.kind, id: moment.subject.id },
    values: valuesOf(moment, trigger),
    recipients,
    obligation: moment.obligationKey,
  }
}

/**
 * Enqueues the mails of every moment in `[from, to)`. Scanning a window again, or from several instances,
 * enqueues nothing new: the keys are those of the moments, not of the scan.
 */
export const enqueueScheduleMails =
  (deps: ScheduleMailsDeps) =>
  (writer: OutboxWriter, from: Instant, to: Instant): TaskEither<LookupFailed | OutboxError, NotifyResult> =>
  async () => {
    const moments = await deps.schedule.momentsBetween(from, to)()
    if (E.isLeft(moments)) return E.left({ _tag: 'LookupFailed', message: 'obligation schedule', cause: moments.left })
    const enqueued: string[] = []
    const duplicates: string[] = []
    const refused: MailRefused[] = []
    for (const moment of moments.right) {
      const contacts = await deps.contacts(moment.contractId)()
      if (E.isLeft(contacts)) return E.left({ _tag: 'LookupFailed', message: `contacts of contract ${moment.contractId}`, cause: contacts.left })
      if (contacts.right === undefined) continue
      const notification = notificationOfMoment(moment, contacts.right, deps.policy?.(moment.contractId))
      if (notification === undefined) continue
      const mails = composeMails(notification, contacts.right, deps.templates, deps.sender)
      if (E.isLeft(mails)) {
        refused.push({ source: notification.source, error: mails.left })
        continue
      }
      // A moment is not sent before it falls, even when the window is scanned ahead.
      const result = await enqueueMails(writer, mails.right, moment.at)()
      if (E.isLeft(result)) return result
      enqueued.push(...result.right.enqueued)
      duplicates.push(...result.right.duplicates)
    }
    return E.right({ enqueued, duplicates, refused })
  }
