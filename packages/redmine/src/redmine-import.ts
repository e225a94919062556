/** Requests and the customer's actions from Redmine into the ledger: each issue filed once, each journal applied once, each refusal shown to the customer once. */
import {
  fold,
  parseInstant,
  ticketDecider,
  ticketStreamId,
  type Actor,
  type ContractId,
  type EventStore,
  type Instant,
  type OutboxWriter,
  type Priority,
  type TicketEvent,
  type TicketId,
  type TicketKind,
  type TicketRequest,
  type ContractLedger,
  type TicketState,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { RedmineClient, RedmineIssue, RedmineJournal } from './redmine-client.js'
import type { RedmineHttpError } from './redmine-errors.js'
import {
  issueImportStreamId,
  projectImportStreamId,
  type RedmineImportEvent,
  type RedmineImportRejected,
  type RedmineProjectPolled,
} from './redmine-import-events.js'
import type { MappedProject, RedmineTrigger, ResolvedMapping } from './redmine-mapping.js'
import { REDMINE_CHANNEL, type IssueWrite } from './redmine-write.js'
import { rejectionNote } from './redmine-notes.js'

// model

/**
 * What the import needs: the client and mapping, the ledger's tickets, its own record store, the outbox for notes, and
 * a clock.
 */
export interface RedmineImportDeps {
  readonly client: RedmineClient
  readonly mapping: ResolvedMapping
  /** The ledger's tickets (`contractLedger(...).tickets`): the import files requests and applies the customer's actions through it. */
  readonly tickets: ContractLedger['tickets']
  /** The store of ticket events, read to know what a journal answers (the deadline proposed, the result delivered). */
  readonly ticketEvents: EventStore<TicketEvent>
  /** Where the import keeps its checkpoints and what it applied or refused. */
  readonly record: EventStore<RedmineImportEvent>
  /** Notes to the customer about refused actions go out through it. */
  readonly outbox: OutboxWriter
  /** Names this Redmine in ticket references and in the import's streams, e.g. `redmine.example.kz`. */
  readonly source: string
  /** The import's clock: when each command is recorded. */
  readonly clock: () => Instant
  /** How far each poll reaches back before its checkpoint; default 2 minutes (Redmine's clock has seconds only, and clocks drift). */
  readonly overlapMs?: number
  /** The ticket of an issue; default `RM-<issue id>`. */
  readonly ticketIdOf?: (issueId: number) => string
  /** Read only: say what a poll would do in `planned`, and write nothing (no command, no note, no checkpoint). */
  readonly dryRun?: boolean
}

/** What one poll did. */
export interface PollOutcome {
  readonly issues: number
  /** Issues seen in an earlier, overlapping poll with the same `updated_on`: not read again. */
  readonly duplicates: number
  readonly filed: number
  readonly applied: number
  readonly rejected: number
  /** In a dry run: one line per thing a poll would do. */
  readonly planned?: ReadonlyArray<string>
}

/** A failure that stops a poll before its checkpoint moves: the next poll starts where this one did. */
export type ImportFailed = RedmineHttpError | { readonly _tag: 'ImportStoreFailed'; readonly message: string }

/**
 * Reads Redmine into the ledger: new issues are filed as requests and the customer's actions in journals become
 * commands.
 */
export interface RedmineImport {
  /** Reads every mapped project's issues changed since its checkpoint and applies what is new. */
  readonly poll: () => TaskEither<ImportFailed, PollOutcome>
  /** Polls one mapped project, from its own checkpoint. */
  readonly pollProject: (project: MappedProject) => TaskEither<ImportFailed, PollOutcome>
}

// constructors

/**
 * Builds the import. Each poll reads the issues changed since the checkpoint (with an overlap for clock drift), so an
 * issue is filed once and a journal applied once however often polls repeat.
 */
export const redmineImport = (deps: RedmineImportDeps): RedmineImport => {
  const overlapMs = deps.overlapMs ?? 120_000
  const ticketIdOf = deps.ticketIdOf ?? ((id: number) => `RM-${id}`)
  const { mapping: resolved } = deps
  const m = resolved.mapping
  const personOf = new Map(m.customers.map((c) => [c.redmineUserId, c.person]))

  const dryRun = deps.dryRun === true
  const planned: string[] = []
  const storeFailed = (e: { readonly message: string }): ImportFailed => ({ _tag: 'ImportStoreFailed', message: e.message })

  const append = async (streamId: string, events: ReadonlyArray<RedmineImportEvent>): Promise<E.Either<ImportFailed, void>> => {
    if (dryRun) return E.right(undefined)
    const r = await deps.record.append(streamId, events.map((event) => ({ event, metadata: { actor: { party: 'system', id: 'redmine-import' }, occurredAt: deps.clock() } })))()
    return E.isLeft(r) ? E.left(storeFailed(r.left)) : E.right(undefined)
  }

  /** Shows a refusal to the customer (once: the outbox skips a second message with the same key) and records it. */
  const reject = async (issue: RedmineIssue, rejection: Omit<RedmineImportRejected, 'at' | 'issueId'>): Promise<E.Either<ImportFailed, void>> => {
    const step = rejection.journalId === undefined ? 'filing' : `journal-${rejection.journalId}`
    if (dryRun) {
      planned.push(`#${issue.id}${rejection.journalId === undefined ? '' : ` journal ${rejection.journalId}`}: refuse (${rejection.error}: ${rejection.reason}) and tell the customer`)
      return E.right(undefined)
    }
    const payload: IssueWrite = { op: 'issue', target: { issueId: issue.id }, note: rejectionNote(resolved.language, rejection.reason) }
    const enqueued = await deps.outbox.enqueue([
      { channel: REDMINE_CHANNEL, recipientKey: `issue:${issue.id}`, dedupeKey: `rejected:${deps.source}:${issue.id}:${step}`, payload, availableAt: deps.clock() },
    ])()
    if (E.isLeft(enqueued)) return E.left(storeFailed(enqueued.left))
    return append(issueImportStreamId(deps.source, issue.id), [{ type: 'RedmineImportRejected', data: { ...rejection, issueId: issue.id, at: deps.clock() } }])
  }

  const handleIssue = async (issueId: number, project: MappedProject): Promise<E.Either<ImportFailed, { filed: number; applied: number; rejected: number }>> => {
    const counts = { filed: 0, applied: 0, rejected: 0 }
    const fetched = await deps.client.issue(issueId, { journals: true })()
    if (E.isLeft(fetched)) return fetched
    const issue = fetched.right
    const ticketId = ticketIdOf(issue.id) as TicketId
    const record = await deps.record.readStream(issueImportStreamId(deps.source, issue.id))()
    if (E.isLeft(record)) return E.left(storeFailed(record.left))
    const done = new Set<number>()
    const applying = new Map<string, number>()
    let filingRejected = false
    for (const e of record.right.events) {
      if (e.type === 'RedmineJournalApplied') done.add(e.data.journalId)
      if (e.type === 'RedmineJournalApplying') applying.set(`${e.data.journalId}:${e.data.step}`, e.data.ticketVersion)
      if (e.type === 'RedmineImportRejected') {
        if (e.data.journalId === undefined) filingRejected = true
        else done.add(e.data.journalId)
      }
    }

    const slice = await deps.ticketEvents.readStream(ticketStreamId(project.contractId, ticketId))()
    if (E.isLeft(slice)) return E.left(storeFailed(slice.left))
    let state: TicketState = fold(ticketDecider, slice.right.events)
    let version = slice.right.version
    const history = slice.right.events

    if (state.status === 'unfiled') {
      const filing = fileRequestOf(issue, project.contractId, ticketId)
      if (E.isLeft(filing)) {
        if (filingRejected) return E.right(counts)
        const r = await reject(issue, { reason: filing.left.message, error: filing.left._tag })
        return E.isLeft(r) ? r : E.right({ ...counts, rejected: 1 })
      }
      if (dryRun) {
        planned.push(`#${issue.id}: file ${filing.right.ticketId} (${filing.right.type === 'FileRequest' ? `${filing.right.kind}, ${filing.right.priority}` : ''})`)
        return E.right({ ...counts, filed: 1 })
      }
      const handled = await deps.tickets.handle(filing.right)()
      if (E.isLeft(handled)) {
        if (isInfrastructure(handled.left)) return E.left(storeFailed(handled.left))
        if (filingRejected) return E.right(counts)
        const r = await reject(issue, { reason: handled.left.message, error: handled.left._tag, command: 'FileRequest' })
        return E.isLeft(r) ? r : E.right({ ...counts, rejected: 1 })
      }
      state = handled.right.state
      version = handled.right.version
      counts.filed = 1
    }

    const journals = [...(issue.journals ?? [])].sort((a, b) => a.id - b.id)
    for (const journal of journals) {
      if (done.has(journal.id) || journal.user?.id === resolved.me.id) continue
      const at = journalInstant(journal.created_on, state)
      const actions = actionsOf(journal, state)
      if (actions.length === 0 || at === undefined) continue
      const person = journal.user === undefined ? undefined : personOf.get(journal.user.id)
      if (person === undefined) {
        const r = await reject(issue, {
          journalId: journal.id,
          reason: `${journal.user?.name ?? 'an anonymous user'} is not one of the customer's people on this contract`,
          error: 'UnknownAuthor',
        })
        if (E.isLeft(r)) return r
        counts.rejected++
        continue
      }
      const actor: Actor = { party: 'customer', id: person }
      const commands: string[] = []
      let refused = false
      for (const [step, action] of actions.entries()) {
        const request = requestOf(action, state, { ticketId, contractId: project.contractId, actor, at })
        if (E.isLeft(request)) {
          const r = await reject(issue, { journalId: journal.id, reason: request.left.message, error: request.left._tag, command: action.type })
          if (E.isLeft(r)) return r
          refused = true
          break
        }
        if (dryRun) {
          planned.push(`#${issue.id} journal ${journal.id}: ${request.right.type} by ${person}`)
          commands.push(request.right.type)
          continue
        }
        // Applied before a crash that kept the record from saying so: the ticket holds its event right after the version noted.
        const noted = applying.get(`${journal.id}:${step}`)
        if (noted !== undefined && history.some((e) => e.streamVersion === noted + 1 && e.type === eventOfCommand[request.right.type])) {
          commands.push(request.right.type)
          continue
        }
        const intent = await append(issueImportStreamId(deps.source, issue.id), [
          { type: 'RedmineJournalApplying', data: { issueId: issue.id, journalId: journal.id, step, ticketVersion: version, at: deps.clock() } },
        ])
        if (E.isLeft(intent)) return intent
        const handled = await deps.tickets.handle(request.right)()
        if (E.isLeft(handled)) {
          if (isInfrastructure(handled.left)) return E.left(storeFailed(handled.left))
          const r = await reject(issue, { journalId: journal.id, reason: handled.left.message, error: handled.left._tag, command: request.right.type })
          if (E.isLeft(r)) return r
          refused = true
          break
        }
        state = handled.right.state
        version = handled.right.version
        commands.push(request.right.type)
      }
      if (refused) {
        counts.rejected++
        continue
      }
      const r = await append(issueImportStreamId(deps.source, issue.id), [{ type: 'RedmineJournalApplied', data: { issueId: issue.id, journalId: journal.id, commands, at: deps.clock() } }])
      if (E.isLeft(r)) return r
      counts.applied++
    }
    return E.right(counts)
  }

  /** The customer's actions in one journal, in the order the ledger takes them. */
  const actionsOf = (journal: RedmineJournal, state: TicketState): ReadonlyArray<Action> => {
    const out: Action[] = []
    const note = (journal.notes ?? '').trim()
    const detail = (property: string, name: string) => journal.details.find((d) => d.property === property && d.name === name)
    const matches = (trigger: RedmineTrigger): { readonly text: string } | undefined => {
      switch (trigger.on) {
        case 'status': {
          const d = detail('attr', 'status_id')
          return d !== undefined && d.new_value === String(resolved.statuses.get(trigger.status)) ? { text: note } : undefined
        }
        case 'field': {
          const d = detail('cf', String(resolved.fields.get(trigger.field)))
          return d !== undefined && d.new_value === trigger.value ? { text: note } : undefined
        }
        case 'note':
          if (note === '') return undefined
          if (trigger.prefix === undefined) return { text: note }
          return note.startsWith(trigger.prefix) ? { text: note.slice(trigger.prefix.length).trim() } : undefined
      }
    }
    const priority = detail('attr', 'priority_id')
    if (priority !== undefined) {
      const redmine = resolved.names.priorities.get(Number(priority.new_value)) ?? String(priority.new_value)
      out.push({ type: 'priority', redmine, priority: m.priorities[redmine] as Priority | undefined })
    }
    const agree = matches(m.actions.agreeDeadline)
    const rejectDeadline = matches(m.actions.rejectDeadline)
    const acceptResult = matches(m.actions.acceptResult)
    const rejectResult = matches(m.actions.rejectResult)
    if (rejectDeadline !== undefined) out.push({ type: 'reject-deadline', reason: rejectDeadline.text })
    else if (agree !== undefined) out.push({ type: 'agree-deadline' })
    if (rejectResult !== undefined) out.push({ type: 'reject-result', reason: rejectResult.text })
    else if (acceptResult !== undefined) out.push({ type: 'accept-result' })
    // A note that gave a reason is that reason; otherwise it answers the open question, if the mapping says notes do.
    const consumed = out.some((a) => a.type === 'reject-deadline' || a.type === 'reject-result')
    const answer = matches(m.actions.answerQuestion)
    const open = state.status === 'unfiled' ? [] : state.openQuestions
    if (!consumed && answer !== undefined && (open.length > 0 || m.actions.answerQuestion.on !== 'note' || m.actions.answerQuestion.prefix !== undefined)) {
      out.push({ type: 'answer', text: answer.text })
    }
    return out
  }

  const fileRequestOf = (issue: RedmineIssue, contractId: ContractId, ticketId: TicketId): E.Either<{ readonly _tag: string; readonly message: string }, TicketRequest> => {
    const person = personOf.get(issue.author.id)
    if (person === undefined) return E.left({ _tag: 'UnknownAuthor', message: `${issue.author.name} is not one of the customer's people on this contract` })
    // The request as filed: later journals may have changed its priority, tracker or kind, and they are applied after it.
    const kindField = m.kinds.field === undefined ? undefined : resolved.fields.get(m.kinds.field)
    const currentKind = kindField === undefined ? undefined : issue.custom_fields?.find((f) => f.id === kindField)?.value
    const kindValue = kindField === undefined ? undefined : originalValue(issue, 'cf', String(kindField), typeof currentKind === 'string' ? currentKind : '')
    const trackerName = resolved.names.trackers.get(Number(originalValue(issue, 'attr', 'tracker_id', String(issue.tracker.id)))) ?? issue.tracker.name
    const priorityName = resolved.names.priorities.get(Number(originalValue(issue, 'attr', 'priority_id', String(issue.priority.id)))) ?? issue.priority.name
    const kind = (kindValue !== undefined && kindValue !== '' ? kindValue : m.kinds.byTracker[trackerName]) as TicketKind | undefined
    if (kind === undefined) return E.left({ _tag: 'UnmappedTracker', message: `tracker ${trackerName} has no ticket kind in the mapping` })
    const priority = m.priorities[priorityName] as Priority | undefined
    if (priority === undefined) return E.left({ _tag: 'UnmappedPriority', message: `priority ${priorityName} has no ticket priority in the mapping` })
    const receivedAt = parseInstant(issue.created_on)
    if (receivedAt === undefined) return E.left({ _tag: 'InvalidTimestamp', message: `created_on ${issue.created_on} is not a time` })
    return E.right({
      type: 'FileRequest',
      contractId,
      ticketId,
      actor: { party: 'customer', id: person },
      // The declared time is Redmine's: the issue's creation, which the reference below names as its source.
      at: receivedAt,
      receivedAt,
      kind,
      priority,
      channel: 'redmine',
      subject: issue.subject,
      ...(issue.description === undefined || issue.description === null || issue.description === '' ? {} : { description: issue.description }),
      externalRef: `redmine:${deps.source}#${issue.id}`,
    })
  }

  const pollProject = (project: MappedProject): TaskEither<ImportFailed, PollOutcome> => async () => {
    const streamId = projectImportStreamId(deps.source, project.project.identifier)
    const prior = await deps.record.readStream(streamId)()
    if (E.isLeft(prior)) return E.left(storeFailed(prior.left))
    const last = [...prior.right.events].reverse().find((e) => e.type === 'RedmineProjectPolled')?.data as RedmineProjectPolled | undefined
    const seen = new Map((last?.seen ?? []).map((s) => [s.issueId, s.updatedOn]))
    const outcome = { issues: 0, duplicates: 0, filed: 0, applied: 0, rejected: 0 }
    let through = last?.through
    const handled: Array<{ issueId: number; updatedOn: string }> = []
    let cursor = through === undefined ? undefined : new Date(Date.parse(through) - overlapMs).toISOString()
    let offset = 0
    let failure: ImportFailed | undefined
    // Keyset paging on updated_on: an issue updated while we page moves behind the cursor, not past it.
    for (;;) {
      const page = await deps.client.issues({ projectId: project.project.id, ...(cursor === undefined ? {} : { updatedSince: cursor }), offset, limit: 100, sort: 'updated_on,id' })()
      if (E.isLeft(page)) {
        failure = page.left
        break
      }
      for (const issue of page.right.issues) {
        if (seen.get(issue.id) === issue.updated_on || handled.some((h) => h.issueId === issue.id && h.updatedOn === issue.updated_on)) {
          outcome.duplicates++
          continue
        }
        const r = await handleIssue(issue.id, project)
        if (E.isLeft(r)) {
          failure = r.left
          break
        }
        outcome.issues++
        outcome.filed += r.right.filed
        outcome.applied += r.right.applied
        outcome.rejected += r.right.rejected
        handled.push({ issueId: issue.id, updatedOn: issue.updated_on })
        if (through === undefined || issue.updated_on > through) through = issue.updated_on
      }
      if (failure !== undefined || page.right.issues.length < 100) break
      const lastOn = page.right.issues[page.right.issues.length - 1]!.updated_on
      offset = cursor !== undefined && lastOn.slice(0, 19) === cursor.slice(0, 19) ? offset + 100 : 0
      cursor = lastOn
    }
    if (handled.length > 0 && through !== undefined) {
      const windowStart = new Date(Date.parse(through) - overlapMs).toISOString()
      // Only issues last updated before the newest second are safe to skip: one updated in that
      // second may change again within it and keep the same updated_on, so it is read again.
      const keep = new Map<number, string>()
      for (const [issueId, updatedOn] of seen) if (updatedOn >= windowStart && updatedOn < through) keep.set(issueId, updatedOn)
      for (const h of handled) if (h.updatedOn < through) keep.set(h.issueId, h.updatedOn)
      const r = await append(streamId, [
        { type: 'RedmineProjectPolled', data: { project: project.project.identifier, through, seen: [...keep].map(([issueId, updatedOn]) => ({ issueId, updatedOn })), at: deps.clock() } },
      ])
      if (E.isLeft(r)) return r
    }
    return failure === undefined ? E.right(dryRun ? { ...outcome, planned: planned.splice(0) } : outcome) : E.left(failure)
  }

  const poll = (): TaskEither<ImportFailed, PollOutcome> => async () => {
    const total = { issues: 0, duplicates: 0, filed: 0, applied: 0, rejected: 0 }
    const lines: string[] = []
    for (const project of resolved.projects) {
      const r = await pollProject(project)()
      if (E.isLeft(r)) return r
      for (const k of ['issues', 'duplicates', 'filed', 'applied', 'rejected'] as const) total[k] += r.right[k]
      lines.push(...(r.right.planned ?? []))
    }
    return E.right(dryRun ? { ...total, planned: lines } : total)
  }

  return { poll, pollProject }
}

// operations

type Action =
  | { readonly type: 'priority'; readonly redmine: string; readonly priority: Priority | undefined }
  | { readonly type: 'agree-deadline' }
  | { readonly type: 'reject-deadline'; readonly reason: string }
  | { readonly type: 'accept-result' }
  | { readonly type: 'reject-result'; readonly reason: string }
  | { readonly type: 'answer'; readonly text: string }

interface RequestBase {
  readonly ticketId: TicketId
  readonly contractId: ContractId
  readonly actor: Actor
  readonly at: Instant
}

type Refusal = { readonly _tag: string; readonly message: string }

/** The ledger command an action stands for, given what the ticket holds now (the proposal it answers, the result it judges). */
const requestOf = (action: Action, state: TicketState, base: RequestBase): E.Either<Refusal, TicketRequest> => {
  if (state.status === 'unfiled') return E.left({ _tag: 'TicketNotFiled', message: `ticket ${base.ticketId} is not filed` })
  switch (action.type) {
    case 'priority':
      return action.priority === undefined
        ? E.left({ _tag: 'UnmappedPriority', message: `priority ${action.redmine} has no ticket priority in the mapping` })
        : E.right({ type: 'ChangePriority', ...base, priority: action.priority })
    case 'agree-deadline':
      if (state.proposal !== undefined) return E.right({ type: 'AgreeDeadline', ...base, deadline: state.proposal })
      if (state.change !== undefined && state.change.proposedBy === 'supplier') return E.right({ type: 'AgreeDeadlineChange', ...base, deadline: state.change.deadline })
      return E.left({ _tag: 'NoDeadlineProposed', message: 'no deadline is open for agreement on this request' })
    case 'reject-deadline':
      if (state.proposal !== undefined) return E.right({ type: 'RejectDeadline', ...base, deadline: state.proposal, reason: action.reason })
      if (state.change !== undefined && state.change.proposedBy === 'supplier') return E.right({ type: 'DeclineDeadlineChange', ...base, deadline: state.change.deadline, reason: action.reason })
      return E.left({ _tag: 'NoDeadlineProposed', message: 'no deadline is open for agreement on this request' })
    case 'accept-result':
      return state.awaiting === undefined
        ? E.left({ _tag: 'NoResultAwaiting', message: 'no result awaits acceptance on this request' })
        : E.right({ type: 'AcceptResult', ...base, deliveryId: state.awaiting })
    case 'reject-result':
      return state.awaiting === undefined
        ? E.left({ _tag: 'NoResultAwaiting', message: 'no result awaits acceptance on this request' })
        : E.right({ type: 'RejectResult', ...base, deliveryId: state.awaiting, reason: action.reason })
    case 'answer': {
      const question = state.openQuestions[0]
      return question === undefined
        ? E.left({ _tag: 'NoOpenQuestion', message: 'no question is open on this request' })
        : E.right({ type: 'AnswerQuestion', ...base, questionId: question, answer: action.text })
    }
  }
}

const eventOfCommand: Readonly<Record<string, TicketEvent['type']>> = {
  ChangePriority: 'PriorityChanged',
  AgreeDeadline: 'DeadlineAgreed',
  RejectDeadline: 'DeadlineRejected',
  AgreeDeadlineChange: 'DeadlineChangeAgreed',
  DeclineDeadlineChange: 'DeadlineChangeDeclined',
  AcceptResult: 'ResultAccepted',
  RejectResult: 'ResultRejected',
  AnswerQuestion: 'QuestionAnswered',
}


/**
 * When a journal happened. Redmine keeps whole seconds, so the true instant lies somewhere in the
 * second after `created_on`; if the ticket's last event falls inside that second, the journal came
 * after it (Redmine shows it after the ledger's write), and it takes that instant rather than one
 * the ledger would refuse as earlier than the ticket's history.
 */
const journalInstant = (createdOn: string, state: TicketState): Instant | undefined => {
  const at = parseInstant(createdOn)
  if (at === undefined || state.status === 'unfiled') return at
  const last = Date.parse(state.last)
  const start = Date.parse(at)
  return last > start && last < start + 1_000 ? state.last : at
}

/** A field's value when the issue was created: the old value of the first journal that changed it, else its value now. */
const originalValue = (issue: RedmineIssue, property: string, name: string, current: string): string => {
  const journals = [...(issue.journals ?? [])].sort((a, b) => a.id - b.id)
  for (const j of journals) {
    const d = j.details.find((x) => x.property === property && x.name === name)
    if (d !== undefined) return d.old_value ?? ''
  }
  return current
}

/** Failures of the store, not refusals of the ledger: the poll stops and the next one tries again. */
const isInfrastructure = (e: { readonly _tag: string }): boolean => e._tag === 'StoreUnavailable' || e._tag === 'WrongExpectedVersion'
