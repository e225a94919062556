/** Why a call to Redmine failed: one typed error per condition, none of them carrying the API key. */
import type { DomainError } from '@support-ledger/core'

// model

/** Where the failed call went: method and path (never the key, which travels in a header). */
interface Call {
  readonly method: string
  readonly path: string
}

/** 401: the key is wrong or the REST API is off. */
export interface RedmineUnauthorized extends DomainError<'RedmineUnauthorized'>, Call {}
/** 403: the key's user may not do this (a project it is not a member of, an admin-only resource). */
export interface RedmineForbidden extends DomainError<'RedmineForbidden'>, Call {}
/** 404: no such issue, project or resource (Redmine gives no body to say which). */
export interface RedmineNotFound extends DomainError<'RedmineNotFound'>, Call {}
/** 422: Redmine refused the data; `errors` are its own sentences. */
export interface RedmineRejected extends DomainError<'RedmineRejected'>, Call {
  readonly errors: ReadonlyArray<string>
}
/** 5xx, or another status the client does not expect. */
export interface RedmineServerError extends DomainError<'RedmineServerError'>, Call {
  readonly status: number
}
/** No answer within the client's timeout: the request may or may not have taken effect. */
export interface RedmineTimeout extends DomainError<'RedmineTimeout'>, Call {
  readonly timeoutMs: number
}
/** The connection failed (refused, reset, DNS): the request may or may not have reached Redmine. */
export interface RedmineUnreachable extends DomainError<'RedmineUnreachable'>, Call {}
/** A 2xx answer whose body is not what the API documents. */
export interface RedmineBadResponse extends DomainError<'RedmineBadResponse'>, Call {}

/**
 * Every way a call to Redmine can fail; `isTransient` and `mayHaveTakenEffect` say whether to retry and whether to
 * check first.
 */
export type RedmineHttpError =
  | RedmineUnauthorized
  | RedmineForbidden
  | RedmineNotFound
  | RedmineRejected
  | RedmineServerError
  | RedmineTimeout
  | RedmineUnreachable
  | RedmineBadResponse

/** Redmine answered a write with success but the issue read back does not carry the change (a workflow or a field permission dropped it). */
export interface RedmineChangeDropped extends DomainError<'RedmineChangeDropped'> {
  readonly issueId: number
  readonly field: string
  readonly wanted: string
  readonly actual: string
}

/** The mapping names something the server does not have, or the key's user cannot see. */
export interface RedmineMappingMismatch extends DomainError<'RedmineMappingMismatch'> {
  /** Where in the mapping, e.g. `priorities.Urgent`. */
  readonly field: string
}

/** The mapping configuration itself is malformed. */
export interface InvalidRedmineMapping extends DomainError<'InvalidRedmineMapping'> {
  readonly field: string
}

// operations

/** Whether retrying later may succeed: timeouts, lost connections and server errors; never a refusal or a drop. */
export const isTransient = (e: { readonly _tag: string }): boolean =>
  e._tag === 'RedmineTimeout' || e._tag === 'RedmineUnreachable' || e._tag === 'RedmineServerError'

/** Whether the request may have taken effect although no answer said so: a create must look its key up before it is sent again. */
export const mayHaveTakenEffect = (e: { readonly _tag: string }): boolean => e._tag === 'RedmineTimeout' || e._tag === 'RedmineUnreachable' || e._tag === 'RedmineServerError'
