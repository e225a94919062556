/** @support-ledger/email: notifications out through the outbox (policy, templates ru/kk/en, SMTP) and requests in from a mailbox. */
export { MailAddress, mailAddress, headerText, addressKey, type HeaderError, type HeaderInjection, type MalformedAddress } from './mail-address.js'
export { MailLocale, mailLocales, formatInstant, formatTiyn, formatBps, formatWindow, obligationLabel } from './mail-locale.js'
export {
  Contact,
  ContactParty,
  ContractContacts,
  contractContacts,
  contactsWithRole,
  contactById,
  customerContactsByAddress,
  localeOf,
  type ContactEntry,
  type ContactsInvalid,
  type PersonNotOnContract,
} from './contract-contacts.js'
export {
  templateFields,
  templateNames,
  commonFields,
  loadMailTemplates,
  shippedTemplatesDirectory,
  type TemplateName,
  type TemplateValues,
  type RenderedMail,
  type MailTemplates,
  type TemplateInvalid,
  type TemplatesInvalid,
} from './mail-templates.js'
export {
  defaultNotificationPolicy,
  notificationPolicy,
  notificationOfEvent,
  recipientsOf,
  type EventTrigger,
  type ScheduleTrigger,
  type Trigger,
  type RecipientRule,
  type PolicyRule,
  type NotificationPolicy,
  type MailValue,
  type MailThread,
  type Notification,
} from './notification-policy.js'
export {
  Mailbox,
  OutgoingMail,
  composeMails,
  threadRootId,
  mailMessageId,
  threadOfMessageId,
  dedupeKeyOf,
  type MailToEnqueue,
  type SenderIdentity,
} from './mail-message.js'
export type { MailTransport, MailSent, SendFailed } from './mail-transport.js'
export {
  smtpTransport,
  pooledSmtpTransporter,
  nodemailerMessage,
  sendFailureOf,
  type NodemailerTransporter,
  type NodemailerMessage,
  type SmtpServerOptions,
} from './smtp-transport.js'
export { emlFileTransport, emlFileName, type EmlFileOptions } from './eml-file-transport.js'
export { mailChannel, outboxMessagesOf, enqueueMails, mailDeliveryHandler, type ObligationStillOpen, type MailDeliveryOptions } from './mail-outbox.js'
export {
  mailNotifier,
  type MailNotifier,
  type MailNotifierDeps,
  type MailRefused,
  type NotifyResult,
  type LookupFailed,
} from './mail-notifier.js'
export { enqueueScheduleMails, notificationOfMoment, type ScheduleMoment, type ObligationMoments, type ScheduleMailsDeps } from './schedule-mails.js'
export {
  readInboundMail,
  replyText,
  messageKeyOf,
  ticketIdOfMessage,
  type InboundOutcome,
  type InboundSetAside,
  type SetAsideReason,
  type DeclaredTime,
  type InboundOptions,
  type InboundLookups,
  type InboundLookupFailed,
  type MailedRequest,
  type MailedAnswer,
} from './inbound-mail.js'
export {
  inMemoryInboundLog,
  postgresInboundLog,
  createInboundLogTable,
  type InboundLog,
  type InboundRecord,
  type InboundStatus,
  type InboundLogFailed,
  type SqlClient,
} from './inbound-log.js'
export { mailIntake, type MailIntake, type MailIntakeDeps, type IntakeResult, type IntakeStatus, type IntakeFailed, type SubmitMailedCommand } from './mail-intake.js'
export { ticketContractFromStore, openQuestionFromStore } from './ledger-lookups.js'
export { momentsFromObligationSchedule, joinMoments, obligationKeyOf } from './schedule-moments.js'
export { imapMailbox, startMailboxPolling, type MailboxPolling, type ImapMailbox, type ImapClient, type ImapMailboxOptions, type ImapFailed, type PollResult } from './imap-mailbox.js'
export { deliveryMoments, type DeliveryContract, type DeliveryMomentsDeps } from './delivery-moments.js'
