/** The Outbox port: messages for the world outside the ledger, written with the work that caused them, delivered at least once. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import type { DomainError } from './domain-error.js'
import type { StoreUnavailable } from './event-store.js'
import { addMillis, Instant } from './instant.js'

// model

const isJsonValue = (u: unknown, depth = 0): boolean => {
  if (depth > 64) return false
  // NUL is refused in strings and keys because PostgreSQL text and jsonb cannot hold it: every store agrees.
  if (typeof u === 'string') return !u.includes('\u0000')
  if (u === null || typeof u === 'boolean') return true
  if (typeof u === 'number') return Number.isFinite(u)
  if (Array.isArray(u)) return u.every((v) => isJsonValue(v, depth + 1))
  if (typeof u === 'object' && Object.getPrototypeOf(u) === Object.prototype) {
    return Object.entries(u as Record<string, unknown>).every(([k, v]) => !k.includes('\u0000') && isJsonValue(v, depth + 1))
  }
  return false
}

/**
 * A payload: any JSON value (plain objects, arrays, finite numbers, strings, booleans, null), so that
 * every store gives back exactly what was enqueued. Typed `unknown`: the handler decodes it with its own codec.
 */
const JsonPayload = new t.Type<unknown, unknown, unknown>(
  'JsonPayload',
  (u): u is unknown => isJsonValue(u),
  (u, c) => (isJsonValue(u) ? t.success(u) : t.failure(u, c, 'not a JSON value (plain objects, arrays, finite numbers, strings, booleans, null)')),
  t.identity,
)

const boundedString = (name: string, max: number) =>
  t.refinement(t.string, (s) => s.length >= 1 && s.length <= max && !s.includes('\u0000'), `${name} (1 to ${max} characters, no NUL)`)

// codecs

/**
 * A message to enqueue. `(channel, dedupeKey)` names it: a second enqueue with the same pair writes
 * nothing, whatever its payload, so a replayed consumer never sends twice.
 */
export const NewOutboxMessage = t.readonly(
  t.intersection([
    t.type({
      /** Which worker delivers it: `email`, `redmine`. */
      channel: boundedString('channel', 128),
      /** Who or what receives it (an address, an issue): kept for listing and for the handler. */
      recipientKey: boundedString('recipientKey', 512),
      /** Unique within the channel; derive it from the cause (event id and purpose), never from a clock. */
      dedupeKey: boundedString('dedupeKey', 512),
      payload: JsonPayload,
      /** Not claimed before this instant. */
      availableAt: Instant,
    }),
    t.partial({
      /** Global position of the event that caused it, for tracing. */
      sourcePosition: t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'sourcePosition (a whole number >= 0)'),
    }),
  ]),
)
export type NewOutboxMessage = t.TypeOf<typeof NewOutboxMessage>

/** Where a message is in its life. A dead letter waits for a person to requeue it. */
export type OutboxStatus = 'pending' | 'delivered' | 'dead'

/** A stored message as the outbox reports it. */
export interface OutboxMessage extends NewOutboxMessage {
  /** The store's id, a decimal string; ids grow in enqueue order. */
  readonly id: string
  readonly status: OutboxStatus
  /** Failed attempts so far (a requeue starts again from 0). */
  readonly attempts: number
  readonly enqueuedAt: Instant
  /** The reason given with the last failure. */
  readonly lastError?: string
  readonly deliveredAt?: Instant
  readonly deadAt?: Instant
}

/** A message held by one claimer until `leaseExpiresAt`; after that another claim may take it. */
export interface ClaimedMessage extends OutboxMessage {
  readonly leaseOwner: string
  readonly leaseExpiresAt: Instant
}

/** What an enqueue wrote and what it skipped as already present, by dedupe key. */
export interface EnqueueResult {
  /** Dedupe keys written now, in the order given. */
  readonly enqueued: ReadonlyArray<string>
  /** Dedupe keys already present in their channel (or repeated within the call): nothing written for them. */
  readonly duplicates: ReadonlyArray<string>
}

/** A worker asks for messages of one channel to deliver, leased to it for `leaseMs`. */
export interface ClaimRequest {
  readonly channel: string
  /** The claimer's name; marks and releases must give the same one. */
  readonly owner: string
  /** The claimer's clock: messages available at or before it, whose lease is absent or expired by it. */
  readonly now: Instant
  /** How long the lease lasts from `now`. */
  readonly leaseMs: number
  /** At most this many messages, oldest `availableAt` first; default 10. */
  readonly limit?: number
}

/** A message's holder reports the outcome of a delivery attempt. */
export interface DeliveredMark {
  readonly id: string
  readonly owner: string
  readonly at: Instant
}

/** A message's holder reports a failed delivery attempt; the outbox retries it or dead-letters it. */
export interface FailedMark {
  readonly id: string
  readonly owner: string
  readonly at: Instant
  /** Why it failed, for the person reading dead letters (trimmed to 2000 characters). */
  readonly reason: string
  /** When to try again; absent: the message becomes a dead letter. Compute it with `nextAttemptAt`. */
  readonly retryAt?: Instant
}

/** Whether a failed message will be retried (`pending`) or was dead-lettered (`dead`). */
export interface FailureOutcome {
  readonly status: 'pending' | 'dead'
  /** Failed attempts, this one included. */
  readonly attempts: number
}

/** A worker gives back messages it holds without an attempt (on shutdown), so another may take them at once. */
export interface ReleaseRequest {
  readonly owner: string
  /** Ids this owner holds; others are ignored. */
  readonly ids: ReadonlyArray<string>
}

/** A page of one channel's dead letters, for a person to inspect and requeue. */
export interface DeadLetterQuery {
  readonly channel: string
  /** Ids greater than this (paging); default from the first. */
  readonly afterId?: string
  /** Default 100. */
  readonly limit?: number
}

/** Puts dead letters back to be delivered again, after the cause was fixed. */
export interface RequeueRequest {
  readonly ids: ReadonlyArray<string>
  /** Available again from this instant, with attempts back at 0. */
  readonly at: Instant
}

/**
 * Retry timing after a failure: the delay doubles (by `multiplier`) from `initialDelayMs` up to
 * `maxDelayMs`, with jitter; after `maxAttempts` failures the message is dead-lettered.
 */
export interface RetryPolicy {
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  /** Default 2. */
  readonly multiplier?: number
  readonly maxAttempts: number
}

/**
 * The retry policy used when none is given: 30 s doubling up to 6 h, dead-lettered after 12 failures (about two days).
 */
export const defaultRetryPolicy: RetryPolicy = { initialDelayMs: 30_000, maxDelayMs: 6 * 3_600_000, multiplier: 2, maxAttempts: 12 }

// errors

/** A message to enqueue is malformed; nothing of the call was written. */
export interface InvalidOutboxMessage extends DomainError<'InvalidOutboxMessage'> {
  /** Position of the message in the call. */
  readonly index: number
  /** The field at fault, e.g. `availableAt`. */
  readonly field: string
}

/** A request other than an enqueue is malformed (an empty owner, a lease of 0 ms). */
export interface InvalidOutboxRequest extends DomainError<'InvalidOutboxRequest'> {
  readonly field: string
}

/**
 * The message is not held by this owner: unknown, already settled, or claimed by another since the
 * lease expired. (A lease that expired but was not taken still lets its owner settle the message.)
 */
export interface LeaseNotHeld extends DomainError<'LeaseNotHeld'> {
  readonly id: string
  readonly owner: string
}

/** Every way an outbox call can fail; a failed call changed nothing. */
export type OutboxError = InvalidOutboxMessage | InvalidOutboxRequest | LeaseNotHeld | StoreUnavailable

// the port

/**
 * The part of an outbox that writes. An adapter with transactions also gives a writer bound to one
 * (PostgreSQL: `outbox.within(tx)` inside a consumer's `handle`), so the messages commit with the
 * consumer's checkpoint: a message exists if and only if the event that caused it was handled.
 */
export interface OutboxWriter {
  /** Enqueues all messages or, if one is malformed, none. Duplicates by `(channel, dedupeKey)` are skipped. */
  readonly enqueue: (messages: ReadonlyArray<NewOutboxMessage>) => TaskEither<OutboxError, EnqueueResult>
}

/**
 * A durable queue of messages per channel. Two claimers never hold the same message at once; a
 * lease that expires makes its message claimable again, so a crashed worker delays delivery but
 * loses nothing. Delivery is at least once: a handler must tolerate a repeat (the dedupe key helps).
 */
export interface Outbox extends OutboxWriter {
  /**
   * Leases up to `limit` available messages to `owner`, oldest first; a message whose lease expires can be claimed
   * again, so delivery is at least once.
   */
  readonly claim: (request: ClaimRequest) => TaskEither<OutboxError, ReadonlyArray<ClaimedMessage>>
  /** Settles a held message as delivered. */
  readonly markDelivered: (mark: DeliveredMark) => TaskEither<OutboxError, void>
  /** Records a failed attempt: retried at `retryAt`, or dead-lettered without it. */
  readonly markFailed: (mark: FailedMark) => TaskEither<OutboxError, FailureOutcome>
  /** Gives held messages back untried (a worker stopping): claimable at once, attempts unchanged. Returns the ids released. */
  readonly release: (request: ReleaseRequest) => TaskEither<OutboxError, ReadonlyArray<string>>
  /** The message of a channel with this dedupe key, whatever its status. */
  readonly find: (channel: string, dedupeKey: string) => TaskEither<OutboxError, OutboxMessage | undefined>
  /** Dead letters of a channel in id order. */
  readonly deadLetters: (query: DeadLetterQuery) => TaskEither<OutboxError, ReadonlyArray<OutboxMessage>>
  /** Makes dead letters pending again. Ids that are not dead letters are left alone; returns the ids requeued. */
  readonly requeue: (request: RequeueRequest) => TaskEither<OutboxError, ReadonlyArray<string>>
}

/** A handler's refusal to count a message delivered. `permanent`: retrying cannot help; dead-letter it now. */
export interface DeliveryFailed extends DomainError<'DeliveryFailed'> {
  readonly permanent?: boolean
}

/** Delivers one message of a channel (sends the e-mail, writes the Redmine issue). The worker settles the outcome. */
export type OutboxHandler = (message: ClaimedMessage) => TaskEither<DeliveryFailed, void>

// operations

/** Checks every message of an enqueue before anything is written; the first fault names its index and field. */
export const validateOutboxMessages = (messages: ReadonlyArray<unknown>): E.Either<InvalidOutboxMessage, ReadonlyArray<NewOutboxMessage>> => {
  if (!Array.isArray(messages)) return E.left({ _tag: 'InvalidOutboxMessage', message: 'messages must be an array', index: -1, field: '' })
  const out: NewOutboxMessage[] = []
  for (const [index, m] of messages.entries()) {
    const decoded = NewOutboxMessage.decode(m)
    if (E.isLeft(decoded)) {
      const first = decoded.left[0]
      const field = first?.context.map((c) => c.key).filter((k) => k !== '' && !/^\d+$/.test(k))[0] ?? ''
      const why = first?.message ?? first?.context[first.context.length - 1]?.type.name ?? 'invalid'
      return E.left({ _tag: 'InvalidOutboxMessage', message: `outbox message ${index}: ${field || 'message'} is invalid: ${why}`, index, field })
    }
    out.push(decoded.right)
  }
  return E.right(out)
}

/** Checks a claim before it reaches the store. */
export const validateClaim = (r: ClaimRequest): InvalidOutboxRequest | undefined => {
  const bad = (field: string, why: string): InvalidOutboxRequest => ({ _tag: 'InvalidOutboxRequest', message: `claim: ${field} ${why}`, field })
  if (typeof r.channel !== 'string' || r.channel.length === 0 || r.channel.length > 128 || r.channel.includes('\u0000')) return bad('channel', 'must be 1 to 128 characters')
  if (typeof r.owner !== 'string' || r.owner.length === 0 || r.owner.length > 256 || r.owner.includes('\u0000')) return bad('owner', 'must be 1 to 256 characters')
  if (!Instant.is(r.now)) return bad('now', 'must be an instant')
  if (!(Number.isSafeInteger(r.leaseMs) && r.leaseMs > 0)) return bad('leaseMs', 'must be a whole number > 0')
  if (r.limit !== undefined && !(Number.isSafeInteger(r.limit) && r.limit > 0 && r.limit <= 10_000)) return bad('limit', 'must be 1 to 10000')
  return undefined
}

/**
 * When to try again after the `attempts`-th failure, or `undefined` once `maxAttempts` failures
 * are reached (dead-letter). The delay is `initialDelayMs * multiplier^(attempts-1)` capped at
 * `maxDelayMs`, of which the upper half is jitter: `random()` in [0, 1) picks where in it, so
 * workers that failed together do not retry together yet each wait at least half the backoff.
 */
export const nextAttemptAt = (policy: RetryPolicy, attempts: number, at: Instant, random: () => number): Instant | undefined => {
  if (attempts >= policy.maxAttempts) return undefined
  const exponent = Math.max(0, attempts - 1)
  const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * Math.pow(policy.multiplier ?? 2, exponent))
  const r = Math.min(Math.max(random(), 0), 1)
  return addMillis(at, Math.round(backoff / 2 + (backoff / 2) * r))
}

/** Reasons longer than this are cut: a stack trace must not bloat a row. */
export const MAX_FAILURE_REASON = 2000

/**
 * Makes a failure reason storable: strips NUL characters (PostgreSQL text rejects them) and cuts it to
 * `MAX_FAILURE_REASON` characters.
 */
export const trimReason = (reason: string): string => {
  const clean = reason.replaceAll('\u0000', '')
  return clean.length > MAX_FAILURE_REASON ? clean.slice(0, MAX_FAILURE_REASON) : clean
}

/** Checks a mark, release or requeue before it reaches the store: `fields` maps each field to its value. */
export const validateOutboxRequest = (
  what: string,
  fields: { readonly id?: unknown; readonly owner?: unknown; readonly at?: unknown; readonly retryAt?: unknown; readonly ids?: unknown; readonly reason?: unknown },
): InvalidOutboxRequest | undefined => {
  const bad = (field: string, why: string): InvalidOutboxRequest => ({ _tag: 'InvalidOutboxRequest', message: `${what}: ${field} ${why}`, field })
  const isId = (v: unknown) => typeof v === 'string' && /^[1-9][0-9]{0,18}$/.test(v)
  if ('id' in fields && !isId(fields.id)) return bad('id', 'must be an outbox id')
  if ('owner' in fields && !(typeof fields.owner === 'string' && fields.owner.length > 0 && fields.owner.length <= 256 && !fields.owner.includes('\u0000'))) return bad('owner', 'must be 1 to 256 characters')
  if ('at' in fields && !Instant.is(fields.at)) return bad('at', 'must be an instant')
  if ('retryAt' in fields && fields.retryAt !== undefined && !Instant.is(fields.retryAt)) return bad('retryAt', 'must be an instant')
  if ('reason' in fields && typeof fields.reason !== 'string') return bad('reason', 'must be a string')
  if ('ids' in fields && !(Array.isArray(fields.ids) && fields.ids.every(isId))) return bad('ids', 'must be outbox ids')
  return undefined
}
