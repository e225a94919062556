/**
 * The customer's Redmine, recorded: the scenario's issues and journals served as Redmine's REST API
 * answers them (the JSON the redmine package's client decodes), each visible from its own instant.
 * The demo imports them with the package's own mapping and import, so no Redmine server is needed.
 */
import type { ContractId, Instant, OutboxWriter } from '@support-ledger/core'
import {
  defaultRedmineMapping,
  redmineClient,
  redmineImport,
  resolveMapping,
  type FetchLike,
  type RedmineImport,
  type RedmineImportEvent,
  type RedmineMapping,
} from '@support-ledger/redmine'
import type { EventStore } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { DemoLedger, Refusal } from './demo-ledger.js'
import type { RecordedIssue, Scenario } from './demo-scenario.js'
import { redmineUsers } from './demo-scenario.js'

// model

export interface RecordedRedmine {
  readonly mapping: RedmineMapping
  readonly import: RedmineImport
}

// constructors

/** Redmine's default data (English), with the custom fields the mapping names. */
const TRACKERS = [{ id: 1, name: 'Bug' }, { id: 2, name: 'Feature' }, { id: 3, name: 'Support' }]
const STATUSES = [
  { id: 1, name: 'New', is_closed: false },
  { id: 2, name: 'In Progress', is_closed: false },
  { id: 3, name: 'Resolved', is_closed: false },
  { id: 4, name: 'Feedback', is_closed: false },
  { id: 5, name: 'Closed', is_closed: true },
  { id: 6, name: 'Rejected', is_closed: true },
]
const PRIORITIES = [{ id: 1, name: 'Low' }, { id: 2, name: 'Normal', is_default: true }, { id: 3, name: 'High' }, { id: 4, name: 'Urgent' }, { id: 5, name: 'Immediate' }]
const FIELDS = { key: { id: 1, name: 'Ledger key' }, kind: { id: 2, name: 'Request kind' }, agreement: { id: 3, name: 'Deadline agreement' } }
const idOf = (list: ReadonlyArray<{ readonly id: number; readonly name: string }>, name: string) => list.find((x) => x.name === name)!.id

/** Redmine writes times in UTC to the second. */
const redmineTime = (at: Instant) => `${at.slice(0, 19)}Z`

/** An issue as `GET /issues/:id.json?include=journals` answers at `now`: only what was written by then. */
export const issueJson = (scenario: Scenario, issue: RecordedIssue, now: Instant, journals: boolean): Record<string, unknown> => {
  const named = (id: number) => ({ id, name: scenario.redmine.users.get(id) ?? `user ${id}` })
  const seen = issue.journals.filter((j) => j.at <= now)
  let status = 'New'
  let agreement = ''
  const journalJson = seen.map((j) => {
    const details: Array<Record<string, string>> = []
    if (j.status !== undefined) {
      details.push({ property: 'attr', name: 'status_id', old_value: String(idOf(STATUSES, status)), new_value: String(idOf(STATUSES, j.status)) })
      status = j.status
    }
    if (j.agreement !== undefined) {
      details.push({ property: 'cf', name: String(FIELDS.agreement.id), old_value: agreement, new_value: j.agreement })
      agreement = j.agreement
    }
    return { id: j.id, user: named(j.user), notes: j.notes ?? '', private_notes: false, created_on: redmineTime(j.at), details }
  })
  const updated = seen.length === 0 ? issue.createdAt : seen[seen.length - 1]!.at
  return {
    id: issue.id,
    project: { id: scenario.redmine.projectId, name: 'Астана Логистик: WMS' },
    tracker: { id: idOf(TRACKERS, issue.tracker), name: issue.tracker },
    status: { id: idOf(STATUSES, status), name: status },
    priority: { id: idOf(PRIORITIES, issue.priority), name: issue.priority },
    author: named(issue.author),
    subject: issue.subject,
    description: issue.description,
    start_date: issue.createdAt.slice(0, 10),
    due_date: null,
    custom_fields: [
      { id: FIELDS.key.id, name: FIELDS.key.name, value: '' },
      { id: FIELDS.kind.id, name: FIELDS.kind.name, value: issue.kind },
      { id: FIELDS.agreement.id, name: FIELDS.agreement.name, value: agreement },
    ],
    created_on: redmineTime(issue.createdAt),
    updated_on: redmineTime(updated),
    ...(journals ? { journals: journalJson } : {}),
  }
}

/** The REST API over the recorded issues, answering as Redmine would at `now()`. */
export const recordedRedmineFetch = (scenario: Scenario, now: () => Instant): FetchLike => async (url) => {
  const u = new URL(url)
  const json = (status: number, body: unknown) => ({ status, text: async () => (body === undefined ? '' : JSON.stringify(body)) })
  const visible = scenario.redmine.issues.filter((i) => i.createdAt <= now())
  const path = u.pathname.replace(/^\/redmine/, '')
  if (path === '/users/current.json') return json(200, { user: { id: redmineUsers.supplier, login: 'ledger', firstname: 'Софт Сервис', lastname: 'интеграция' } })
  if (path === '/trackers.json') return json(200, { trackers: TRACKERS })
  if (path === '/issue_statuses.json') return json(200, { issue_statuses: STATUSES })
  if (path === '/enumerations/issue_priorities.json') return json(200, { issue_priorities: PRIORITIES })
  if (path === `/projects/${scenario.redmine.project}.json`) {
    return json(200, { project: { id: scenario.redmine.projectId, identifier: scenario.redmine.project, name: 'Астана Логистик: WMS', trackers: TRACKERS, issue_custom_fields: Object.values(FIELDS) } })
  }
  if (path === '/issues.json') {
    const since = (u.searchParams.get('updated_on') ?? '>=').slice(2)
    const offset = Number(u.searchParams.get('offset') ?? 0)
    const limit = Math.min(100, Number(u.searchParams.get('limit') ?? 25))
    const all = visible
      .map((i) => issueJson(scenario, i, now(), false))
      .filter((i) => since === '' || String(i.updated_on) >= since)
      .sort((a, b) => (a.updated_on === b.updated_on ? Number(a.id) - Number(b.id) : String(a.updated_on) < String(b.updated_on) ? -1 : 1))
    return json(200, { issues: all.slice(offset, offset + limit), total_count: all.length, offset, limit })
  }
  const one = /^\/issues\/(\d+)\.json$/.exec(path)
  if (one !== null) {
    const issue = visible.find((i) => i.id === Number(one[1]))
    return issue === undefined ? json(404, undefined) : json(200, { issue: issueJson(scenario, issue, now(), u.searchParams.get('include') === 'journals') })
  }
  return json(404, undefined)
}

/** The import of the recorded Redmine into the demo's ledger, with the package's default mapping checked against it first. */
export const recordedRedmine = async (
  scenario: Scenario,
  ledger: DemoLedger,
  deps: { readonly record: EventStore<RedmineImportEvent>; readonly outbox: OutboxWriter; readonly clock: () => Instant },
): Promise<E.Either<Refusal, RecordedRedmine>> => {
  const client = redmineClient({ url: 'https://redmine.astana-logistic.kz', apiKey: 'recorded', fetch: recordedRedmineFetch(scenario, deps.clock) })
  const mapping = defaultRedmineMapping([{ project: scenario.redmine.project, contractId: scenario.contractId as ContractId }], redmineUsers.customers)
  const resolved = await resolveMapping(client, mapping)()
  if (E.isLeft(resolved)) return resolved
  return E.right({
    mapping,
    import: redmineImport({
      client,
      mapping: resolved.right,
      tickets: ledger.tickets,
      ticketEvents: ledger.ticketEvents,
      record: deps.record,
      outbox: deps.outbox,
      source: 'redmine.astana-logistic.kz',
      clock: deps.clock,
    }),
  })
}
