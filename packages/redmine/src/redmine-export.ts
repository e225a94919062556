/** What the ledger shows the customer in Redmine: each recorded event becomes the writes it calls for, enqueued in the outbox under a key derived from the event. */
import {
  changeKey,
  incidentStreamId,
  localDateAt,
  ticketStreamId,
  renderFailureReportMarkdown,
  failureReportDocument,
  type EventStore,
  type IncidentEvent,
  type Instant,
  type LedgerEvent,
  type NewOutboxMessage,
  type ScheduleAlarm,
  type OutboxError,
  type OutboxWriter,
  type ReadError,
  type RecordedEvent,
  type RequestFiled,
  type TicketEvent,
  type EnqueueResult,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { projectOfContract, redminePriorityOf, type RedmineTrigger, type ResolvedMapping } from './redmine-mapping.js'
import * as notes from './redmine-notes.js'
import { REDMINE_CHANNEL, type IssueTarget, type IssueWrite, type RedmineWrite } from './redmine-write.js'

// model

/**
 * What the export reads: the mapping, the name of this Redmine, and the ticket and incident stores that say which
 * issue an event belongs to.
 */
export interface RedmineExportDeps {
  readonly mapping: ResolvedMapping
  /** The same name the import gives this Redmine: tickets it filed are written back to their own issues. */
  readonly source: string
  /** Read to find a ticket's or an incident's issue, time zone and history. */
  readonly ticketEvents: EventStore<TicketEvent>
  readonly incidentEvents: EventStore<IncidentEvent>
}

/** Turns recorded ledger events into Redmine writes in the outbox, so the customer sees the ledger in Redmine. */
export interface RedmineExport {
  /** The writes one recorded event calls for (none for most); keys derive from the event id, so a replay enqueues nothing new. */
  readonly writesOf: (event: RecordedEvent<LedgerEvent>) => TaskEither<ReadError, ReadonlyArray<NewOutboxMessage>>
  /** Enqueues the writes of several events in one call. */
  readonly enqueue: (outbox: OutboxWriter, events: ReadonlyArray<RecordedEvent<LedgerEvent>>, at: Instant) => TaskEither<ReadError | OutboxError, EnqueueResult>
  /** Notes for the obligation schedule's alarms (a warning threshold crossed, a deadline passed): once per clock and threshold. */
  readonly alarmWrites: (alarms: ReadonlyArray<ScheduleAlarm>, at: Instant) => TaskEither<ReadError, ReadonlyArray<NewOutboxMessage>>
}

interface TicketIssue {
  readonly target: IssueTarget
  readonly timeZone: string
  readonly contractId: string
}

// constructors

/** Builds the export; `redmineSync` runs it after each import. */
export const redmineExport = (deps: RedmineExportDeps): RedmineExport => {
  const { mapping: resolved } = deps
  const m = resolved.mapping
  const lang = resolved.language
  const assigneeOf = new Map((m.suppliers ?? []).map((s) => [s.person, s.redmineUserId]))
  const ourRef = new RegExp(`^redmine:${deps.source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#(\\d+)$`)

  const issueOfTicket = (filed: RequestFiled): TicketIssue | undefined => {
    const mine = filed.externalRef === undefined ? null : ourRef.exec(filed.externalRef)
    if (mine !== null && mine !== undefined) return { target: { issueId: Number(mine[1]) }, timeZone: filed.timeZone, contractId: filed.contractId }
    const project = projectOfContract(resolved, filed.contractId)
    if (project === undefined) return undefined
    return {
      target: {
        key: `ticket:${filed.ticketId}`,
        create: {
          project: project.project.identifier,
          tracker: m.trackers.request,
          subject: filed.subject,
          priority: redminePriorityOf(m, filed.priority),
          ...(filed.description === undefined ? {} : { description: filed.description }),
        },
      },
      timeZone: filed.timeZone,
      contractId: filed.contractId,
    }
  }

  const ticketIssue = (streamId: string): TaskEither<ReadError, TicketIssue | undefined> => async () => {
    const slice = await deps.ticketEvents.readStream(streamId)()
    if (E.isLeft(slice)) return slice
    const first = slice.right.events[0]
    return E.right(first?.type === 'RequestFiled' ? issueOfTicket(first.data) : undefined)
  }

  const message = (event: { readonly eventId: string; readonly globalPosition: number }, purpose: string, payload: RedmineWrite, at: Instant): NewOutboxMessage => ({
    channel: REDMINE_CHANNEL,
    recipientKey: payload.op === 'issue' ? recipientOf(payload.target) : `version:${payload.project}:${payload.name}`,
    dedupeKey: `${event.eventId}:${purpose}`,
    payload: payload as unknown as NewOutboxMessage['payload'],
    availableAt: at,
    sourcePosition: event.globalPosition,
  })

  const assignee = (actor: { readonly party: string; readonly id: string }): Pick<IssueWrite, 'assigneeId'> => {
    const id = actor.party === 'supplier' ? assigneeOf.get(actor.id) : undefined
    return id === undefined ? {} : { assigneeId: id }
  }
  const status = (name: string | undefined): Pick<IssueWrite, 'status'> => (name === undefined ? {} : { status: name })

  const ticketWrites = async (event: RecordedEvent<TicketEvent>): Promise<E.Either<ReadError, ReadonlyArray<NewOutboxMessage>>> => {
    const found = event.type === 'RequestFiled' ? E.right(issueOfTicket(event.data)) : await ticketIssue(event.streamId)()
    if (E.isLeft(found) || found.right === undefined) return E.isLeft(found) ? found : E.right([])
    const { target, timeZone } = found.right
    const at = event.metadata.recordedAt
    const write = (fields: Omit<IssueWrite, 'op' | 'target'>, purpose = 'issue'): ReadonlyArray<NewOutboxMessage> => [message(event, purpose, { op: 'issue', target, ...fields }, at)]
    const d = event.data
    switch (event.type) {
      case 'RequestFiled':
        // A request from another channel gets an issue, so the customer follows it in Redmine too.
        return E.right('key' in target ? write({ fields: { [m.externalKeyField]: `ticket:${d.ticketId}` } }) : [])
      case 'PriorityChanged':
        return E.right(event.metadata.actor.party === 'customer' && 'issueId' in target ? [] : write({ priority: redminePriorityOf(m, event.data.to) }))
      case 'DeadlineProposed': {
        const reset = Object.fromEntries((m.resetOnProposal ?? []).map((f) => [f, '']))
        const note = notes.deadlineProposedNote(lang, event.data.deadline, timeZone, howTo(lang, m.actions.agreeDeadline, m.actions.rejectDeadline, 'deadline'), event.data.note)
        return E.right(write({ dueDate: localDateAt(event.data.deadline, timeZone), ...status(m.statuses.deadlineProposed), ...assignee(event.metadata.actor), fields: reset, note }))
      }
      case 'DeadlineAgreed':
        return E.right(write({ dueDate: localDateAt(event.data.deadline, timeZone), ...status(m.statuses.deadlineAgreed), note: notes.deadlineAgreedNote(lang, event.data.deadline, timeZone) }))
      case 'DeadlineRejected':
        return E.right(write({ note: notes.deadlineRejectedNote(lang, event.data.reason) }))
      case 'DeadlineChangeProposed':
        return E.right(write({ note: notes.deadlineChangeNote(lang, event.data.deadline, timeZone, event.data.reason) }))
      case 'DeadlineChangeAgreed':
        return E.right(write({ dueDate: localDateAt(event.data.deadline, timeZone), note: notes.deadlineAgreedNote(lang, event.data.deadline, timeZone) }))
      case 'DeadlineChangeDeclined':
        return E.right(write({ note: notes.deadlineRejectedNote(lang, event.data.reason) }))
      case 'ResultDelivered':
        return E.right(write({ ...status(m.statuses.resultDelivered), ...assignee(event.metadata.actor), note: notes.resultDeliveredNote(lang, event.data.summary, howTo(lang, m.actions.acceptResult, m.actions.rejectResult, 'result')) }))
      case 'ResultAccepted':
        return E.right(write({ ...status(m.statuses.resultAccepted), note: notes.resultAcceptedNote(lang) }))
      case 'ResultRejected':
        return E.right(write({ ...status(m.statuses.resultRejected), note: notes.resultRejectedNote(lang, event.data.reason) }))
      case 'CustomerAsked':
        return E.right(write({ ...status(m.statuses.questionAsked), ...assignee(event.metadata.actor), note: notes.questionNote(lang, event.data.question, howToAnswer(lang, m.actions.answerQuestion)) }))
      case 'QuestionAnswered':
        return E.right(write({ note: notes.answerNote(lang) }))
    }
  }

  const incidentTarget = (incidentId: string, contractId: string, summary: string): IssueTarget | undefined => {
    const project = projectOfContract(resolved, contractId)
    return project === undefined
      ? undefined
      : { key: `incident:${incidentId}`, create: { project: project.project.identifier, tracker: m.trackers.incident, subject: summary, priority: redminePriorityOf(m, 'urgent') } }
  }

  const incidentWrites = async (event: RecordedEvent<IncidentEvent>): Promise<E.Either<ReadError, ReadonlyArray<NewOutboxMessage>>> => {
    const slice = await deps.incidentEvents.readStream(incidentStreamId(event.data.contractId, event.data.incidentId))()
    if (E.isLeft(slice)) return slice
    const reported = slice.right.events.find((e) => e.type === 'FailureReported')
    if (reported === undefined || reported.type !== 'FailureReported') return E.right([])
    const target = incidentTarget(event.data.incidentId, event.data.contractId, reported.data.summary)
    if (target === undefined) return E.right([])
    const at = event.metadata.recordedAt
    const step = notes.incidentSteps[lang][event.type]
    if (event.type === 'FailureReported') {
      return E.right([message(event, 'issue', { op: 'issue', target, fields: { [m.externalKeyField]: `incident:${event.data.incidentId}` }, note: `${reported.data.summary} (${reported.data.site})` }, at)])
    }
    let detail = ''
    if (event.type === 'FailureReportSubmitted') {
      // The report as a document, built from the incident's events up to this submission.
      const upTo = slice.right.events.filter((e) => e.streamVersion <= event.streamVersion)
      const doc = failureReportDocument(upTo)
      detail = doc === undefined ? '' : `\n\n${renderFailureReportMarkdown(doc, lang)}`
    } else if (event.type === 'FailureReportReturned') detail = event.data.reason
    else if (event.type === 'EngineerArrived') detail = event.data.engineer
    else if (event.type === 'ServiceRestored') detail = event.data.note
    return E.right(step === undefined ? [] : [message(event, 'note', { op: 'issue', target, note: notes.incidentNote(step, detail) }, at)])
  }

  const writesOf: RedmineExport['writesOf'] = (event) => async () => {
    if (isTicketEvent(event)) return ticketWrites(event)
    if (isIncidentEvent(event)) return incidentWrites(event)
    if (event.type === 'DeliveryRecorded') {
      const project = projectOfContract(resolved, event.data.contractId)
      if (project === undefined) return E.right([])
      const issues: IssueTarget[] = []
      for (const change of event.data.changes) {
        if (change.kind !== 'fix') continue
        const found = await ticketIssue(ticketStreamId(event.data.contractId, change.id))()
        if (E.isLeft(found)) return found
        if (found.right !== undefined) issues.push(found.right.target)
      }
      const name = `${event.data.quarter} ${event.data.version}`
      const description = `${event.data.changes.map(changeKey).join(', ')}; sha256 ${event.data.artifactSha256}`
      return E.right([message(event, 'version', { op: 'version', project: project.project.identifier, name, description, issues }, event.metadata.recordedAt)])
    }
    return E.right([])
  }

  const enqueue: RedmineExport['enqueue'] = (outbox, events, _at) => async () => {
    const all: NewOutboxMessage[] = []
    for (const event of events) {
      const writes = await writesOf(event)()
      if (E.isLeft(writes)) return writes
      all.push(...writes.right)
    }
    return all.length === 0 ? E.right({ enqueued: [], duplicates: [] }) : outbox.enqueue(all)()
  }

  const alarmWrites: RedmineExport['alarmWrites'] = (alarms, at) => async () => {
    const out: NewOutboxMessage[] = []
    for (const alarm of alarms) {
      const o = alarm.obligation
      // A result handed over in time and awaiting the customer's verdict cannot breach.
      if (o.subject.aggregate !== 'ticket' || (alarm.kind === 'due' && o.awaiting)) continue
      const found = await ticketIssue(ticketStreamId(o.contractId, o.subject.id))()
      if (E.isLeft(found)) return found
      if (found.right === undefined) continue
      const { target, timeZone } = found.right
      const breached = alarm.kind === 'due'
      const note = notes.slaNote(lang, o.obligation, breached ? 'breached' : 'warned', o.dueAt, timeZone, alarm.bps === undefined ? undefined : alarm.bps / 100)
      // Keyed by the clock and the threshold, not by when it was noticed: each warning and each breach is written once.
      out.push({
        channel: REDMINE_CHANNEL,
        recipientKey: recipientOf(target),
        dedupeKey: `sla:${o.subject.id}:${o.obligation}:${o.startedAt}:${breached ? 'breached' : `warned-${alarm.bps ?? 0}`}`,
        payload: { op: 'issue', target, note } as unknown as NewOutboxMessage['payload'],
        availableAt: at,
      })
    }
    return E.right(out)
  }

  return { writesOf, enqueue, alarmWrites }
}

// operations

const ticketEventTypes = new Set<string>([
  'RequestFiled', 'PriorityChanged', 'DeadlineProposed', 'DeadlineAgreed', 'DeadlineRejected', 'DeadlineChangeProposed', 'DeadlineChangeAgreed',
  'DeadlineChangeDeclined', 'ResultDelivered', 'ResultAccepted', 'ResultRejected', 'CustomerAsked', 'QuestionAnswered',
])
const incidentEventTypes = new Set<string>(['FailureReported', 'OnSiteDemanded', 'EngineerArrived', 'ServiceRestored', 'FailureReportSubmitted', 'FailureReportReturned', 'FailureReportAccepted', 'IncidentClosed'])

const isTicketEvent = (e: RecordedEvent<LedgerEvent>): e is RecordedEvent<TicketEvent> => ticketEventTypes.has(e.type)
const isIncidentEvent = (e: RecordedEvent<LedgerEvent>): e is RecordedEvent<IncidentEvent> => incidentEventTypes.has(e.type)

const recipientOf = (target: IssueTarget): string => ('issueId' in target ? `issue:${target.issueId}` : `key:${target.key}`)

/** Tells the customer, in the note itself, how to answer in Redmine as the mapping expects. */
const howTo = (language: 'ru' | 'en', yes: RedmineTrigger, no: RedmineTrigger, what: 'deadline' | 'result'): string => {
  const say = (t: RedmineTrigger): string => {
    switch (t.on) {
      case 'status':
        return language === 'ru' ? `переведите задачу в статус «${t.status}»` : `move the issue to "${t.status}"`
      case 'field':
        return language === 'ru' ? `установите поле «${t.field}» = ${t.value}` : `set "${t.field}" to ${t.value}`
      case 'note':
        return t.prefix === undefined ? (language === 'ru' ? 'напишите примечание' : 'write a note') : language === 'ru' ? `начните примечание с «${t.prefix}»` : `start a note with "${t.prefix}"`
    }
  }
  return language === 'ru'
    ? `Чтобы ${what === 'deadline' ? 'согласовать срок' : 'принять результат'}, ${say(yes)}; чтобы отклонить, ${say(no)} и укажите причину в примечании.`
    : `To ${what === 'deadline' ? 'agree the deadline' : 'accept the result'}, ${say(yes)}; to reject it, ${say(no)} and give the reason in the note.`
}

const howToAnswer = (language: 'ru' | 'en', t: RedmineTrigger): string =>
  t.on === 'note' && t.prefix !== undefined
    ? language === 'ru' ? `Ответьте примечанием, начинающимся с «${t.prefix}».` : `Answer with a note starting with "${t.prefix}".`
    : language === 'ru' ? 'Ответьте примечанием к этой задаче.' : 'Answer with a note on this issue.'
