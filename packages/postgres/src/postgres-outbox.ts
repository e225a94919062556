/** The Outbox in PostgreSQL: one table, claims by `FOR UPDATE SKIP LOCKED`, enqueues that join a consumer's transaction. */
import {
  storeUnavailable,
  trimReason,
  validateClaim,
  validateOutboxMessages,
  validateOutboxRequest,
  type ClaimedMessage,
  type EnqueueResult,
  type Instant,
  type NewOutboxMessage,
  type Outbox,
  type OutboxError,
  type OutboxMessage,
  type OutboxWriter,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { PostgresStorage } from './postgres-event-store.js'

// model

export interface PostgresOutbox extends Outbox {
  /** A writer inside `tx` (a consumer's `handle`): its messages commit or roll back with the transaction. */
  readonly within: (tx: Transaction<unknown>) => OutboxWriter
}

interface OutboxRow {
  readonly id: string | number
  readonly channel: string
  readonly recipient_key: string
  readonly dedupe_key: string
  readonly payload: unknown
  readonly source_position: string | number | null
  readonly available_at: string
  readonly attempts: number
  readonly last_error: string | null
  readonly created_at: string
  readonly delivered_at: string | null
  readonly dead_at: string | null
  readonly lease_owner: string | null
  readonly lease_expires_at: string | null
}

// constructors

/** The outbox of a migrated schema; `enqueuedAt` comes from the storage's clock. */
export const postgresOutbox = (storage: PostgresStorage): PostgresOutbox => {
  const { db } = storage.database
  const q = sql.raw(storage.names.q)
  const iso = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)
  const columns = sql`id, channel, recipient_key, dedupe_key, payload, source_position, ${iso('available_at')} AS available_at, attempts, last_error,
    ${iso('created_at')} AS created_at, ${iso('delivered_at')} AS delivered_at, ${iso('dead_at')} AS dead_at, lease_owner, ${iso('lease_expires_at')} AS lease_expires_at`

  const attempt = async <A>(work: () => Promise<E.Either<OutboxError, A>>): Promise<E.Either<OutboxError, A>> => {
    try {
      return await work()
    } catch (e) {
      return E.left(storeUnavailable(e))
    }
  }
  const rowsOf = async <R>(query: RawBuilder<R>, on: Kysely<unknown> = db): Promise<ReadonlyArray<R>> => (await query.execute(on)).rows

  const enqueueOn = (on: Kysely<unknown>) => (messages: ReadonlyArray<NewOutboxMessage>): TaskEither<OutboxError, EnqueueResult> => () =>
    attempt(async () => {
      const valid = validateOutboxMessages(messages)
      if (E.isLeft(valid)) return valid
      // The first of a repeated key wins, as a second enqueue would lose to it.
      const seen = new Set<string>()
      const fresh = valid.right.filter((m) => {
        const k = JSON.stringify([m.channel, m.dedupeKey])
        if (seen.has(k)) return false
        seen.add(k)
        return true
      })
      const written = new Set<string>()
      if (fresh.length > 0) {
        const rows = await rowsOf(
          sql<{ channel: string; dedupe_key: string }>`
            INSERT INTO ${q}.outbox (channel, recipient_key, dedupe_key, payload, source_position, available_at, created_at)
            SELECT channel, recipient_key, dedupe_key, payload::jsonb, source_position, available_at::timestamptz, ${storage.clock()}::timestamptz
            FROM unnest(${fresh.map((m) => m.channel)}::text[], ${fresh.map((m) => m.recipientKey)}::text[], ${fresh.map((m) => m.dedupeKey)}::text[],
              ${fresh.map((m) => JSON.stringify(m.payload))}::text[], ${fresh.map((m) => m.sourcePosition ?? null)}::bigint[],
              ${fresh.map((m) => m.availableAt)}::text[]) WITH ORDINALITY AS u(channel, recipient_key, dedupe_key, payload, source_position, available_at, o)
            ORDER BY o
            ON CONFLICT (channel, dedupe_key) DO NOTHING
            RETURNING channel, dedupe_key`,
          on,
        )
        for (const r of rows) written.add(JSON.stringify([r.channel, r.dedupe_key]))
      }
      const enqueued: string[] = []
      const duplicates: string[] = []
      const taken = new Set<string>()
      for (const m of valid.right) {
        const k = JSON.stringify([m.channel, m.dedupeKey])
        if (written.has(k) && !taken.has(k)) {
          taken.add(k)
          enqueued.push(m.dedupeKey)
        } else duplicates.push(m.dedupeKey)
      }
      return E.right({ enqueued, duplicates })
    })

  const notHeld = (id: string, owner: string): OutboxError => ({ _tag: 'LeaseNotHeld', message: `outbox message ${id} is not held by ${owner}`, id, owner })
  const held = sql`delivered_at IS NULL AND dead_at IS NULL`

  return {
    enqueue: enqueueOn(db),
    within: (tx) => ({ enqueue: enqueueOn(tx) }),
    claim: (request) => () =>
      attempt(async () => {
        const bad = validateClaim(request)
        if (bad !== undefined) return E.left(bad)
        const now = request.now
        // SKIP LOCKED lets claimers pass each other; the re-check under the row lock keeps a lease
        // taken a moment ago by another claimer from being taken again.
        const rows = await rowsOf(sql<OutboxRow>`
          UPDATE ${q}.outbox o SET lease_owner = ${request.owner},
            lease_expires_at = ${now}::timestamptz + ${request.leaseMs} * interval '1 millisecond'
          WHERE o.id IN (
            SELECT f.id FROM ${q}.outbox f
            WHERE f.channel = ${request.channel} AND f.delivered_at IS NULL AND f.dead_at IS NULL AND f.available_at <= ${now}::timestamptz
              AND (f.lease_expires_at IS NULL OR f.lease_expires_at <= ${now}::timestamptz)
            ORDER BY f.available_at, f.id LIMIT ${request.limit ?? 10} FOR UPDATE SKIP LOCKED)
          RETURNING ${columns}`)
        const claimed = rows.map((r) => toClaimed(r)).sort((a, b) => (a.availableAt < b.availableAt ? -1 : a.availableAt > b.availableAt ? 1 : Number(a.id) - Number(b.id)))
        return E.right(claimed)
      }),
    markDelivered: (mark) => () =>
      attempt(async () => {
        const bad = validateOutboxRequest('markDelivered', { id: mark.id, owner: mark.owner, at: mark.at })
        if (bad !== undefined) return E.left(bad)
        const rows = await rowsOf(sql`
          UPDATE ${q}.outbox SET delivered_at = ${mark.at}::timestamptz, lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ${mark.id}::bigint AND lease_owner = ${mark.owner} AND ${held} RETURNING id`)
        return rows.length === 0 ? E.left(notHeld(mark.id, mark.owner)) : E.right(undefined)
      }),
    markFailed: (mark) => () =>
      attempt(async () => {
        const bad = validateOutboxRequest('markFailed', { id: mark.id, owner: mark.owner, at: mark.at, retryAt: mark.retryAt, reason: mark.reason })
        if (bad !== undefined) return E.left(bad)
        const retryAt = mark.retryAt ?? null
        const rows = await rowsOf(sql<{ attempts: number; dead: boolean }>`
          UPDATE ${q}.outbox SET attempts = attempts + 1, last_error = ${trimReason(mark.reason)},
            available_at = COALESCE(${retryAt}::timestamptz, available_at),
            dead_at = CASE WHEN ${retryAt}::timestamptz IS NULL THEN ${mark.at}::timestamptz END,
            lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ${mark.id}::bigint AND lease_owner = ${mark.owner} AND ${held}
          RETURNING attempts, dead_at IS NOT NULL AS dead`)
        const row = rows[0]
        return row === undefined ? E.left(notHeld(mark.id, mark.owner)) : E.right({ status: row.dead ? 'dead' : 'pending', attempts: Number(row.attempts) })
      }),
    release: ({ owner, ids }) => () =>
      attempt(async () => {
        const bad = validateOutboxRequest('release', { owner, ids })
        if (bad !== undefined) return E.left(bad)
        if (ids.length === 0) return E.right([])
        const rows = await rowsOf(sql<{ id: string | number }>`
          UPDATE ${q}.outbox SET lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ANY(${ids}::bigint[]) AND lease_owner = ${owner} AND ${held} RETURNING id`)
        const released = new Set(rows.map((r) => String(r.id)))
        return E.right(ids.filter((id) => released.has(id)))
      }),
    find: (channel, dedupeKey) => () =>
      attempt(async () => {
        const rows = await rowsOf(sql<OutboxRow>`SELECT ${columns} FROM ${q}.outbox WHERE channel = ${channel} AND dedupe_key = ${dedupeKey}`)
        const row = rows[0]
        return E.right(row === undefined ? undefined : toMessage(row))
      }),
    deadLetters: ({ channel, afterId, limit }) => () =>
      attempt(async () => {
        const bad = validateOutboxRequest('deadLetters', afterId === undefined ? {} : { id: afterId })
        if (bad !== undefined) return E.left(bad)
        const rows = await rowsOf(sql<OutboxRow>`
          SELECT ${columns} FROM ${q}.outbox WHERE channel = ${channel} AND dead_at IS NOT NULL AND id > ${afterId ?? '0'}::bigint
          ORDER BY id LIMIT ${limit ?? 100}`)
        return E.right(rows.map(toMessage))
      }),
    requeue: ({ ids, at }) => () =>
      attempt(async () => {
        const bad = validateOutboxRequest('requeue', { ids, at })
        if (bad !== undefined) return E.left(bad)
        if (ids.length === 0) return E.right([])
        const rows = await rowsOf(sql<{ id: string | number }>`
          UPDATE ${q}.outbox SET dead_at = NULL, attempts = 0, available_at = ${at}::timestamptz
          WHERE id = ANY(${ids}::bigint[]) AND dead_at IS NOT NULL RETURNING id`)
        const requeued = new Set(rows.map((r) => String(r.id)))
        return E.right(ids.filter((id) => requeued.has(id)))
      }),
  }
}

// operations

const toMessage = (r: OutboxRow): OutboxMessage => ({
  id: String(r.id),
  channel: r.channel,
  recipientKey: r.recipient_key,
  dedupeKey: r.dedupe_key,
  payload: r.payload,
  ...(r.source_position === null ? {} : { sourcePosition: Number(r.source_position) }),
  availableAt: r.available_at as Instant,
  status: r.delivered_at !== null ? 'delivered' : r.dead_at !== null ? 'dead' : 'pending',
  attempts: Number(r.attempts),
  enqueuedAt: r.created_at as Instant,
  ...(r.last_error === null ? {} : { lastError: r.last_error }),
  ...(r.delivered_at === null ? {} : { deliveredAt: r.delivered_at as Instant }),
  ...(r.dead_at === null ? {} : { deadAt: r.dead_at as Instant }),
})

const toClaimed = (r: OutboxRow): ClaimedMessage => ({ ...toMessage(r), leaseOwner: r.lease_owner ?? '', leaseExpiresAt: r.lease_expires_at as Instant })
