/** How a contract's words are spelled in one Redmine: projects, people, trackers, priorities, statuses and the customer's actions; checked against the server at start. */
import { ContractId, Priority, TicketKind } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { Named, RedmineClient, RedmineProject, RedmineUser } from './redmine-client.js'
import type { InvalidRedmineMapping, RedmineHttpError, RedmineMappingMismatch } from './redmine-errors.js'

// codecs

const Text = t.refinement(t.string, (s) => s.trim().length > 0, 'non-empty text')
const UserId = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n > 0, 'a Redmine user id (a whole number > 0)')

/**
 * How a customer expresses one action in Redmine: moving the issue to a status, setting a custom
 * field to a value, or writing a note (that starts with `prefix`, or any note without one).
 */
export const RedmineTrigger = t.union(
  [
    t.readonly(t.type({ on: t.literal('status'), status: Text })),
    t.readonly(t.type({ on: t.literal('field'), field: Text, value: Text })),
    t.readonly(t.intersection([t.type({ on: t.literal('note') }), t.partial({ prefix: Text })])),
  ],
  'RedmineTrigger',
)
export type RedmineTrigger = t.TypeOf<typeof RedmineTrigger>

/**
 * How a contract's words are spelled in one Redmine: its projects, people, trackers, priorities, statuses, custom
 * fields and the customer's actions. Check one given as data with `decodeRedmineMapping`; `defaultRedmineMapping` is a
 * starting point.
 */
export const RedmineMapping = t.readonly(
  t.intersection([
    t.type({
      /** Each Redmine project (its identifier) holds the requests of one contract. */
      projects: t.readonlyArray(t.readonly(t.type({ project: Text, contractId: ContractId }))),
      /** The string custom field that carries the ledger's key on every issue the ledger creates. */
      externalKeyField: Text,
      /** Redmine users who act for the customer, and the contract's person each one is. */
      customers: t.readonlyArray(t.readonly(t.type({ redmineUserId: UserId, person: Text }))),
      /** Ticket kind by tracker name; a `field` (a list custom field whose values are ticket kinds) wins where set. */
      kinds: t.readonly(t.intersection([t.type({ byTracker: t.readonly(t.record(t.string, TicketKind)) }), t.partial({ field: Text })])),
      /** Ledger priority by Redmine priority name; several names may share one priority. */
      priorities: t.readonly(t.record(t.string, Priority)),
      /** The customer's actions. */
      actions: t.readonly(
        t.type({
          agreeDeadline: RedmineTrigger,
          rejectDeadline: RedmineTrigger,
          acceptResult: RedmineTrigger,
          rejectResult: RedmineTrigger,
          answerQuestion: RedmineTrigger,
        }),
      ),
      /** Statuses the ledger sets; each optional: absent, the status is left alone. */
      statuses: t.readonly(
        t.partial({ deadlineProposed: Text, deadlineAgreed: Text, questionAsked: Text, resultDelivered: Text, resultAccepted: Text, resultRejected: Text }),
      ),
      /** The tracker of the issues the ledger creates (requests filed elsewhere, incidents). */
      trackers: t.readonly(t.type({ request: Text, incident: Text })),
    }),
    t.partial({
      /** The supplier's people and the Redmine users their work is assigned to. */
      suppliers: t.readonlyArray(t.readonly(t.type({ person: Text, redmineUserId: UserId }))),
      /** A field the ledger clears when it proposes a new deadline, so that the customer can answer again. */
      resetOnProposal: t.readonlyArray(Text),
      /** The language of the notes the ledger writes; default `ru`. */
      language: t.keyof({ ru: null, en: null }),
      /** Begins the marker in every note the ledger writes; default `support-ledger`. */
      marker: Text,
    }),
  ]),
  'RedmineMapping',
)
export type RedmineMapping = t.TypeOf<typeof RedmineMapping>

// model

/** A project of the mapping as the server knows it. */
export interface MappedProject {
  readonly project: RedmineProject
  readonly contractId: ContractId
}

/** The mapping with every name resolved to the server's id; made only by `resolveMapping`. */
export interface ResolvedMapping {
  readonly mapping: RedmineMapping
  /** The user the key belongs to: its own journals are never read as the customer's. */
  readonly me: RedmineUser
  readonly projects: ReadonlyArray<MappedProject>
  readonly trackers: ReadonlyMap<string, number>
  readonly statuses: ReadonlyMap<string, number>
  readonly priorities: ReadonlyMap<string, number>
  /** Custom field id by name (fields the mapping names). */
  readonly fields: ReadonlyMap<string, number>
  readonly names: {
    readonly trackers: ReadonlyMap<number, string>
    readonly statuses: ReadonlyMap<number, string>
    readonly priorities: ReadonlyMap<number, string>
  }
  readonly marker: string
  readonly language: 'ru' | 'en'
}

// constructors

/** Checks a mapping given as data (a JSON file, say); the error names the first field at fault. */
export const decodeRedmineMapping = (input: unknown): E.Either<InvalidRedmineMapping, RedmineMapping> => {
  const decoded = RedmineMapping.decode(input)
  if (E.isLeft(decoded)) {
    const first = decoded.left[0]
    const field = first?.context.map((c) => c.key).filter((k) => k !== '' && !/^\d+$/.test(k)).join('.') ?? ''
    const expected = first?.context[first.context.length - 1]?.type.name ?? 'valid value'
    return E.left({ _tag: 'InvalidRedmineMapping', message: `Redmine mapping: ${field || 'mapping'} must be ${expected}`, field })
  }
  const m = decoded.right
  const projects = m.projects.map((p) => p.project)
  const dup = projects.find((p, i) => projects.indexOf(p) !== i)
  if (dup !== undefined) return E.left({ _tag: 'InvalidRedmineMapping', message: `Redmine mapping: project ${dup} is mapped twice`, field: 'projects' })
  if (m.projects.length === 0) return E.left({ _tag: 'InvalidRedmineMapping', message: 'Redmine mapping: projects must name at least one project', field: 'projects' })
  return E.right(m)
}

/**
 * The mapping for Redmine's default data (English) and the fields `scripts/redmine-up.sh` makes:
 * the customer agrees or rejects a deadline with the "Deadline agreement" field, accepts a result by
 * closing the issue and rejects it by sending it back to Feedback, and answers a question in a note.
 */
export const defaultRedmineMapping = (
  projects: RedmineMapping['projects'],
  customers: RedmineMapping['customers'],
  suppliers: NonNullable<RedmineMapping['suppliers']> = [],
): RedmineMapping => ({
  projects,
  externalKeyField: 'Ledger key',
  customers,
  suppliers,
  kinds: { byTracker: { Bug: 'defect', Feature: 'modernization', Support: 'consultation' }, field: 'Request kind' },
  priorities: { Low: 'low', Normal: 'normal', High: 'high', Urgent: 'urgent', Immediate: 'urgent' },
  actions: {
    agreeDeadline: { on: 'field', field: 'Deadline agreement', value: 'Agreed' },
    rejectDeadline: { on: 'field', field: 'Deadline agreement', value: 'Rejected' },
    acceptResult: { on: 'status', status: 'Closed' },
    rejectResult: { on: 'status', status: 'Feedback' },
    answerQuestion: { on: 'note' },
  },
  statuses: { deadlineAgreed: 'In Progress', resultDelivered: 'Resolved' },
  trackers: { request: 'Support', incident: 'Bug' },
  resetOnProposal: ['Deadline agreement'],
  language: 'ru',
})

// operations

/**
 * The start-up check: the key is accepted (`/users/current.json`), and every tracker, status,
 * priority, project and custom field the mapping names exists and is visible to the key's user.
 * The first mismatch is the error, naming the field of the mapping.
 */
export const resolveMapping = (client: RedmineClient, mapping: RedmineMapping): TaskEither<RedmineHttpError | RedmineMappingMismatch, ResolvedMapping> => async () => {
  const me = await client.currentUser()()
  if (E.isLeft(me)) return me
  const [trackers, statuses, priorities] = [await client.trackers()(), await client.statuses()(), await client.priorities()()]
  if (E.isLeft(trackers)) return trackers
  if (E.isLeft(statuses)) return statuses
  if (E.isLeft(priorities)) return priorities
  const byName = (xs: ReadonlyArray<Named>) => new Map(xs.map((x) => [x.name, x.id]))
  const byId = (xs: ReadonlyArray<Named>) => new Map(xs.map((x) => [x.id, x.name]))
  const trackerIds = byName(trackers.right)
  const statusIds = byName(statuses.right)
  const priorityIds = byName(priorities.right)
  const missing = (field: string, what: string, name: string, known: Iterable<string>): E.Either<RedmineMappingMismatch, never> =>
    E.left({ _tag: 'RedmineMappingMismatch', message: `Redmine mapping: ${field} names ${what} "${name}", which the server does not have (it has: ${[...known].join(', ')})`, field })

  for (const name of Object.keys(mapping.kinds.byTracker)) if (!trackerIds.has(name)) return missing(`kinds.byTracker.${name}`, 'tracker', name, trackerIds.keys())
  for (const [key, name] of Object.entries(mapping.trackers)) if (!trackerIds.has(name)) return missing(`trackers.${key}`, 'tracker', name, trackerIds.keys())
  for (const name of Object.keys(mapping.priorities)) if (!priorityIds.has(name)) return missing(`priorities.${name}`, 'priority', name, priorityIds.keys())
  for (const p of ['low', 'normal', 'high', 'urgent'] as const) {
    if (!Object.values(mapping.priorities).includes(p)) {
      return E.left({ _tag: 'RedmineMappingMismatch', message: `Redmine mapping: priorities name no Redmine priority for the ledger's "${p}"`, field: 'priorities' })
    }
  }
  for (const [key, name] of Object.entries(mapping.statuses)) if (name !== undefined && !statusIds.has(name)) return missing(`statuses.${key}`, 'status', name, statusIds.keys())
  const fieldNames = new Set<string>([mapping.externalKeyField, ...(mapping.resetOnProposal ?? [])])
  if (mapping.kinds.field !== undefined) fieldNames.add(mapping.kinds.field)
  for (const [key, trigger] of Object.entries(mapping.actions)) {
    if (trigger.on === 'status' && !statusIds.has(trigger.status)) return missing(`actions.${key}.status`, 'status', trigger.status, statusIds.keys())
    if (trigger.on === 'field') fieldNames.add(trigger.field)
  }

  const projects: MappedProject[] = []
  const fields = new Map<string, number>()
  for (const [i, p] of mapping.projects.entries()) {
    const project = await client.project(p.project)()
    if (E.isLeft(project)) {
      if (project.left._tag === 'RedmineNotFound' || project.left._tag === 'RedmineForbidden') {
        return E.left({ _tag: 'RedmineMappingMismatch', message: `Redmine mapping: projects.${i} names project "${p.project}", which the key's user cannot see`, field: `projects.${i}.project` })
      }
      return project
    }
    // Redmine 5.0 lists only the fields enabled on the project itself, not those "for all projects".
    const own = byName(project.right.issue_custom_fields ?? [])
    for (const name of fieldNames) {
      const id = own.get(name)
      if (id === undefined) {
        return E.left({
          _tag: 'RedmineMappingMismatch',
          message: `Redmine mapping: project "${p.project}" has no issue custom field "${name}" enabled (it has: ${[...own.keys()].join(', ')}); enable it in the project's settings (a field "for all projects" is not listed by the API)`,
          field: `projects.${i}`,
        })
      }
      fields.set(name, id)
    }
    const projectTrackers = new Set((project.right.trackers ?? []).map((x) => x.name))
    for (const name of [mapping.trackers.request, mapping.trackers.incident]) {
      if (!projectTrackers.has(name)) return missing(`projects.${i}`, 'tracker', name, projectTrackers)
    }
    projects.push({ project: project.right, contractId: p.contractId })
  }

  return E.right({
    mapping,
    me: me.right,
    projects,
    trackers: trackerIds,
    statuses: statusIds,
    priorities: priorityIds,
    fields,
    names: { trackers: byId(trackers.right), statuses: byId(statuses.right), priorities: byId(priorities.right) },
    marker: mapping.marker ?? 'support-ledger',
    language: mapping.language ?? 'ru',
  })
}

/** The Redmine priority name for a ledger priority: the first name the mapping gives it. */
export const redminePriorityOf = (mapping: RedmineMapping, priority: Priority): string =>
  Object.entries(mapping.priorities).find(([, p]) => p === priority)?.[0] ?? 'Normal'

/** The project that holds a contract's requests. */
export const projectOfContract = (resolved: ResolvedMapping, contractId: string): MappedProject | undefined =>
  resolved.projects.find((p) => p.contractId === contractId)
