/** The Outbox in process memory: for tests, demos and single-process tools. Same contract as the PostgreSQL outbox. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { instantOf, type Instant } from './instant.js'
import {
  trimReason,
  validateClaim,
  validateOutboxMessages,
  validateOutboxRequest,
  type ClaimedMessage,
  type EnqueueResult,
  type LeaseNotHeld,
  type NewOutboxMessage,
  type Outbox,
  type OutboxError,
  type OutboxMessage,
  type OutboxWriter,
} from './outbox.js'

// model

/** An in-memory outbox; `transaction` stands in for a database transaction. */
export interface InMemoryOutbox extends Outbox {
  /**
   * Runs `work` with a writer whose enqueues take effect only if `work` resolves: what a consumer's
   * transaction gives on a database. Save the consumer's checkpoint inside `work` too.
   */
  readonly transaction: <A>(work: (writer: OutboxWriter) => Promise<A>) => Promise<A>
}

interface Row {
  message: OutboxMessage
  leaseOwner?: string
  leaseExpiresAt?: Instant
}

// constructors

/** `clock` stamps `enqueuedAt`; default this process's clock. */
export const inMemoryOutbox = (options: { readonly clock?: () => Instant } = {}): InMemoryOutbox => {
  const clock = options.clock ?? (() => instantOf(Date.now()))
  const rows = new Map<string, Row>()
  const byKey = new Map<string, string>()
  let nextId = 1
  const keyOf = (channel: string, dedupeKey: string) => JSON.stringify([channel, dedupeKey])

  const plan = (messages: ReadonlyArray<NewOutboxMessage>, staged: ReadonlySet<string>) => {
    const enqueued: NewOutboxMessage[] = []
    const duplicates: string[] = []
    const seen = new Set(staged)
    for (const m of messages) {
      const k = keyOf(m.channel, m.dedupeKey)
      if (byKey.has(k) || seen.has(k)) duplicates.push(m.dedupeKey)
      else {
        seen.add(k)
        enqueued.push(m)
      }
    }
    return { enqueued, duplicates }
  }

  const write = (messages: ReadonlyArray<NewOutboxMessage>) => {
    const enqueuedAt = clock()
    for (const m of messages) {
      const k = keyOf(m.channel, m.dedupeKey)
      if (byKey.has(k)) continue
      const id = String(nextId++)
      // A copy, so a caller mutating its payload afterwards changes nothing stored.
      const stored: OutboxMessage = { ...structuredClone(m), id, status: 'pending', attempts: 0, enqueuedAt }
      rows.set(id, { message: stored })
      byKey.set(k, id)
    }
  }

  const enqueueWith =
    (staging: { keys: Set<string>; messages: NewOutboxMessage[] } | undefined) =>
    (messages: ReadonlyArray<NewOutboxMessage>): TaskEither<OutboxError, EnqueueResult> =>
    async () => {
      const valid = validateOutboxMessages(messages)
      if (E.isLeft(valid)) return valid
      const { enqueued, duplicates } = plan(valid.right, staging?.keys ?? new Set())
      if (staging === undefined) write(enqueued)
      else
        for (const m of enqueued) {
          staging.keys.add(keyOf(m.channel, m.dedupeKey))
          staging.messages.push(m)
        }
      return E.right({ enqueued: enqueued.map((m) => m.dedupeKey), duplicates })
    }

  const held = (id: string, owner: string): E.Either<LeaseNotHeld, Row> => {
    const row = rows.get(id)
    return row !== undefined && row.message.status === 'pending' && row.leaseOwner === owner
      ? E.right(row)
      : E.left({ _tag: 'LeaseNotHeld', message: `outbox message ${id} is not held by ${owner}`, id, owner })
  }

  const clearLease = (row: Row) => {
    delete row.leaseOwner
    delete row.leaseExpiresAt
  }

  const copy = (m: OutboxMessage): OutboxMessage => structuredClone(m)

  return {
    enqueue: enqueueWith(undefined),
    transaction: async (work) => {
      const staging = { keys: new Set<string>(), messages: [] as NewOutboxMessage[] }
      const result = await work({ enqueue: enqueueWith(staging) })
      write(staging.messages)
      return result
    },
    claim: (request) => async () => {
      const bad = validateClaim(request)
      if (bad !== undefined) return E.left(bad)
      const expiresAt = instantOf(Date.parse(request.now) + request.leaseMs)
      const free = [...rows.values()]
        .filter(
          (r) =>
            r.message.channel === request.channel &&
            r.message.status === 'pending' &&
            r.message.availableAt <= request.now &&
            (r.leaseExpiresAt === undefined || r.leaseExpiresAt <= request.now),
        )
        .sort((a, b) => (a.message.availableAt < b.message.availableAt ? -1 : a.message.availableAt > b.message.availableAt ? 1 : Number(a.message.id) - Number(b.message.id)))
        .slice(0, request.limit ?? 10)
      return E.right(
        free.map((r): ClaimedMessage => {
          r.leaseOwner = request.owner
          r.leaseExpiresAt = expiresAt
          return { ...copy(r.message), leaseOwner: request.owner, leaseExpiresAt: expiresAt }
        }),
      )
    },
    markDelivered: (mark) => async () => {
      const bad = validateOutboxRequest('markDelivered', { id: mark.id, owner: mark.owner, at: mark.at })
      if (bad !== undefined) return E.left(bad)
      const row = held(mark.id, mark.owner)
      if (E.isLeft(row)) return row
      row.right.message = { ...row.right.message, status: 'delivered', deliveredAt: mark.at }
      clearLease(row.right)
      return E.right(undefined)
    },
    markFailed: (mark) => async () => {
      const bad = validateOutboxRequest('markFailed', { id: mark.id, owner: mark.owner, at: mark.at, retryAt: mark.retryAt, reason: mark.reason })
      if (bad !== undefined) return E.left(bad)
      const row = held(mark.id, mark.owner)
      if (E.isLeft(row)) return row
      const attempts = row.right.message.attempts + 1
      const lastError = trimReason(mark.reason)
      row.right.message =
        mark.retryAt === undefined
          ? { ...row.right.message, status: 'dead', attempts, lastError, deadAt: mark.at }
          : { ...row.right.message, attempts, lastError, availableAt: mark.retryAt }
      clearLease(row.right)
      return E.right({ status: row.right.message.status === 'dead' ? 'dead' : 'pending', attempts })
    },
    release: ({ owner, ids }) => async () => {
      const bad = validateOutboxRequest('release', { owner, ids })
      if (bad !== undefined) return E.left(bad)
      const released: string[] = []
      for (const id of ids) {
        const row = held(id, owner)
        if (E.isLeft(row)) continue
        clearLease(row.right)
        released.push(id)
      }
      return E.right(released)
    },
    find: (channel, dedupeKey) => async () => {
      const id = byKey.get(keyOf(channel, dedupeKey))
      const row = id === undefined ? undefined : rows.get(id)
      return E.right(row === undefined ? undefined : copy(row.message))
    },
    deadLetters: ({ channel, afterId, limit }) => async () =>
      E.right(
        [...rows.values()]
          .filter((r) => r.message.channel === channel && r.message.status === 'dead' && (afterId === undefined || Number(r.message.id) > Number(afterId)))
          .sort((a, b) => Number(a.message.id) - Number(b.message.id))
          .slice(0, limit ?? 100)
          .map((r) => copy(r.message)),
      ),
    requeue: ({ ids, at }) => async () => {
      const bad = validateOutboxRequest('requeue', { ids, at })
      if (bad !== undefined) return E.left(bad)
      const requeued: string[] = []
      for (const id of ids) {
        const row = rows.get(id)
        if (row === undefined || row.message.status !== 'dead') continue
        const { deadAt: _dead, ...rest } = row.message
        row.message = { ...rest, status: 'pending', attempts: 0, availableAt: at }
        requeued.push(id)
      }
      return E.right(requeued)
    },
  }
}
