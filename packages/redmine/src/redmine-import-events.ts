/** The import's own record, kept in the event store beside the ledger: how far each project was read, and what became of each issue and journal. */
import { eventCatalog, eventType, Instant } from '@support-ledger/core'
import * as t from 'io-ts'

// codecs

const IssueVersion = t.readonly(t.type({ issueId: t.number, updatedOn: t.string }))

/** A poll of a project went through `through` (an `updated_on`); `seen` are the issues handled at or after `through` minus the overlap. */
export const RedmineProjectPolled = t.readonly(t.type({ project: t.string, through: t.string, seen: t.readonlyArray(IssueVersion), at: Instant }), 'RedmineProjectPolled')
export type RedmineProjectPolled = t.TypeOf<typeof RedmineProjectPolled>

/** About to give the ledger action `step` of a journal, with the ticket at `ticketVersion`: after a crash, the event at the next version says whether it went through. */
export const RedmineJournalApplying = t.readonly(
  t.type({ issueId: t.number, journalId: t.number, step: t.number, ticketVersion: t.number, at: Instant }),
  'RedmineJournalApplying',
)
export type RedmineJournalApplying = t.TypeOf<typeof RedmineJournalApplying>

/** A journal's actions reached the ledger; it is never applied again. */
export const RedmineJournalApplied = t.readonly(
  t.type({ issueId: t.number, journalId: t.number, commands: t.readonlyArray(t.string), at: Instant }),
  'RedmineJournalApplied',
)
export type RedmineJournalApplied = t.TypeOf<typeof RedmineJournalApplied>

/** The issue (no `journalId`: its filing) or a journal could not be applied; the reason is shown to the customer once. */
export const RedmineImportRejected = t.readonly(
  t.intersection([
    t.type({ issueId: t.number, reason: t.string, error: t.string, at: Instant }),
    t.partial({ journalId: t.number, command: t.string }),
  ]),
  'RedmineImportRejected',
)
export type RedmineImportRejected = t.TypeOf<typeof RedmineImportRejected>

/** The export has enqueued the writes of every ledger event up to `position` of the global log. */
export const RedmineExportCheckpointed = t.readonly(t.type({ position: t.number, at: Instant }), 'RedmineExportCheckpointed')
export type RedmineExportCheckpointed = t.TypeOf<typeof RedmineExportCheckpointed>

/** The SLA alarms up to `through` have been turned into notes. */
export const RedmineAlarmsChecked = t.readonly(t.type({ through: Instant, at: Instant }), 'RedmineAlarmsChecked')
export type RedmineAlarmsChecked = t.TypeOf<typeof RedmineAlarmsChecked>

/**
 * The catalog of the import's own events: checkpoints, and what became of each issue and journal. Store them beside
 * the ledger.
 */
export const redmineImportEvents = eventCatalog([
  eventType('RedmineAlarmsChecked', RedmineAlarmsChecked),
  eventType('RedmineExportCheckpointed', RedmineExportCheckpointed),
  eventType('RedmineProjectPolled', RedmineProjectPolled),
  eventType('RedmineJournalApplying', RedmineJournalApplying),
  eventType('RedmineJournalApplied', RedmineJournalApplied),
  eventType('RedmineImportRejected', RedmineImportRejected),
])

// model

/** Any event of the import's own record. */
export type RedmineImportEvent = typeof redmineImportEvents extends { readonly codec: t.Type<infer Ev, unknown, unknown> } ? Ev : never

/** One stream per project for the checkpoint, one per issue for its journals: neither grows with the other's history. */
export const projectImportStreamId = (host: string, project: string): string => `redmine-project-${host}-${project}`
export const alarmStreamId = (host: string): string => `redmine-alarms-${host}`
export const exportStreamId = (host: string): string => `redmine-export-${host}`
export const issueImportStreamId = (host: string, issueId: number): string => `redmine-issue-${host}-${issueId}`
