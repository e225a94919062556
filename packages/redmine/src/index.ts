/** @support-ledger/redmine: Redmine as the customer's window onto the ledger. */
export { redmineClient, type FetchLike, type IssueFields, type IssueQuery, type RedmineClient, type RedmineClientOptions, type RedmineIssue, type RedmineJournal, type RedmineProject, type RedmineUser } from './redmine-client.js'
export { isTransient, mayHaveTakenEffect } from './redmine-errors.js'
export type * from './redmine-errors.js'
export { decodeRedmineMapping, defaultRedmineMapping, resolveMapping, RedmineMapping, RedmineTrigger, type MappedProject, type ResolvedMapping } from './redmine-mapping.js'
export { redmineImportEvents, type RedmineImportEvent } from './redmine-import-events.js'
export { redmineImport, type ImportFailed, type PollOutcome, type RedmineImport, type RedmineImportDeps } from './redmine-import.js'
export { REDMINE_CHANNEL, RedmineWrite, noteMarker, redmineOutboxHandler, redmineWriter, type IssueTarget, type RedmineWriteError, type WriteOutcome } from './redmine-write.js'
export { redmineExport, type RedmineExport, type RedmineExportDeps } from './redmine-export.js'
