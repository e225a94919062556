/** One write to Redmine as an outbox message carries it, and the handler that makes it idempotent and checks it by reading the issue back. */
import type { DeliveryFailed, Instant, Outbox, OutboxError, OutboxHandler } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { IssueFields, RedmineClient, RedmineIssue } from './redmine-client.js'
import { isTransient, type RedmineChangeDropped, type RedmineHttpError, type RedmineMappingMismatch } from './redmine-errors.js'
import type { ResolvedMapping } from './redmine-mapping.js'

// codecs

/** The outbox channel of Redmine writes. */
export const REDMINE_CHANNEL = 'redmine'

/** An issue Redmine already has, or one named by the ledger's key and created (once) if no issue carries the key. */
export const IssueTarget = t.union([
  t.readonly(t.type({ issueId: t.number })),
  t.readonly(
    t.type({
      key: t.string,
      create: t.readonly(t.intersection([t.type({ project: t.string, tracker: t.string, subject: t.string }), t.partial({ description: t.string, priority: t.string })])),
    }),
  ),
])
export type IssueTarget = t.TypeOf<typeof IssueTarget>

/** Names, not ids: a message stays readable in the outbox and survives a renumbering of the server. */
export const IssueWrite = t.readonly(
  t.intersection([
    t.type({ op: t.literal('issue'), target: IssueTarget }),
    t.partial({
      status: t.string,
      /** `YYYY-MM-DD`, or null to clear. */
      dueDate: t.union([t.string, t.null]),
      /** A Redmine user id, or null to unassign. */
      assigneeId: t.union([t.number, t.null]),
      priority: t.string,
      /** Custom field values by field name. */
      fields: t.readonly(t.record(t.string, t.string)),
      /** A version of the issue's project, by name. */
      version: t.string,
      /** A note; the handler appends the message's marker, and adds no note already carrying it. */
      note: t.string,
    }),
  ]),
  'IssueWrite',
)
export type IssueWrite = t.TypeOf<typeof IssueWrite>

/** A version of a project (made once, found by its name) and the issues it contains. */
export const VersionWrite = t.readonly(
  t.intersection([t.type({ op: t.literal('version'), project: t.string, name: t.string, issues: t.readonlyArray(IssueTarget) }), t.partial({ description: t.string })]),
  'VersionWrite',
)
export type VersionWrite = t.TypeOf<typeof VersionWrite>

/** One change to make in Redmine, as the outbox carries it: an issue's fields and note, or a version and its issues. */
export const RedmineWrite = t.union([IssueWrite, VersionWrite], 'RedmineWrite')
export type RedmineWrite = t.TypeOf<typeof RedmineWrite>

// model

/** The payload of a message is not a Redmine write. */
export interface InvalidRedmineWrite {
  readonly _tag: 'InvalidRedmineWrite'
  readonly message: string
}

/**
 * Every way a write can fail: Redmine's answer, a change Redmine dropped, a mapping that no longer matches the server,
 * or a payload that is not a write.
 */
export type RedmineWriteError = RedmineHttpError | RedmineChangeDropped | RedmineMappingMismatch | InvalidRedmineWrite

/** What a write did: `unchanged` when Redmine already showed everything (a resend, or another writer's work). */
export interface WriteOutcome {
  readonly issueIds: ReadonlyArray<number>
  readonly created: boolean
  readonly unchanged: boolean
  /** In a dry run: what would be sent, per issue (`issueId` absent for an issue that would be created). */
  readonly planned?: ReadonlyArray<PlannedWrite>
}

/** In a dry run, what a write would send to one issue. */
export interface PlannedWrite {
  readonly issueId?: number
  readonly create?: Extract<IssueTarget, { key: string }>['create'] & { readonly key: string }
  readonly changes: Readonly<Record<string, unknown>>
}

/** Options of `redmineWriter`; by default it writes. */
export interface WriterOptions {
  /** Read only: report what would be sent, send nothing. */
  readonly dryRun?: boolean
}

// constructors

/** The text that marks a note as this message's: a resend finds it among the issue's journals. */
export const noteMarker = (resolved: Pick<ResolvedMapping, 'marker'>, dedupeKey: string): string => `[${resolved.marker}:${dedupeKey}]`

/**
 * Performs one write: finds or creates the issue, sends only what differs (a note only if no
 * journal carries its marker), then reads the issue back and fails with `RedmineChangeDropped` for
 * any change Redmine answered with 204 but did not make.
 */
export const redmineWriter = (client: RedmineClient, resolved: ResolvedMapping, options: WriterOptions = {}) => {
  const dryRun = options.dryRun === true
  const fieldId = (name: string): E.Either<RedmineMappingMismatch, number> => {
    const id = resolved.fields.get(name)
    return id === undefined
      ? E.left({ _tag: 'RedmineMappingMismatch', message: `custom field "${name}" is not among the mapping's fields`, field: 'fields' })
      : E.right(id)
  }
  const idOf = (kind: 'statuses' | 'priorities' | 'trackers', name: string): E.Either<RedmineMappingMismatch, number> => {
    const id = resolved[kind].get(name)
    return id === undefined ? E.left({ _tag: 'RedmineMappingMismatch', message: `the server has no ${kind.slice(0, -1)} "${name}"`, field: kind }) : E.right(id)
  }

  /** The issue with the ledger's key, checked by value: Redmine ignores a filter it does not know and returns every issue. */
  const findByKey = (key: string, project: string): TaskEither<RedmineWriteError, RedmineIssue | undefined> => async () => {
    const id = fieldId(resolved.mapping.externalKeyField)
    if (E.isLeft(id)) return id
    const page = await client.issues({ projectId: project, customField: { id: id.right, value: key }, limit: 100 })()
    if (E.isLeft(page)) return page
    return E.right(page.right.issues.find((i) => customFieldValue(i, id.right) === key))
  }

  const resolveTarget = (target: IssueTarget): TaskEither<RedmineWriteError, { readonly issue: RedmineIssue | undefined; readonly created: boolean }> => async () => {
    if ('issueId' in target) {
      const issue = await client.issue(target.issueId, { journals: true })()
      return E.isLeft(issue) ? issue : E.right({ issue: issue.right, created: false })
    }
    const found = await findByKey(target.key, target.create.project)()
    if (E.isLeft(found)) return found
    if (found.right !== undefined) {
      const issue = await client.issue(found.right.id, { journals: true })()
      return E.isLeft(issue) ? issue : E.right({ issue: issue.right, created: false })
    }
    if (dryRun) return E.right({ issue: undefined, created: true })
    const keyField = fieldId(resolved.mapping.externalKeyField)
    const tracker = idOf('trackers', target.create.tracker)
    const priority = target.create.priority === undefined ? E.right(undefined) : idOf('priorities', target.create.priority)
    if (E.isLeft(keyField)) return keyField
    if (E.isLeft(tracker)) return tracker
    if (E.isLeft(priority)) return priority
    // A timeout here may still have made the issue: the retry looks the key up first, so it never makes a second.
    const created = await client.createIssue({
      project_id: target.create.project,
      tracker_id: tracker.right,
      subject: target.create.subject,
      ...(target.create.description === undefined ? {} : { description: target.create.description }),
      ...(priority.right === undefined ? {} : { priority_id: priority.right }),
      custom_fields: [{ id: keyField.right, value: target.key }],
    })()
    if (E.isLeft(created)) return created
    const issue = await client.issue(created.right.id, { journals: true })()
    return E.isLeft(issue) ? issue : E.right({ issue: issue.right, created: true })
  }

  const versionId = (project: number, name: string): TaskEither<RedmineWriteError, number> => async () => {
    const versions = await client.versions(project)()
    if (E.isLeft(versions)) return versions
    const found = versions.right.find((v) => v.name === name)
    if (found !== undefined) return E.right(found.id)
    if (dryRun) return E.right(0)
    const created = await client.createVersion(project, { name })()
    return E.isLeft(created) ? created : E.right(created.right.id)
  }

  /** What to send so the issue shows the write, and the checks to make on the issue read back. */
  const plan = async (issue: RedmineIssue, w: IssueWrite, marker: string): Promise<E.Either<RedmineWriteError, { fields: IssueFields; checks: ReadonlyArray<Check> }>> => {
    const fields: { -readonly [K in keyof IssueFields]: IssueFields[K] } = {}
    const checks: Check[] = []
    if (w.status !== undefined) {
      const id = idOf('statuses', w.status)
      if (E.isLeft(id)) return id
      if (issue.status.id !== id.right) fields.status_id = id.right
      checks.push({ field: 'status', wanted: w.status, actual: (i) => i.status.name })
    }
    if (w.priority !== undefined) {
      const id = idOf('priorities', w.priority)
      if (E.isLeft(id)) return id
      if (issue.priority.id !== id.right) fields.priority_id = id.right
      checks.push({ field: 'priority', wanted: w.priority, actual: (i) => i.priority.name })
    }
    if (w.dueDate !== undefined) {
      if ((issue.due_date ?? null) !== w.dueDate) fields.due_date = w.dueDate
      checks.push({ field: 'due_date', wanted: w.dueDate ?? '', actual: (i) => i.due_date ?? '' })
    }
    if (w.assigneeId !== undefined) {
      if ((issue.assigned_to?.id ?? null) !== w.assigneeId) fields.assigned_to_id = w.assigneeId ?? ''
      checks.push({ field: 'assigned_to', wanted: String(w.assigneeId ?? ''), actual: (i) => String(i.assigned_to?.id ?? '') })
    }
    if (w.version !== undefined) {
      const id = await versionId(issue.project.id, w.version)()
      if (E.isLeft(id)) return id
      if (issue.fixed_version?.id !== id.right) fields.fixed_version_id = id.right
      checks.push({ field: 'fixed_version', wanted: w.version, actual: (i) => i.fixed_version?.name ?? '' })
    }
    const custom: Array<{ readonly id: number; readonly value: string }> = []
    for (const [name, value] of Object.entries(w.fields ?? {})) {
      const id = fieldId(name)
      if (E.isLeft(id)) return id
      if ((customFieldValue(issue, id.right) ?? '') !== value) custom.push({ id: id.right, value })
      checks.push({ field: name, wanted: value, actual: (i) => customFieldValue(i, id.right) ?? '' })
    }
    if (custom.length > 0) fields.custom_fields = custom
    if (w.note !== undefined) {
      if (!hasNote(issue, marker)) fields.notes = `${w.note}\n\n${marker}`
      checks.push({ field: 'note', wanted: marker, actual: (i) => (hasNote(i, marker) ? marker : '') })
    }
    return E.right({ fields, checks })
  }

  const writeIssue = (w: IssueWrite, marker: string): TaskEither<RedmineWriteError, WriteOutcome> => async () => {
    const target = await resolveTarget(w.target)()
    if (E.isLeft(target)) return target
    const { issue, created } = target.right
    if (issue === undefined) {
      // A dry run over an issue that does not exist yet: everything would be sent after creating it.
      const create = 'key' in w.target ? { ...w.target.create, key: w.target.key } : undefined
      return E.right({ issueIds: [], created: true, unchanged: false, planned: [{ ...(create === undefined ? {} : { create }), changes: describeWrite(w) }] })
    }
    const planned = await plan(issue, w, marker)
    if (E.isLeft(planned)) return planned
    const { fields, checks } = planned.right
    if (Object.keys(fields).length === 0) return E.right({ issueIds: [issue.id], created, unchanged: !created, ...(dryRun ? { planned: [] } : {}) })
    if (dryRun) return E.right({ issueIds: [issue.id], created: false, unchanged: false, planned: [{ issueId: issue.id, changes: fields }] })
    const sent = await client.updateIssue(issue.id, fields)()
    if (E.isLeft(sent)) return sent
    const back = await client.issue(issue.id, { journals: true })()
    if (E.isLeft(back)) return back
    for (const check of checks) {
      const actual = check.actual(back.right)
      if (actual !== check.wanted) {
        return E.left({
          _tag: 'RedmineChangeDropped',
          message: `issue #${issue.id}: Redmine accepted the change of ${check.field} to "${check.wanted}" but kept "${actual}" (a workflow or a field permission forbids it)`,
          issueId: issue.id,
          field: check.field,
          wanted: check.wanted,
          actual,
        })
      }
    }
    return E.right({ issueIds: [issue.id], created, unchanged: false })
  }

  const writeVersion = (w: VersionWrite, marker: string): TaskEither<RedmineWriteError, WriteOutcome> => async () => {
    const project = resolved.projects.find((p) => p.project.identifier === w.project)
    if (project === undefined) return E.left({ _tag: 'RedmineMappingMismatch', message: `project "${w.project}" is not in the mapping`, field: 'projects' })
    if (!dryRun) {
      const id = await versionId(project.project.id, w.name)()
      if (E.isLeft(id)) return id
    }
    const issueIds: number[] = []
    const planned: PlannedWrite[] = []
    let unchanged = true
    for (const target of w.issues) {
      const r = await writeIssue({ op: 'issue', target, version: w.name }, marker)()
      if (E.isLeft(r)) return r
      issueIds.push(...r.right.issueIds)
      planned.push(...(r.right.planned ?? []))
      unchanged &&= r.right.unchanged
    }
    return E.right({ issueIds, created: false, unchanged, ...(dryRun ? { planned } : {}) })
  }

  return (payload: RedmineWrite, marker: string): TaskEither<RedmineWriteError, WriteOutcome> => (payload.op === 'issue' ? writeIssue(payload, marker) : writeVersion(payload, marker))
}

/**
 * The outbox handler of the `redmine` channel. Transient failures (timeouts, lost connections, 5xx)
 * are retried by the outbox with its backoff; refusals and dropped changes are permanent and go to
 * the dead letters with the reason. No reason carries the API key: it never leaves the client's header.
 */
export const redmineOutboxHandler = (client: RedmineClient, resolved: ResolvedMapping): OutboxHandler => {
  const write = redmineWriter(client, resolved)
  return (message) => async () => {
    const payload = RedmineWrite.decode(message.payload)
    if (E.isLeft(payload)) return E.left(failed({ _tag: 'InvalidRedmineWrite', message: `outbox message ${message.id} is not a Redmine write` }))
    const r = await write(payload.right, noteMarker(resolved, message.dedupeKey))()
    return E.isLeft(r) ? E.left(failed(r.left)) : E.right(undefined)
  }
}

// operations

/** A write as fields, for a dry run over an issue that does not exist yet. */
const describeWrite = (w: IssueWrite): Readonly<Record<string, unknown>> => ({
  ...(w.status === undefined ? {} : { status: w.status }),
  ...(w.priority === undefined ? {} : { priority: w.priority }),
  ...(w.dueDate === undefined ? {} : { due_date: w.dueDate }),
  ...(w.assigneeId === undefined ? {} : { assigned_to_id: w.assigneeId ?? '' }),
  ...(w.fields === undefined ? {} : { fields: w.fields }),
  ...(w.note === undefined ? {} : { notes: w.note }),
})

interface Check {
  readonly field: string
  readonly wanted: string
  readonly actual: (issue: RedmineIssue) => string
}

const failed = (e: RedmineWriteError): DeliveryFailed => ({ _tag: 'DeliveryFailed', message: `${e._tag}: ${e.message}`, permanent: !isTransient(e) })

export const customFieldValue = (issue: RedmineIssue, id: number): string | undefined => {
  const v = issue.custom_fields?.find((f) => f.id === id)?.value
  return typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : undefined
}

const hasNote = (issue: RedmineIssue, marker: string): boolean => (issue.journals ?? []).some((j) => (j.notes ?? '').includes(marker))

/**
 * A dry run of the pending writes: claims them briefly, works out what each would send to the
 * issue as it is now, and gives them back untried. Nothing is written to Redmine or marked in the outbox.
 */
export const previewOutbox = (outbox: Outbox, client: RedmineClient, resolved: ResolvedMapping, now: Instant): TaskEither<RedmineWriteError | OutboxError, ReadonlyArray<{ readonly messageId: string; readonly planned: ReadonlyArray<PlannedWrite> }>> => async () => {
  const owner = 'redmine-dry-run'
  const claimed = await outbox.claim({ channel: REDMINE_CHANNEL, owner, now, leaseMs: 60_000, limit: 1_000 })()
  if (E.isLeft(claimed)) return claimed
  const write = redmineWriter(client, resolved, { dryRun: true })
  const out: Array<{ readonly messageId: string; readonly planned: ReadonlyArray<PlannedWrite> }> = []
  try {
    for (const message of claimed.right) {
      const payload = RedmineWrite.decode(message.payload)
      if (E.isLeft(payload)) continue
      const r = await write(payload.right, noteMarker(resolved, message.dedupeKey))()
      if (E.isLeft(r)) return r
      out.push({ messageId: message.id, planned: r.right.planned ?? [] })
    }
    return E.right(out)
  } finally {
    await outbox.release({ owner, ids: claimed.right.map((m) => m.id) })()
  }
}
