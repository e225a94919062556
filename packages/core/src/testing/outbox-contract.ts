/** The Outbox contract: one suite that every outbox (in memory, PostgreSQL, PGlite) must pass. */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventCatalog, eventType, type EventCatalog } from '../kernel/event-catalog.js'
import type { EventStore } from '../kernel/event-store.js'
import { instantOf, type Instant } from '../kernel/instant.js'
import type { NewOutboxMessage, Outbox, OutboxMessage, OutboxWriter } from '../kernel/outbox.js'
import type { DomainEvent, RecordedEvent } from '../kernel/recorded-event.js'

// model

/** A checkpointed consumer of the fixture's log, as the transactional cases drive it. */
export interface OutboxConsumerOptions<Ev extends DomainEvent> {
  readonly name: string
  readonly catalog: EventCatalog<Ev>
  readonly batchSize: number
  /** Runs inside the unit of work that saves the checkpoint; `writer` enqueues within it. A throw rolls back both. */
  readonly handle: (events: ReadonlyArray<RecordedEvent<Ev>>, writer: OutboxWriter) => Promise<void>
}

/** A consumer started by the suite: how it ended, how to stop it, and its checkpoint. */
export interface OutboxConsumerRun {
  /** Settles when the consumer ends: rejects with the handler's error. */
  readonly ended: Promise<void>
  /** Stops the consumer after the batch in hand; resolves when it has stopped. */
  readonly stop: () => Promise<void>
  /** The checkpoint saved so far (0 before the first batch). */
  readonly checkpoint: () => Promise<number>
}

/** Outbox under test, with the event store and the consumer whose transaction enqueues join. */
export interface OutboxFixture {
  readonly outbox: Outbox
  /** A store over the same storage as the outbox, for each catalog. */
  readonly store: <Ev extends DomainEvent>(catalog: EventCatalog<Ev>) => EventStore<Ev>
  /** Starts a consumer whose transaction may enqueue into the outbox, as the adapter runs one. */
  readonly startConsumer: <Ev extends DomainEvent>(options: OutboxConsumerOptions<Ev>) => OutboxConsumerRun
  /** Releases what the fixture opened; called after each case. */
  readonly close?: () => Promise<void>
}

// the events the transactional cases write

const Ordered = eventType('Ordered', t.readonly(t.type({ n: t.number })))
const catalog = eventCatalog([Ordered])
type TestEvent = (typeof catalog)['codec']['_A']

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0)
const at = (ms: number): Instant => instantOf(T0 + ms)

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected success, got ${JSON.stringify(e.left)}`)
  return e.right
}
const left = <L>(e: E.Either<L, unknown>): L => {
  if (E.isRight(e)) throw new Error(`expected a refusal, got ${JSON.stringify(e.right)}`)
  return e.left
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// the suite

/**
 * Registers the contract tests for one outbox. Every case uses channels of its own, so a fixture
 * may hold other data (a shared database).
 */
export const outboxContract = (name: string, setup: () => Promise<OutboxFixture>): void => {
  describe(`Outbox contract: ${name}`, () => {
    let fixture: OutboxFixture
    let outbox: Outbox
    const run = Math.random().toString(36).slice(2, 10)
    let n = 0
    const channel = (label: string) => `c-${run}-${label}-${++n}`
    const message = (ch: string, key: string, extra: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
      channel: ch,
      recipientKey: `to-${key}`,
      dedupeKey: key,
      payload: { key, lines: ['a', 'b'], n: 1.5, ok: true, none: null },
      availableAt: at(0),
      ...extra,
    })
    const enqueue = async (messages: ReadonlyArray<NewOutboxMessage>) => right(await outbox.enqueue(messages)())
    const find = async (ch: string, key: string) => right(await outbox.find(ch, key)())
    const claim = async (ch: string, owner: string, now: Instant, leaseMs = 60_000, limit = 10) =>
      right(await outbox.claim({ channel: ch, owner, now, leaseMs, limit })())

    beforeAll(async () => {
      fixture = await setup()
      outbox = fixture.outbox
    })
    afterAll(async () => {
      await fixture?.close?.()
    })

    describe('enqueue', () => {
      it('stores each message as given, pending with no attempts', async () => {
        const ch = channel('enqueue')
        const result = await enqueue([message(ch, 'a', { sourcePosition: 42, availableAt: at(5_000) }), message(ch, 'b')])
        expect(result).toEqual({ enqueued: ['a', 'b'], duplicates: [] })
        const a = await find(ch, 'a')
        expect(a).toMatchObject({
          channel: ch, recipientKey: 'to-a', dedupeKey: 'a', sourcePosition: 42, availableAt: at(5_000), status: 'pending', attempts: 0,
        })
        expect(a?.payload).toEqual({ key: 'a', lines: ['a', 'b'], n: 1.5, ok: true, none: null })
        const b = await find(ch, 'b')
        expect(b?.sourcePosition).toBeUndefined()
        expect(Number(b?.id)).toBeGreaterThan(Number(a?.id))
        expect(await find(ch, 'c')).toBeUndefined()
      })

      it('a second enqueue of the same dedupe key in a channel writes nothing, whatever its payload; another channel is apart', async () => {
        const ch = channel('dedupe')
        const other = channel('dedupe-other')
        await enqueue([message(ch, 'k', { payload: { v: 1 } })])
        const again = await enqueue([message(ch, 'k', { payload: { v: 2 } }), message(ch, 'j'), message(ch, 'j', { payload: { v: 3 } }), message(other, 'k')])
        expect(again).toEqual({ enqueued: ['j', 'k'], duplicates: ['k', 'j'] })
        expect((await find(ch, 'k'))?.payload).toEqual({ v: 1 })
        expect((await find(ch, 'j'))?.payload).toEqual({ key: 'j', lines: ['a', 'b'], n: 1.5, ok: true, none: null })
        expect((await find(other, 'k'))?.channel).toBe(other)
        // Delivered messages still block a re-enqueue: a replay after delivery sends nothing.
        const [held] = await claim(ch, 'w', at(0))
        expect(held).toBeDefined()
        right(await outbox.markDelivered({ id: held!.id, owner: 'w', at: at(1) })())
        expect((await enqueue([message(ch, held!.dedupeKey)])).duplicates).toEqual([held!.dedupeKey])
      })

      it.each([
        ['channel', { channel: '' }],
        ['recipientKey', { recipientKey: '' }],
        ['dedupeKey', { dedupeKey: 'x'.repeat(513) }],
        ['availableAt', { availableAt: '2025-03-03 09:00' as Instant }],
        ['payload', { payload: { when: new Date(0) } }],
        ['payload', { payload: Number.NaN }],
        ['payload', { payload: { text: 'a\u0000b' } }],
        ['recipientKey', { recipientKey: 'a\u0000b' }],
        ['sourcePosition', { sourcePosition: -1 }],
      ])('a message with a bad %s is refused by name and nothing of the call is written', async (field, bad) => {
        const ch = channel('invalid')
        const refused = left(await outbox.enqueue([message(ch, 'good'), { ...message(ch, 'bad'), ...bad }])())
        expect(refused).toMatchObject({ _tag: 'InvalidOutboxMessage', index: 1, field })
        expect(await find(ch, 'good')).toBeUndefined()
      })
    })

    describe('claims and leases', () => {
      it('claims the channel messages available by now, oldest first, up to the limit, and leases them', async () => {
        const ch = channel('claim')
        await enqueue([
          message(ch, 'late', { availableAt: at(10_000) }),
          message(ch, 'second', { availableAt: at(2_000) }),
          message(ch, 'first', { availableAt: at(1_000) }),
          message(ch, 'third', { availableAt: at(3_000) }),
          message(channel('elsewhere'), 'first'),
        ])
        const got = await claim(ch, 'w1', at(5_000), 30_000, 2)
        expect(got.map((m) => m.dedupeKey)).toEqual(['first', 'second'])
        expect(got[0]).toMatchObject({ leaseOwner: 'w1', leaseExpiresAt: at(35_000), status: 'pending', recipientKey: 'to-first' })
        expect((await claim(ch, 'w2', at(5_000))).map((m) => m.dedupeKey)).toEqual(['third'])
        expect(await claim(ch, 'w3', at(9_999))).toEqual([])
        expect((await claim(ch, 'w3', at(10_000))).map((m) => m.dedupeKey)).toEqual(['late'])
      })

      it('a lease holds until it expires, then another claimer takes the message and the first can no longer settle it', async () => {
        const ch = channel('lease')
        await enqueue([message(ch, 'm')])
        const [first] = await claim(ch, 'w1', at(0), 1_000)
        expect(await claim(ch, 'w2', at(999), 1_000)).toEqual([])
        const [second] = await claim(ch, 'w2', at(1_000), 1_000)
        expect(second?.id).toBe(first?.id)
        expect(second?.leaseOwner).toBe('w2')
        expect(left(await outbox.markDelivered({ id: first!.id, owner: 'w1', at: at(1_001) })())).toMatchObject({ _tag: 'LeaseNotHeld', id: first!.id, owner: 'w1' })
        right(await outbox.markDelivered({ id: second!.id, owner: 'w2', at: at(1_002) })())
        expect(await find(ch, 'm')).toMatchObject({ status: 'delivered', deliveredAt: at(1_002) })
      })

      it('an expired lease nobody took still lets its owner settle the message', async () => {
        const ch = channel('late-ack')
        await enqueue([message(ch, 'm')])
        const [m] = await claim(ch, 'w1', at(0), 1_000)
        right(await outbox.markDelivered({ id: m!.id, owner: 'w1', at: at(5_000) })())
        expect(await claim(ch, 'w2', at(6_000))).toEqual([])
      })

      it('two claimers racing never hold the same message, and together they take all', async () => {
        const ch = channel('race')
        const keys = Array.from({ length: 40 }, (_, i) => `m${i}`)
        await enqueue(keys.map((k) => message(ch, k)))
        const taken = new Map<string, string[]>()
        const claimer = async (owner: string) => {
          for (;;) {
            const got = await claim(ch, owner, at(0), 60_000, 3)
            if (got.length === 0) return
            for (const m of got) taken.set(m.id, [...(taken.get(m.id) ?? []), owner])
          }
        }
        await Promise.all(['a', 'b', 'c', 'd'].map(claimer))
        expect([...taken.values()].filter((owners) => owners.length > 1)).toEqual([])
        expect(taken.size).toBe(40)
        // The race is only a race if more than one claimer won something.
        expect(new Set([...taken.values()].flat()).size).toBeGreaterThan(1)
      })

      it('a claim with a bad field is refused by name', async () => {
        const ch = channel('bad-claim')
        expect(left(await outbox.claim({ channel: ch, owner: 'w', now: at(0), leaseMs: 0 })())).toMatchObject({ _tag: 'InvalidOutboxRequest', field: 'leaseMs' })
        expect(left(await outbox.claim({ channel: ch, owner: '', now: at(0), leaseMs: 10 })())).toMatchObject({ _tag: 'InvalidOutboxRequest', field: 'owner' })
        expect(left(await outbox.claim({ channel: ch, owner: 'w', now: 'now' as Instant, leaseMs: 10 })())).toMatchObject({ _tag: 'InvalidOutboxRequest', field: 'now' })
      })
    })

    describe('outcomes', () => {
      it('a delivered message is never claimed again, and a second mark is refused', async () => {
        const ch = channel('delivered')
        await enqueue([message(ch, 'm')])
        const [m] = await claim(ch, 'w', at(0), 1_000)
        right(await outbox.markDelivered({ id: m!.id, owner: 'w', at: at(10) })())
        expect(await claim(ch, 'w2', at(100_000))).toEqual([])
        expect(left(await outbox.markDelivered({ id: m!.id, owner: 'w', at: at(11) })())._tag).toBe('LeaseNotHeld')
        expect(left(await outbox.markFailed({ id: m!.id, owner: 'w', at: at(11), reason: 'late' })())._tag).toBe('LeaseNotHeld')
      })

      it('a failure with a retry counts the attempt, keeps the reason and waits until the retry', async () => {
        const ch = channel('retry')
        await enqueue([message(ch, 'm')])
        const [m] = await claim(ch, 'w', at(0))
        expect(right(await outbox.markFailed({ id: m!.id, owner: 'w', at: at(10), reason: 'SMTP 451 try later', retryAt: at(60_000) })())).toEqual({ status: 'pending', attempts: 1 })
        expect(await find(ch, 'm')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'SMTP 451 try later', availableAt: at(60_000) })
        expect(await claim(ch, 'w', at(59_999))).toEqual([])
        const [again] = await claim(ch, 'w2', at(60_000))
        expect(again).toMatchObject({ id: m!.id, attempts: 1 })
        expect(right(await outbox.markFailed({ id: m!.id, owner: 'w2', at: at(60_010), reason: 'x'.repeat(5_000), retryAt: at(120_000) })()).attempts).toBe(2)
        expect((await find(ch, 'm'))?.lastError).toHaveLength(2_000)
      })

      it('a failure without a retry dead-letters the message; a requeue makes it pending again from zero attempts', async () => {
        const ch = channel('dead')
        await enqueue([message(ch, 'd1'), message(ch, 'd2'), message(ch, 'ok')])
        const held = await claim(ch, 'w', at(0))
        const byKey = new Map(held.map((m) => [m.dedupeKey, m]))
        for (const key of ['d2', 'd1']) {
          expect(right(await outbox.markFailed({ id: byKey.get(key)!.id, owner: 'w', at: at(100), reason: `550 no such user ${key}` })())).toEqual({ status: 'dead', attempts: 1 })
        }
        const dead = right(await outbox.deadLetters({ channel: ch })())
        expect(dead.map((m) => m.dedupeKey)).toEqual(['d1', 'd2'])
        expect(dead[0]).toMatchObject({ status: 'dead', lastError: '550 no such user d1', deadAt: at(100), attempts: 1 })
        expect(right(await outbox.deadLetters({ channel: ch, afterId: dead[0]!.id, limit: 5 })()).map((m) => m.dedupeKey)).toEqual(['d2'])
        // Dead letters are never claimed; the message left held comes back once its lease expires.
        expect((await claim(ch, 'w2', at(1_000_000))).map((m) => m.dedupeKey)).toEqual(['ok'])

        const requeued = right(await outbox.requeue({ ids: [dead[0]!.id, byKey.get('ok')!.id], at: at(2_000) })())
        expect(requeued).toEqual([dead[0]!.id])
        expect(await find(ch, 'd1')).toMatchObject({ status: 'pending', attempts: 0, availableAt: at(2_000) })
        expect(right(await outbox.deadLetters({ channel: ch })()).map((m) => m.dedupeKey)).toEqual(['d2'])
        expect((await claim(ch, 'w3', at(1_000_000))).map((m) => m.dedupeKey)).toEqual(['d1'])
      })

      it('a release gives held messages back at once with their attempts unchanged; another owner cannot release them', async () => {
        const ch = channel('release')
        await enqueue([message(ch, 'a'), message(ch, 'b')])
        const held = await claim(ch, 'w', at(0), 60_000)
        const ids = held.map((m) => m.id)
        expect(right(await outbox.release({ owner: 'intruder', ids })())).toEqual([])
        expect(await claim(ch, 'w2', at(1))).toEqual([])
        expect([...right(await outbox.release({ owner: 'w', ids })())].sort()).toEqual([...ids].sort())
        const again = await claim(ch, 'w2', at(2))
        expect(again.map((m) => [m.id, m.attempts])).toEqual(held.map((m) => [m.id, 0]))
      })

      it('marks with a bad field are refused by name', async () => {
        expect(left(await outbox.markDelivered({ id: 'nope', owner: 'w', at: at(0) })())).toMatchObject({ _tag: 'InvalidOutboxRequest', field: 'id' })
        expect(left(await outbox.markFailed({ id: '1', owner: 'w', at: at(0), reason: 'r', retryAt: 'soon' as Instant })())).toMatchObject({ field: 'retryAt' })
        expect(left(await outbox.requeue({ ids: ['1'], at: 'now' as Instant })())).toMatchObject({ field: 'at' })
      })
    })

    it('property: over any interleaving of claims, outcomes, releases and time, no message has two live holders and settled ones stay settled', async () => {
      let reclaims = 0
      let claims = 0
      const op = fc.oneof(
        fc.record({ kind: fc.constant('claim' as const), owner: fc.constantFrom('p', 'q', 'r'), advance: fc.integer({ min: 0, max: 1_500 }), limit: fc.integer({ min: 1, max: 3 }) }),
        fc.record({ kind: fc.constantFrom('deliver' as const, 'retry' as const, 'dead' as const, 'release' as const), owner: fc.constantFrom('p', 'q', 'r'), pick: fc.nat() }),
      )
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(op, { minLength: 1, maxLength: 25 }), async (count, ops) => {
          const ch = channel('prop')
          await enqueue(Array.from({ length: count }, (_, i) => message(ch, `m${i}`)))
          let now = 0
          // The model: who holds what until when, and what is settled.
          const leases = new Map<string, { owner: string; until: number }>()
          const settled = new Set<string>()
          for (const o of ops) {
            if (o.kind === 'claim') {
              now += o.advance
              const got = await claim(ch, o.owner, at(now), 1_000, o.limit)
              for (const m of got) {
                claims++
                const before = leases.get(m.id)
                expect(settled.has(m.id)).toBe(false)
                if (before !== undefined) {
                  expect(before.until).toBeLessThanOrEqual(now)
                  reclaims++
                }
                leases.set(m.id, { owner: o.owner, until: now + 1_000 })
              }
              continue
            }
            const mine = [...leases.entries()].filter(([, l]) => l.owner === o.owner)
            const chosen = mine[o.pick % Math.max(1, mine.length)]
            if (chosen === undefined) continue
            const [id] = chosen
            if (o.kind === 'release') {
              right(await outbox.release({ owner: o.owner, ids: [id] })())
              leases.delete(id)
            } else if (o.kind === 'deliver') {
              right(await outbox.markDelivered({ id, owner: o.owner, at: at(now) })())
              leases.delete(id)
              settled.add(id)
            } else {
              const outcome = right(await outbox.markFailed({ id, owner: o.owner, at: at(now), reason: 'r', ...(o.kind === 'retry' ? { retryAt: at(now) } : {}) })())
              expect(outcome.status).toBe(o.kind === 'retry' ? 'pending' : 'dead')
              leases.delete(id)
              if (o.kind === 'dead') settled.add(id)
            }
          }
        }),
        { numRuns: 40 },
      )
      // The property is about expired leases being taken over: the runs must reach that state often.
      expect(claims).toBeGreaterThan(0)
      expect(reclaims / claims).toBeGreaterThan(0.05)
    })

    describe('with a consumer transaction', () => {
      const stream = (label: string) => `outbox-${run}-${label}-${++n}`
      const messageFor = (ch: string, e: RecordedEvent<TestEvent>): NewOutboxMessage => ({
        channel: ch,
        recipientKey: e.streamId,
        dedupeKey: e.eventId,
        payload: { n: e.data.n },
        availableAt: e.metadata.occurredAt,
        sourcePosition: e.globalPosition,
      })

      it('a message exists if and only if the event that caused it was handled: a failed batch leaves none, a restart writes each once', async () => {
        const store = fixture.store(catalog)
        const ch = channel('tx')
        const id = stream('tx')
        const appended = right(
          await store.append(
            id,
            [1, 2, -1, 4].map((v) => ({ event: { type: 'Ordered' as const, data: { n: v } }, metadata: { actor: { party: 'system' as const, id: 'outbox-suite' }, occurredAt: at(v * 1000) } })),
          )(),
        )
        const poisonPosition = appended.fromPosition + 2
        const handler = (failOnPoison: boolean) => async (events: ReadonlyArray<RecordedEvent<TestEvent>>, writer: OutboxWriter) => {
          const ours = events.filter((e) => e.streamId === id)
          right(await writer.enqueue(ours.map((e) => messageFor(ch, e)))())
          if (failOnPoison && ours.some((e) => e.data.n < 0)) throw new Error('poison event')
        }
        const consumerName = `outbox-suite-${run}-${++n}`
        const first = fixture.startConsumer({ name: consumerName, catalog, batchSize: 1, handle: handler(true) })
        await expect(first.ended).rejects.toThrow('poison event')
        await first.stop()
        const stopped = await first.checkpoint()
        expect(stopped).toBe(poisonPosition - 1)
        const present = async () => {
          const found: Array<OutboxMessage | undefined> = []
          for (const e of right(await store.readStream(id)()).events) found.push(await find(ch, e.eventId))
          return found
        }
        // Handled events have their message; the poison event's enqueue rolled back with its checkpoint.
        expect((await present()).map((m) => m?.payload)).toEqual([{ n: 1 }, { n: 2 }, undefined, undefined])

        const second = fixture.startConsumer({ name: consumerName, catalog, batchSize: 1, handle: handler(false) })
        const deadline = Date.now() + 30_000
        while ((await second.checkpoint()) < appended.toPosition) {
          if (Date.now() > deadline) throw new Error('consumer did not catch up')
          await sleep(20)
        }
        await second.stop()
        const after = await present()
        expect(after.map((m) => m?.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: -1 }, { n: 4 }])
        expect(after.map((m) => m?.sourcePosition)).toEqual(range(appended.fromPosition, 4))
        const held = await claim(ch, 'w', at(1_000_000), 1_000, 100)
        expect(held).toHaveLength(4)
      })
    })
  })
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)
