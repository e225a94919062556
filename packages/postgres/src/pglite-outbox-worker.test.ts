// Two outbox workers on one channel of an embedded PostgreSQL outbox: each message delivered once, none left behind.
import { instantOf, startOutboxWorker, type OutboxHandler } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openEmbeddedStorage, type EmbeddedStorage } from './pglite-storage.js'
import { postgresOutbox } from './postgres-outbox.js'

let embedded: EmbeddedStorage
beforeAll(async () => {
  embedded = await openEmbeddedStorage({ inMemory: true })
})
afterAll(async () => {
  await embedded.close()
})

it('two workers drain a channel, each message delivered once, failures retried until delivered', async () => {
  const outbox = postgresOutbox(embedded.storage)
  const now = instantOf(Date.UTC(2025, 4, 6, 10))
  const keys = Array.from({ length: 24 }, (_, i) => `m${i}`)
  await outbox.enqueue(keys.map((k) => ({ channel: 'mail', recipientKey: `${k}@example.kz`, dedupeKey: k, payload: { k }, availableAt: now })))()
  const delivered = new Map<string, number>()
  const failedOnce = new Set<string>()
  const handler: OutboxHandler = (m) => async () => {
    // Every third message fails its first attempt; the retry is due at once (no backoff).
    if (Number(m.dedupeKey.slice(1)) % 3 === 0 && !failedOnce.has(m.dedupeKey)) {
      failedOnce.add(m.dedupeKey)
      return E.left({ _tag: 'DeliveryFailed', message: 'try later' })
    }
    delivered.set(m.dedupeKey, (delivered.get(m.dedupeKey) ?? 0) + 1)
    return E.right(undefined)
  }
  const retry = { initialDelayMs: 0, maxDelayMs: 0, maxAttempts: 5 }
  const workers = ['w1', 'w2'].map((owner) => startOutboxWorker({ outbox, channel: 'mail', owner, clock: () => now, retry, idleMs: 5, batchSize: 4, handler }))
  const deadline = Date.now() + 20_000
  while (delivered.size < keys.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  await Promise.all(workers.map((w) => w.stop()))
  expect([...delivered.keys()].sort()).toEqual([...keys].sort())
  expect([...delivered.values()].every((n) => n === 1)).toBe(true)
  expect(failedOnce.size).toBe(8)
  const last = await outbox.find('mail', 'm0')()
  expect(E.isRight(last) && last.right).toMatchObject({ status: 'delivered', attempts: 1, lastError: 'try later' })
})
