// The outbox worker over the in-memory outbox: outcomes settled, retries timed, a graceful stop, workers side by side.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { inMemoryOutbox } from './in-memory-outbox.js'
import { addMillis, instantOf, type Instant } from './instant.js'
import type { NewOutboxMessage, Outbox, OutboxHandler } from './outbox.js'
import { drainOnce, startOutboxWorker, type OutboxWorkerLogEntry } from './outbox-worker.js'

const T0 = instantOf(Date.UTC(2025, 4, 6, 10, 0, 0))
const message = (key: string): NewOutboxMessage => ({ channel: 'mail', recipientKey: `${key}@example.kz`, dedupeKey: key, payload: { key }, availableAt: T0 })
const delivered: OutboxHandler = () => async () => E.right(undefined)
const until = async (check: () => Promise<boolean> | boolean, ms = 5_000) => {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}
const statusOf = async (outbox: Outbox, key: string) => {
  const found = await outbox.find('mail', key)()
  return E.isRight(found) ? found.right : undefined
}

describe('outbox worker', () => {
  it('delivers every message of its channel and reports each', async () => {
    const outbox = inMemoryOutbox()
    await outbox.enqueue([message('a'), message('b'), message('c'), { ...message('x'), channel: 'redmine' }])()
    const seen: string[] = []
    const log: OutboxWorkerLogEntry[] = []
    const worker = startOutboxWorker({
      outbox, channel: 'mail', clock: () => T0, idleMs: 5, batchSize: 2, logger: (e) => log.push(e),
      handler: (m) => async () => {
        seen.push(m.dedupeKey)
        return E.right(undefined)
      },
    })
    await until(async () => (await statusOf(outbox, 'c'))?.status === 'delivered')
    await worker.stop()
    expect(seen).toEqual(['a', 'b', 'c'])
    expect(log.filter((e) => e._tag === 'Delivered').map((e) => e._tag === 'Delivered' && e.recipientKey)).toEqual(['a@example.kz', 'b@example.kz', 'c@example.kz'])
    expect(log[log.length - 1]).toMatchObject({ _tag: 'Stopped', delivered: 3, failed: 0 })
    expect((await outbox.find('redmine', 'x')())).toMatchObject({ right: { status: 'pending' } })
  })

  it('a failure is retried after the jittered backoff, a thrown error counts as one, and the last attempt dead-letters', async () => {
    const outbox = inMemoryOutbox()
    await outbox.enqueue([message('m')])()
    let now: Instant = T0
    const log: OutboxWorkerLogEntry[] = []
    const options = {
      outbox, channel: 'mail', owner: 'w', clock: () => now, random: () => 0.5, logger: (e: OutboxWorkerLogEntry) => log.push(e),
      retry: { initialDelayMs: 1_000, maxDelayMs: 10_000, maxAttempts: 3 },
      handler: (): ReturnType<OutboxHandler> => async () => {
        if (log.length < 3) return E.left({ _tag: 'DeliveryFailed', message: 'SMTP 451 greylisted' })
        throw new Error('connection reset')
      },
    }
    expect(await drainOnce(options)).toEqual({ claimed: 1, delivered: 0, failed: 1, released: 0 })
    // Backoff 1 s, of which the upper half is jitter: 0.5 puts it at 750 ms.
    expect(log[1]).toMatchObject({ _tag: 'RetryScheduled', attempts: 1, reason: 'SMTP 451 greylisted', retryAt: addMillis(T0, 750) })
    now = addMillis(T0, 749)
    expect((await drainOnce(options)).claimed).toBe(0)
    now = addMillis(T0, 750)
    await drainOnce(options)
    expect(log[3]).toMatchObject({ _tag: 'RetryScheduled', attempts: 2, reason: 'connection reset', retryAt: addMillis(now, 1_500) })
    now = addMillis(now, 1_500)
    await drainOnce(options)
    expect(log[5]).toMatchObject({ _tag: 'DeadLettered', attempts: 3, reason: 'connection reset', level: 'error' })
    expect(await statusOf(outbox, 'm')).toMatchObject({ status: 'dead', attempts: 3 })
  })

  it('a permanent failure dead-letters at once', async () => {
    const outbox = inMemoryOutbox()
    await outbox.enqueue([message('m')])()
    await drainOnce({ outbox, channel: 'mail', owner: 'w', clock: () => T0, handler: () => async () => E.left({ _tag: 'DeliveryFailed', message: '550 no such user', permanent: true }) })
    expect(await statusOf(outbox, 'm')).toMatchObject({ status: 'dead', attempts: 1, lastError: '550 no such user' })
  })

  it('stopping finishes the message in hand and releases the rest of the batch untried', async () => {
    const outbox = inMemoryOutbox()
    await outbox.enqueue([message('a'), message('b'), message('c')])()
    let finish: () => void = () => undefined
    const started: string[] = []
    const log: OutboxWorkerLogEntry[] = []
    const worker = startOutboxWorker({
      outbox, channel: 'mail', owner: 'w', clock: () => T0, idleMs: 5, logger: (e) => log.push(e),
      handler: (m) => async () => {
        started.push(m.dedupeKey)
        await new Promise<void>((r) => (finish = r))
        return E.right(undefined)
      },
    })
    await until(() => started.length === 1)
    let stopped = false
    const stopping = worker.stop().then(() => (stopped = true))
    await new Promise((r) => setTimeout(r, 20))
    expect(stopped).toBe(false)
    finish()
    await stopping
    expect(started).toEqual(['a'])
    expect(await statusOf(outbox, 'a')).toMatchObject({ status: 'delivered' })
    expect(log.find((e) => e._tag === 'Released')).toMatchObject({ ids: ['2', '3'] })
    // Released, not failed: another worker takes them at once with no attempt counted.
    const again = await outbox.claim({ channel: 'mail', owner: 'w2', now: T0, leaseMs: 1_000 })()
    expect(E.isRight(again) && again.right.map((m) => [m.dedupeKey, m.attempts])).toEqual([['b', 0], ['c', 0]])
  })

  it('a message whose lease ran out before its turn is left to whoever takes it next', async () => {
    const outbox = inMemoryOutbox()
    await outbox.enqueue([message('slow'), message('late')])()
    let now: Instant = T0
    const handled: string[] = []
    const pass = await drainOnce({
      outbox, channel: 'mail', owner: 'w', clock: () => now, leaseMs: 1_000,
      handler: (m) => async () => {
        handled.push(m.dedupeKey)
        now = addMillis(now, 1_000)
        return E.right(undefined)
      },
    })
    expect(handled).toEqual(['slow'])
    expect(pass).toMatchObject({ delivered: 1, released: 1 })
  })

  it('two workers on one channel deliver each message once', async () => {
    const outbox = inMemoryOutbox()
    const keys = Array.from({ length: 30 }, (_, i) => `m${i}`)
    await outbox.enqueue(keys.map(message))()
    const count = new Map<string, number>()
    const by = new Set<string>()
    const handler = (name: string): OutboxHandler => (m) => async () => {
      count.set(m.dedupeKey, (count.get(m.dedupeKey) ?? 0) + 1)
      by.add(name)
      await new Promise((r) => setTimeout(r, 1))
      return E.right(undefined)
    }
    const workers = ['w1', 'w2'].map((owner) => startOutboxWorker({ outbox, channel: 'mail', owner, clock: () => T0, idleMs: 5, batchSize: 3, handler: handler(owner) }))
    await until(() => count.size === 30)
    await Promise.all(workers.map((w) => w.stop()))
    expect([...count.values()].every((c) => c === 1)).toBe(true)
    expect(by.size).toBe(2)
  })

  it('an outbox that fails is reported and retried, and the worker keeps going', async () => {
    const inner = inMemoryOutbox()
    await inner.enqueue([message('m')])()
    let failures = 1
    const outbox: Outbox = {
      ...inner,
      claim: (r) => async () => (failures-- > 0 ? E.left({ _tag: 'StoreUnavailable', message: 'connection refused', cause: undefined }) : inner.claim(r)()),
    }
    const log: OutboxWorkerLogEntry[] = []
    const worker = startOutboxWorker({ outbox, channel: 'mail', clock: () => T0, idleMs: 5, handler: delivered, logger: (e) => log.push(e) })
    await until(async () => (await statusOf(inner, 'm'))?.status === 'delivered')
    await worker.stop()
    expect(log[0]).toMatchObject({ _tag: 'OutboxFailed', operation: 'claim', level: 'error' })
  })
})
