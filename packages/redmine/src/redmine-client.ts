/** A small client for the parts of Redmine's REST API the ledger uses: JSON over `fetch`, typed errors, the key in a header only. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { RedmineHttpError } from './redmine-errors.js'

// model

/** The one method of `fetch` the client calls, described by what it uses: Node's global `fetch` fits, and so does a test double. */
export type FetchLike = (
  url: string,
  init: { readonly method: string; readonly headers: Record<string, string>; readonly body?: string; readonly signal?: AbortSignal },
) => Promise<{ readonly status: number; readonly text: () => Promise<string> }>

export interface RedmineClientOptions {
  /** The server's base URL, e.g. `https://redmine.example.kz` (a path prefix is kept). */
  readonly url: string
  /** Sent as `X-Redmine-API-Key`, never in a URL, so it stays out of access logs and of every error. */
  readonly apiKey: string
  /** Default: the global `fetch`. */
  readonly fetch?: FetchLike
  /** How long one request may take; default 15 s. */
  readonly timeoutMs?: number
  /** An admin key acting as another user (`X-Redmine-Switch-User`): tests act as a customer this way. */
  readonly actAs?: string
}

const Named = t.type({ id: t.number, name: t.string })
const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null])

export const RedmineCustomFieldValue = t.intersection([
  t.type({ id: t.number, name: t.string }),
  t.partial({ value: t.union([t.string, t.null, t.array(t.string)]), multiple: t.boolean }),
])
export type RedmineCustomFieldValue = t.TypeOf<typeof RedmineCustomFieldValue>

export const RedmineJournalDetail = t.intersection([
  t.type({ property: t.string, name: t.string }),
  t.partial({ old_value: nullable(t.string), new_value: nullable(t.string) }),
])
export type RedmineJournalDetail = t.TypeOf<typeof RedmineJournalDetail>

export const RedmineJournal = t.intersection([
  t.type({ id: t.number, created_on: t.string, details: t.array(RedmineJournalDetail) }),
  t.partial({ user: Named, notes: nullable(t.string), private_notes: t.boolean }),
])
export type RedmineJournal = t.TypeOf<typeof RedmineJournal>

export const RedmineIssue = t.intersection([
  t.type({
    id: t.number,
    project: Named,
    tracker: Named,
    status: Named,
    priority: Named,
    author: Named,
    subject: t.string,
    created_on: t.string,
    updated_on: t.string,
  }),
  t.partial({
    description: nullable(t.string),
    assigned_to: Named,
    due_date: nullable(t.string),
    start_date: nullable(t.string),
    fixed_version: Named,
    custom_fields: t.array(RedmineCustomFieldValue),
    journals: t.array(RedmineJournal),
  }),
])
export type RedmineIssue = t.TypeOf<typeof RedmineIssue>

const IssuePage = t.type({ issues: t.array(RedmineIssue), total_count: t.number })

export const RedmineUser = t.intersection([t.type({ id: t.number }), t.partial({ login: t.string, admin: t.boolean, firstname: t.string, lastname: t.string, api_key: t.string })])
export type RedmineUser = t.TypeOf<typeof RedmineUser>

export const RedmineStatus = t.intersection([Named, t.partial({ is_closed: t.boolean })])
export type RedmineStatus = t.TypeOf<typeof RedmineStatus>

export const RedminePriority = t.intersection([Named, t.partial({ is_default: t.boolean })])
export type RedminePriority = t.TypeOf<typeof RedminePriority>

export const RedmineProject = t.intersection([
  t.type({ id: t.number, identifier: t.string, name: t.string }),
  t.partial({ trackers: t.array(Named), issue_custom_fields: t.array(Named) }),
])
export type RedmineProject = t.TypeOf<typeof RedmineProject>

export const RedmineVersion = t.intersection([t.type({ id: t.number, name: t.string }), t.partial({ description: nullable(t.string), status: t.string })])
export type RedmineVersion = t.TypeOf<typeof RedmineVersion>

export type Named = t.TypeOf<typeof Named>

/** The fields of an issue the ledger writes; names as the API takes them. */
export interface IssueFields {
  readonly project_id?: number | string
  readonly tracker_id?: number
  readonly status_id?: number
  readonly priority_id?: number
  readonly subject?: string
  readonly description?: string
  readonly assigned_to_id?: number | ''
  readonly due_date?: string | null
  readonly fixed_version_id?: number | ''
  readonly custom_fields?: ReadonlyArray<{ readonly id: number; readonly value: string }>
  readonly notes?: string
}

export interface IssueQuery {
  readonly projectId?: number | string
  /** `updated_on>=` this ISO instant (Redmine compares at one-second resolution). */
  readonly updatedSince?: string
  /** Exact match on a custom field (`cf_N==value`, so no character of the value is read as an operator). */
  readonly customField?: { readonly id: number; readonly value: string }
  readonly offset?: number
  /** Redmine caps it at 100 without saying so. */
  readonly limit?: number
  readonly sort?: string
}

export interface RedmineClient {
  /** The user the API key belongs to: checks the key at start. */
  readonly currentUser: () => TaskEither<RedmineHttpError, RedmineUser>
  /** A user by id. */
  readonly user: (id: number) => TaskEither<RedmineHttpError, RedmineUser>
  /** Every tracker. */
  readonly trackers: () => TaskEither<RedmineHttpError, ReadonlyArray<Named>>
  /** Every issue status, with whether it closes the issue. */
  readonly statuses: () => TaskEither<RedmineHttpError, ReadonlyArray<RedmineStatus>>
  /** Every issue priority. */
  readonly priorities: () => TaskEither<RedmineHttpError, ReadonlyArray<RedminePriority>>
  /** A project with its trackers and issue custom fields (what a non-admin may see of custom fields). */
  readonly project: (idOrIdentifier: string | number) => TaskEither<RedmineHttpError, RedmineProject>
  /** One page of issues, open and closed. */
  readonly issues: (query: IssueQuery) => TaskEither<RedmineHttpError, { readonly issues: ReadonlyArray<RedmineIssue>; readonly total: number }>
  /** One issue, with its journals when asked. */
  readonly issue: (id: number, options?: { readonly journals?: boolean }) => TaskEither<RedmineHttpError, RedmineIssue>
  /** Creates an issue; resolves to it as Redmine stored it. */
  readonly createIssue: (fields: IssueFields) => TaskEither<RedmineHttpError, RedmineIssue>
  /** Redmine answers 204 even when it dropped part of the change: read the issue back. */
  readonly updateIssue: (id: number, fields: IssueFields) => TaskEither<RedmineHttpError, void>
  /** A project's versions. */
  readonly versions: (project: string | number) => TaskEither<RedmineHttpError, ReadonlyArray<RedmineVersion>>
  /** Creates a version in a project. */
  readonly createVersion: (project: string | number, fields: { readonly name: string; readonly description?: string }) => TaskEither<RedmineHttpError, RedmineVersion>
  /** Any other call, for setup and tests; `body` is sent as JSON. */
  readonly request: (method: string, path: string, body?: unknown) => TaskEither<RedmineHttpError, unknown>
}

// constructors

export const redmineClient = (options: RedmineClientOptions): RedmineClient => {
  const base = options.url.replace(/\/+$/, '')
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init))
  const timeoutMs = options.timeoutMs ?? 15_000

  const request = (method: string, path: string, body?: unknown): TaskEither<RedmineHttpError, unknown> => async () => {
    const call = { method, path: path.split('?')[0] ?? path }
    const headers: Record<string, string> = { 'X-Redmine-API-Key': options.apiKey, Accept: 'application/json' }
    // Without this header Redmine ignores the body and answers a misleading 422.
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (options.actAs !== undefined) headers['X-Redmine-Switch-User'] = options.actAs
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      const response = await doFetch(`${base}${path}`, {
        method,
        headers,
        signal: controller.signal,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await response.text()
      return answer(call, response.status, text)
    } catch (e) {
      if (controller.signal.aborted) {
        return E.left({ _tag: 'RedmineTimeout', message: `${method} ${call.path}: no answer within ${timeoutMs} ms`, ...call, timeoutMs })
      }
      return E.left({ _tag: 'RedmineUnreachable', message: `${method} ${call.path}: ${describeCause(e)}`, ...call })
    } finally {
      clearTimeout(timer)
    }
  }

  const get = <A>(path: string, codec: t.Type<A, unknown, unknown>): TaskEither<RedmineHttpError, A> => async () => {
    const r = await request('GET', path)()
    return E.isLeft(r) ? r : decodeBody('GET', path, codec, r.right)
  }

  const issuePath = (q: IssueQuery): string => {
    const params = new URLSearchParams({ status_id: '*', limit: String(q.limit ?? 100), offset: String(q.offset ?? 0), sort: q.sort ?? 'updated_on,id' })
    if (q.projectId !== undefined) params.set('project_id', String(q.projectId))
    if (q.updatedSince !== undefined) params.set('updated_on', `>=${q.updatedSince.replace(/\.\d{3}Z$/, 'Z')}`)
    if (q.customField !== undefined) params.set(`cf_${q.customField.id}`, `=${q.customField.value}`)
    return `/issues.json?${params.toString()}`
  }

  return {
    currentUser: () => get('/users/current.json', inside('user', RedmineUser)),
    user: (id) => get(`/users/${id}.json`, inside('user', RedmineUser)),
    trackers: () => get('/trackers.json', inside('trackers', t.array(Named))),
    statuses: () => get('/issue_statuses.json', inside('issue_statuses', t.array(RedmineStatus))),
    priorities: () => get('/enumerations/issue_priorities.json', inside('issue_priorities', t.array(RedminePriority))),
    project: (id) => get(`/projects/${encodeURIComponent(String(id))}.json?include=trackers,issue_custom_fields`, inside('project', RedmineProject)),
    issues: (q) => async () => {
      const page = await get(issuePath(q), IssuePage)()
      return E.isLeft(page) ? page : E.right({ issues: page.right.issues, total: page.right.total_count })
    },
    issue: (id, o = {}) => get(`/issues/${id}.json${o.journals === true ? '?include=journals' : ''}`, inside('issue', RedmineIssue)),
    createIssue: (fields) => async () => {
      const r = await request('POST', '/issues.json', { issue: fields })()
      return E.isLeft(r) ? r : decodeBody('POST', '/issues.json', inside('issue', RedmineIssue), r.right)
    },
    updateIssue: (id, fields) => async () => {
      const r = await request('PUT', `/issues/${id}.json`, { issue: fields })()
      return E.isLeft(r) ? r : E.right(undefined)
    },
    versions: (project) => get(`/projects/${encodeURIComponent(String(project))}/versions.json`, inside('versions', t.array(RedmineVersion))),
    createVersion: (project, fields) => async () => {
      const path = `/projects/${encodeURIComponent(String(project))}/versions.json`
      const r = await request('POST', path, { version: fields })()
      return E.isLeft(r) ? r : decodeBody('POST', path, inside('version', RedmineVersion), r.right)
    },
    request,
  }
}

// operations

/** Decodes `{ key: A }` to the `A` inside: Redmine wraps every answer in one named member. */
const inside = <A, O>(key: string, codec: t.Type<A, O, unknown>): t.Type<A, unknown, unknown> =>
  new t.Type<A, unknown, unknown>(
    `${key}`,
    codec.is,
    (u, c) => (typeof u === 'object' && u !== null && key in u ? codec.validate((u as Record<string, unknown>)[key], t.appendContext(c, key, codec, (u as Record<string, unknown>)[key])) : t.failure(u, c, `a member "${key}"`)),
    (a) => ({ [key]: codec.encode(a) }),
  )

const decodeBody = <A>(method: string, path: string, codec: t.Type<A, unknown, unknown>, body: unknown): E.Either<RedmineHttpError, A> => {
  const decoded = codec.decode(body)
  if (E.isRight(decoded)) return decoded
  const first = decoded.left[0]
  const where = first?.context.map((c) => c.key).filter((k) => k !== '').join('.') ?? ''
  return E.left({ _tag: 'RedmineBadResponse', message: `${method} ${path.split('?')[0]}: unexpected body at ${where || 'top level'}`, method, path: path.split('?')[0] ?? path })
}

const answer = (call: { readonly method: string; readonly path: string }, status: number, text: string): E.Either<RedmineHttpError, unknown> => {
  const what = `${call.method} ${call.path}`
  if (status >= 200 && status < 300) {
    if (text.trim() === '') return E.right(undefined)
    try {
      return E.right(JSON.parse(text) as unknown)
    } catch {
      return E.left({ _tag: 'RedmineBadResponse', message: `${what}: the answer is not JSON`, ...call })
    }
  }
  switch (status) {
    case 401:
      return E.left({ _tag: 'RedmineUnauthorized', message: `${what}: 401, the API key was not accepted (or the REST API is off)`, ...call })
    case 403:
      return E.left({ _tag: 'RedmineForbidden', message: `${what}: 403, the key's user may not do this`, ...call })
    case 404:
      return E.left({ _tag: 'RedmineNotFound', message: `${what}: 404, not found`, ...call })
    case 422: {
      const errors = parseErrors(text)
      return E.left({ _tag: 'RedmineRejected', message: `${what}: 422, ${errors.join('; ') || 'refused'}`, ...call, errors })
    }
    default:
      return E.left({ _tag: 'RedmineServerError', message: `${what}: HTTP ${status}`, ...call, status })
  }
}

const parseErrors = (text: string): ReadonlyArray<string> => {
  try {
    const body = JSON.parse(text) as { errors?: unknown }
    return Array.isArray(body.errors) ? body.errors.map(String) : []
  } catch {
    return []
  }
}

const describeCause = (e: unknown): string => {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined
  return code ?? (cause instanceof Error ? cause.message : 'connection failed')
}
