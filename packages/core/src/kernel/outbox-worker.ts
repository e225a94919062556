/** The outbox worker: drains one channel through a handler, settles each outcome, and stops without losing what it holds. */
import * as E from 'fp-ts/lib/Either.js'
import { v7 as uuidv7 } from 'uuid'
import { instantOf, type Instant } from './instant.js'
import {
  defaultRetryPolicy,
  nextAttemptAt,
  type ClaimedMessage,
  type DeliveryFailed,
  type Outbox,
  type OutboxError,
  type OutboxHandler,
  type RetryPolicy,
} from './outbox.js'

// model

/** What a worker reports. `level` says how much a person should care. */
export type OutboxWorkerLogEntry =
  | { readonly level: 'info'; readonly _tag: 'Claimed'; readonly channel: string; readonly owner: string; readonly ids: ReadonlyArray<string> }
  | { readonly level: 'info'; readonly _tag: 'Delivered'; readonly channel: string; readonly id: string; readonly dedupeKey: string; readonly recipientKey: string }
  | {
      readonly level: 'warn'
      readonly _tag: 'RetryScheduled'
      readonly channel: string
      readonly id: string
      readonly dedupeKey: string
      readonly attempts: number
      readonly reason: string
      readonly retryAt: Instant
    }
  | { readonly level: 'error'; readonly _tag: 'DeadLettered'; readonly channel: string; readonly id: string; readonly dedupeKey: string; readonly attempts: number; readonly reason: string }
  | { readonly level: 'warn'; readonly _tag: 'LeaseLost'; readonly channel: string; readonly id: string; readonly dedupeKey: string }
  | { readonly level: 'info'; readonly _tag: 'Released'; readonly channel: string; readonly ids: ReadonlyArray<string> }
  | { readonly level: 'error'; readonly _tag: 'OutboxFailed'; readonly channel: string; readonly operation: string; readonly error: OutboxError }
  | { readonly level: 'info'; readonly _tag: 'Stopped'; readonly channel: string; readonly owner: string; readonly delivered: number; readonly failed: number }

/** Where a worker's progress and failures go: a structured log, metrics, a test's array. */
export type OutboxWorkerLogger = (entry: OutboxWorkerLogEntry) => void

/**
 * What an outbox worker delivers and how: the outbox, the channel it serves, the handler that delivers one message,
 * and its retry and lease timing.
 */
export interface OutboxWorkerOptions {
  readonly outbox: Outbox
  readonly channel: string
  readonly handler: OutboxHandler
  /** This worker's name on its leases; default a fresh uuid. */
  readonly owner?: string
  /** Default this process's clock. */
  readonly clock?: () => Instant
  /** Jitter for retries, in [0, 1); default `Math.random`. */
  readonly random?: () => number
  /** Default `defaultRetryPolicy`. */
  readonly retry?: RetryPolicy
  /** How long a claimed batch is held; longer than the handler takes on the whole batch. Default 60 s. */
  readonly leaseMs?: number
  /** Messages per claim, handled one after another; default 10. */
  readonly batchSize?: number
  /** Wait after finding nothing to do, or after the outbox failed; default 1000 ms. */
  readonly idleMs?: number
  /** Default: reports nowhere. */
  readonly logger?: OutboxWorkerLogger
}

/** The outcome of one pass. */
export interface DrainPass {
  readonly claimed: number
  readonly delivered: number
  readonly failed: number
  /** Released untried because the worker was stopping or a lease ran out first. */
  readonly released: number
}

/** A running worker. */
export interface OutboxWorker {
  readonly owner: string
  /** Finishes the message in hand, releases the rest of its batch, and resolves once nothing is held. */
  readonly stop: () => Promise<void>
  /** Resolves when the worker has stopped. Failures never end it: they are logged and retried. */
  readonly ended: Promise<void>
}

// constructors

/**
 * One pass: claims a batch, hands each message to the handler in turn and records the outcome:
 * delivered, retried after a jittered backoff, or dead-lettered (a permanent failure, or the
 * last attempt). `stopping` is checked between messages; what was not started is released.
 */
export const drainOnce = async (options: OutboxWorkerOptions & { readonly owner: string }, stopping: () => boolean = () => false): Promise<DrainPass> => {
  const { outbox, channel, owner } = options
  const clock = options.clock ?? (() => instantOf(Date.now()))
  const log = options.logger ?? (() => undefined)
  const pass = { claimed: 0, delivered: 0, failed: 0, released: 0 }
  const claimed = await outbox.claim({ channel, owner, now: clock(), leaseMs: options.leaseMs ?? 60_000, limit: options.batchSize ?? 10 })()
  if (E.isLeft(claimed)) {
    log({ level: 'error', _tag: 'OutboxFailed', channel, operation: 'claim', error: claimed.left })
    return pass
  }
  const batch = claimed.right
  pass.claimed = batch.length
  if (batch.length > 0) log({ level: 'info', _tag: 'Claimed', channel, owner, ids: batch.map((m) => m.id) })
  const untried: string[] = []
  for (const message of batch) {
    // A message whose lease ran out may already be in another worker's hands: leave it to them.
    if (stopping() || clock() >= message.leaseExpiresAt) {
      untried.push(message.id)
      continue
    }
    const outcome = await handle(options.handler, message)
    if (E.isRight(outcome)) {
      const marked = await outbox.markDelivered({ id: message.id, owner, at: clock() })()
      if (E.isRight(marked)) {
        pass.delivered++
        log({ level: 'info', _tag: 'Delivered', channel, id: message.id, dedupeKey: message.dedupeKey, recipientKey: message.recipientKey })
      } else reportMarkFailure(log, channel, message, 'markDelivered', marked.left)
      continue
    }
    pass.failed++
    const at = clock()
    const attempts = message.attempts + 1
    const retryAt = outcome.left.permanent === true ? undefined : nextAttemptAt(options.retry ?? defaultRetryPolicy, attempts, at, options.random ?? Math.random)
    const reason = outcome.left.message
    const marked = await outbox.markFailed({ id: message.id, owner, at, reason, ...(retryAt === undefined ? {} : { retryAt }) })()
    if (E.isLeft(marked)) reportMarkFailure(log, channel, message, 'markFailed', marked.left)
    else if (retryAt === undefined) log({ level: 'error', _tag: 'DeadLettered', channel, id: message.id, dedupeKey: message.dedupeKey, attempts: marked.right.attempts, reason })
    else log({ level: 'warn', _tag: 'RetryScheduled', channel, id: message.id, dedupeKey: message.dedupeKey, attempts: marked.right.attempts, reason, retryAt })
  }
  if (untried.length > 0) {
    const released = await outbox.release({ owner, ids: untried })()
    if (E.isLeft(released)) log({ level: 'error', _tag: 'OutboxFailed', channel, operation: 'release', error: released.left })
    else {
      pass.released = released.right.length
      log({ level: 'info', _tag: 'Released', channel, ids: released.right })
    }
  }
  return pass
}

/** Starts a worker that drains its channel until stopped, waiting `idleMs` whenever there is nothing to do. */
export const startOutboxWorker = (options: OutboxWorkerOptions): OutboxWorker => {
  const owner = options.owner ?? uuidv7()
  const log = options.logger ?? (() => undefined)
  const idleMs = Math.max(1, options.idleMs ?? 1000)
  let stopping = false
  let wake: (() => void) | undefined
  const totals = { delivered: 0, failed: 0 }

  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, idleMs)
      function done() {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })

  const loop = async () => {
    while (!stopping) {
      let pass: DrainPass
      try {
        pass = await drainOnce({ ...options, owner }, () => stopping)
      } catch (e) {
        // A handler's or the outbox's exception must not end the worker: report it and go on.
        log({ level: 'error', _tag: 'OutboxFailed', channel: options.channel, operation: 'drain', error: { _tag: 'StoreUnavailable', message: e instanceof Error ? e.message : String(e), cause: e } })
        pass = { claimed: 0, delivered: 0, failed: 0, released: 0 }
      }
      totals.delivered += pass.delivered
      totals.failed += pass.failed
      if (pass.claimed === 0 && !stopping) await idle()
    }
    log({ level: 'info', _tag: 'Stopped', channel: options.channel, owner, delivered: totals.delivered, failed: totals.failed })
  }

  const ended = loop()
  return {
    owner,
    stop: async () => {
      stopping = true
      wake?.()
      await ended
    },
    ended,
  }
}

// operations

/** Runs the handler; a throw counts as a failure worth retrying, with its message as the reason. */
const handle = async (handler: OutboxHandler, message: ClaimedMessage): Promise<E.Either<DeliveryFailed, void>> => {
  try {
    return await handler(message)()
  } catch (e) {
    return E.left({ _tag: 'DeliveryFailed', message: e instanceof Error ? e.message : String(e) })
  }
}

const reportMarkFailure = (log: OutboxWorkerLogger, channel: string, message: ClaimedMessage, operation: string, error: OutboxError) => {
  if (error._tag === 'LeaseNotHeld') log({ level: 'warn', _tag: 'LeaseLost', channel, id: message.id, dedupeKey: message.dedupeKey })
  else log({ level: 'error', _tag: 'OutboxFailed', channel, operation, error })
}
