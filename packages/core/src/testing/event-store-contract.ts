/** The EventStore contract: one suite that every store (in-memory, PostgreSQL, PGlite) must pass. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventCatalog, eventType, upcaster, type EventCatalog } from '../kernel/event-catalog.js'
import type { AppendError, AppendResult, EventStore, ExpectedVersion } from '../kernel/event-store.js'
import { instantOf } from '../kernel/instant.js'
import type { DomainEvent, EventMetadata, NewEvent, RecordedEvent } from '../kernel/recorded-event.js'

// model

/** Storage under test. Stores made from one fixture share their events, as stores on one database do. */
export interface EventStoreFixture {
  /** A store for the catalog, over the fixture's shared storage. */
  readonly store: <Ev extends DomainEvent>(catalog: EventCatalog<Ev>) => EventStore<Ev>
  /** Releases what the fixture opened; called after each case. */
  readonly close?: () => Promise<void>
}

// the events the suite writes

const Counted = eventType('Counted', t.readonly(t.type({ n: t.number })))
const Noted = eventType('Noted', t.readonly(t.type({ text: t.string })))
const catalog = eventCatalog([Counted, Noted])
type TestEvent = (typeof catalog)['codec']['_A']

/** Writes anything as `Counted`: how the suite plants stored data that the strict catalog cannot decode. */
const looseCatalog = eventCatalog([eventType('Counted', t.type({ n: t.unknown })), Noted])
const strangerCatalog = eventCatalog([eventType('Mystery', t.type({})), Noted])

/** Version 1 of `Counted` stored `count`; version 2 renames it to `n`. */
const CountedV1 = eventType('Counted', t.type({ count: t.number }))
const countedV2 = eventCatalog([
  eventType('Counted', t.readonly(t.type({ n: t.number })), {
    version: 2,
    upcasters: [upcaster(1, t.type({ count: t.number }), (old) => ({ n: old.count }))],
  }),
  Noted,
])

const meta = (i = 0): EventMetadata => ({
  actor: { party: 'supplier', id: 'contract-suite' },
  occurredAt: instantOf(Date.UTC(2025, 0, 1, 9, 0, 0) + i * 1000),
  correlationId: `corr-${i}`,
})
const counted = (n: number): NewEvent<TestEvent> => ({ event: { type: 'Counted', data: { n } }, metadata: meta(n) })
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)

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
 * Registers the contract tests for one store. `setup` runs once; the suite writes only to
 * streams it names itself, so a fixture may hold other data (a shared database).
 */
export const eventStoreContract = (name: string, setup: () => Promise<EventStoreFixture>): void => {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreFixture
    let store: EventStore<TestEvent>
    const run = Math.random().toString(36).slice(2, 10)
    let n = 0
    const stream = (label: string) => `contract-${run}-${label}-${++n}`

    beforeAll(async () => {
      fixture = await setup()
      store = fixture.store(catalog)
    })
    afterAll(async () => {
      await fixture?.close?.()
    })

    const versionOf = async (id: string) => right(await store.readStream(id)()).version

    describe('append and read back', () => {
      it('reads back what was appended, with envelope and metadata', async () => {
        const id = stream('roundtrip')
        const given = '0190a5e0-0000-7000-8000-000000000001'
        const events: NewEvent<TestEvent>[] = [
          { ...counted(1), eventId: given },
          { event: { type: 'Noted', data: { text: 'привет' } }, metadata: meta(2) },
          counted(3),
        ]
        const result = right(await store.append(id, events, { expectedVersion: 'no-stream' })())
        expect(result).toMatchObject({ streamId: id, fromVersion: 1, toVersion: 3 })
        expect(result.toPosition).toBeGreaterThan(result.fromPosition)
        expect(result.eventIds[0]).toBe(given)
        expect(new Set(result.eventIds).size).toBe(3)

        const slice = right(await store.readStream(id)())
        expect(slice.version).toBe(3)
        expect(slice.events.map((e) => [e.streamVersion, e.type, e.data])).toEqual([
          [1, 'Counted', { n: 1 }],
          [2, 'Noted', { text: 'привет' }],
          [3, 'Counted', { n: 3 }],
        ])
        expect(slice.events.map((e) => e.eventId)).toEqual(result.eventIds)
        expect(slice.events.map((e) => e.globalPosition)).toEqual([...slice.events.map((e) => e.globalPosition)].sort((a, b) => a - b))
        expect(slice.events[0]?.globalPosition).toBe(result.fromPosition)
        expect(slice.events[2]?.globalPosition).toBe(result.toPosition)
        const first = slice.events[0]!
        expect(first.metadata).toMatchObject(meta(1))
        expect(typeof first.metadata.recordedAt).toBe('string')
        expect(first.schemaVersion).toBe(1)
        expect(first.streamId).toBe(id)
      })

      it('reads a stream from a version, and an unknown stream as empty at version 0', async () => {
        const id = stream('from')
        right(await store.append(id, range(1, 5).map(counted))())
        const tail = right(await store.readStream(id, { fromVersion: 4 })())
        expect(tail.version).toBe(5)
        expect(tail.events.map((e) => e.streamVersion)).toEqual([4, 5])
        const none = right(await store.readStream(stream('never-written'))())
        expect(none).toMatchObject({ version: 0, events: [] })
      })

      it('keeps what it stored when the caller later mutates its objects', async () => {
        const id = stream('copy')
        const data = { n: 1 }
        right(await store.append(id, [{ event: { type: 'Counted', data }, metadata: meta() }])())
        data.n = 99
        expect(right(await store.readStream(id)()).events[0]?.data).toEqual({ n: 1 })
      })
    })

    describe('expected version', () => {
      const cases: ReadonlyArray<[string, ExpectedVersion, number, boolean]> = [
        ['no-stream on a new stream', 'no-stream', 0, true],
        ['no-stream on an existing stream', 'no-stream', 2, false],
        ['exists on a new stream', 'exists', 0, false],
        ['exists on an existing stream', 'exists', 2, true],
        ['exact 0 on a new stream', 0, 0, true],
        ['exact 0 on an existing stream', 0, 2, false],
        ['exact, matching', 2, 2, true],
        ['exact, behind', 1, 2, false],
        ['exact, ahead', 3, 2, false],
        ['exact on a new stream', 2, 0, false],
        ['any on a new stream', 'any', 0, true],
        ['any on an existing stream', 'any', 2, true],
      ]
      it.each(cases)('%s', async (_label, expected, existing, accepted) => {
        const id = stream('ev')
        if (existing > 0) right(await store.append(id, range(1, existing).map(counted))())
        const outcome = await store.append(id, [counted(100)], { expectedVersion: expected })()
        if (accepted) {
          expect(right(outcome)).toMatchObject({ fromVersion: existing + 1, toVersion: existing + 1 })
          expect(await versionOf(id)).toBe(existing + 1)
        } else {
          expect(left(outcome)).toMatchObject({ _tag: 'WrongExpectedVersion', streamId: id, expected, actual: existing })
          expect(await versionOf(id)).toBe(existing)
        }
      })
    })

    describe('idempotency keys', () => {
      it('a retry with the same key writes nothing and returns the first result', async () => {
        const id = stream('idem')
        const key = `key-${id}`
        const first = right(await store.append(id, [counted(1), counted(2)], { expectedVersion: 'no-stream', idempotencyKey: key })())
        // The retry carries the stale expectation it was first sent with; it must still get the first result.
        const again = right(await store.append(id, [counted(1), counted(2)], { expectedVersion: 'no-stream', idempotencyKey: key })())
        expect(first.replayed).toBe(false)
        expect(again).toEqual({ ...first, replayed: true })
        const slice = right(await store.readStream(id)())
        expect(slice.version).toBe(2)
        const page = right(await store.readAll({ after: first.fromPosition - 1, limit: 10_000 })())
        expect(page.events.filter((e) => e.streamId === id)).toHaveLength(2)
      })

      it('a key first used for another stream is refused and writes nothing', async () => {
        const a = stream('idem-a')
        const b = stream('idem-b')
        const key = `key-${a}`
        right(await store.append(a, [counted(1)], { idempotencyKey: key })())
        expect(left(await store.append(b, [counted(1)], { idempotencyKey: key })())).toMatchObject({
          _tag: 'IdempotencyKeyReused',
          firstStreamId: a,
          streamId: b,
          differs: 'stream',
        })
        expect(await versionOf(b)).toBe(0)
      })

      it('a refused append does not use up its key', async () => {
        const id = stream('idem-refused')
        const key = `key-${id}`
        right(await store.append(id, [counted(1)])())
        expect(left(await store.append(id, [counted(2)], { expectedVersion: 0, idempotencyKey: key })())._tag).toBe('WrongExpectedVersion')
        const ok = right(await store.append(id, [counted(2)], { expectedVersion: 1, idempotencyKey: key })())
        expect(ok.toVersion).toBe(2)
      })

      it('concurrent retries with one key write once and all return the same result', async () => {
        const id = stream('idem-race')
        const key = `key-${id}`
        const outcomes = await Promise.all(range(0, 8).map(() => store.append(id, [counted(7)], { idempotencyKey: key })()))
        const results = outcomes.map((o) => right(o))
        const { replayed: _, ...firstResult } = results.find((r) => !r.replayed) ?? results[0]!
        for (const r of results) expect(r).toEqual({ ...firstResult, replayed: r.replayed })
        expect(results.filter((r) => !r.replayed)).toHaveLength(1)
        expect(await versionOf(id)).toBe(1)
      })

      it('the same key with another expected version, event count or events is refused, says what differs, and writes nothing', async () => {
        const id = stream('idem-mismatch')
        const key = `key-${id}`
        const first = right(await store.append(id, [counted(1), counted(2)], { expectedVersion: 'no-stream', idempotencyKey: key })())
        const refused = async (events: ReadonlyArray<NewEvent<TestEvent>>, expectedVersion: ExpectedVersion) =>
          left(await store.append(id, events, { expectedVersion, idempotencyKey: key })())
        expect(await refused([counted(1), counted(2)], 'any')).toMatchObject({ _tag: 'IdempotencyKeyReused', differs: 'expected-version', streamId: id, firstStreamId: id })
        expect(await refused([counted(1)], 'no-stream')).toMatchObject({ _tag: 'IdempotencyKeyReused', differs: 'event-count' })
        expect(await refused([counted(1), counted(3)], 'no-stream')).toMatchObject({ _tag: 'IdempotencyKeyReused', differs: 'events' })
        expect(await versionOf(id)).toBe(2)
        // The request itself, sent again, is still a replay of the first.
        expect(right(await store.append(id, [counted(1), counted(2)], { expectedVersion: 'no-stream', idempotencyKey: key })())).toEqual({ ...first, replayed: true })
      })

      it('a retry whose events carry the ids the first try gave is a replay; other ids are another request', async () => {
        const id = stream('idem-ids')
        const key = `key-${id}`
        const withId = (n: number, eventId: string): NewEvent<TestEvent> => ({ ...counted(n), eventId })
        const ids = [crypto.randomUUID(), crypto.randomUUID()]
        const first = right(await store.append(id, [withId(1, ids[0]!)], { idempotencyKey: key })())
        expect(right(await store.append(id, [withId(1, ids[0]!)], { idempotencyKey: key })())).toEqual({ ...first, replayed: true })
        expect(left(await store.append(id, [withId(1, ids[1]!)], { idempotencyKey: key })())).toMatchObject({ _tag: 'IdempotencyKeyReused', differs: 'events' })
      })
    })

    describe('bad input', () => {
      it('refuses an event its codec rejects, naming it, and writes nothing', async () => {
        const id = stream('invalid')
        const bad = { event: { type: 'Counted', data: { n: 'one' } }, metadata: meta() } as unknown as NewEvent<TestEvent>
        const error = left(await store.append(id, [counted(1), bad])())
        expect(error).toMatchObject({ _tag: 'InvalidEvent', streamId: id, index: 1, type: 'Counted' })
        expect(await versionOf(id)).toBe(0)
      })

      it('refuses an empty append and a malformed expected version', async () => {
        const id = stream('empty')
        expect(left(await store.append(id, [])())._tag).toBe('InvalidAppend')
        expect(left(await store.append(id, [counted(1)], { expectedVersion: -1 })())._tag).toBe('InvalidAppend')
        expect(left(await store.append('', [counted(1)])())._tag).toBe('InvalidAppend')
        expect(await versionOf(id)).toBe(0)
      })
    })

    describe('concurrency', () => {
      it('concurrent appends at one expected version give exactly one winner', async () => {
        const id = stream('race')
        right(await store.append(id, [counted(0)])())
        for (const version of [1, 2, 3]) {
          const outcomes = await Promise.all(range(0, 8).map((i) => store.append(id, [counted(i)], { expectedVersion: version })()))
          const winners = outcomes.filter(E.isRight)
          expect(winners).toHaveLength(1)
          for (const o of outcomes.filter(E.isLeft)) {
            expect(o.left).toMatchObject({ _tag: 'WrongExpectedVersion', actual: version + 1 })
          }
          expect(await versionOf(id)).toBe(version + 1)
        }
      })

      it('concurrent no-stream appends to a new stream give exactly one winner', async () => {
        const id = stream('race-new')
        const outcomes = await Promise.all(range(0, 8).map((i) => store.append(id, [counted(i), counted(i)], { expectedVersion: 'no-stream' })()))
        expect(outcomes.filter(E.isRight)).toHaveLength(1)
        expect(await versionOf(id)).toBe(2)
      })

      it('concurrent unconditional appends lose nothing and keep each append contiguous', async () => {
        const id = stream('race-any')
        const writers = 12
        const results = (await Promise.all(range(0, writers).map((w) => store.append(id, [counted(w), counted(w), counted(w)])()))).map(
          (o) => right(o) as AppendResult,
        )
        const slice = right(await store.readStream(id)())
        expect(slice.version).toBe(writers * 3)
        expect(slice.events.map((e) => e.streamVersion)).toEqual(range(1, writers * 3))
        for (const r of results) {
          const mine = slice.events.slice(r.fromVersion - 1, r.toVersion)
          expect(mine.map((e) => e.eventId)).toEqual(r.eventIds)
          expect(new Set(mine.map((e) => (e.data as { n: number }).n)).size).toBe(1)
        }
      })
    })

    describe('global read', () => {
      it('returns every event in order from any position, nothing skipped', async () => {
        const streams = [stream('g'), stream('g'), stream('g')]
        const appended: AppendResult[] = []
        for (let i = 0; i < 9; i++) {
          appended.push(right(await store.append(streams[i % 3]!, [counted(i), counted(i + 100)])()))
        }
        const mine = new Set(streams)
        const start = appended[0]!.fromPosition - 1
        const readAllMine = async (after: number, limit: number) => {
          const out: RecordedEvent<TestEvent>[] = []
          for (let pos = after; ; ) {
            const page = right(await store.readAll({ after: pos, limit })())
            if (page.events.length === 0) break
            out.push(...page.events)
            expect(page.next).toBe(page.events[page.events.length - 1]!.globalPosition)
            pos = page.next
          }
          return out.filter((e) => mine.has(e.streamId))
        }
        const everything = await readAllMine(start, 4)
        expect(everything).toHaveLength(18)
        const positions = everything.map((e) => e.globalPosition)
        expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b))
        expect(everything.map((e) => e.eventId)).toEqual(appended.flatMap((r) => r.eventIds))
        for (const id of streams) {
          expect(everything.filter((e) => e.streamId === id).map((e) => e.streamVersion)).toEqual(range(1, 6))
        }
        for (const from of positions) {
          const tail = await readAllMine(from, 5)
          expect(tail.map((e) => e.globalPosition)).toEqual(positions.filter((p) => p > from))
        }
      })
    })

    describe('one contract', () => {
      const contract = (label: string) => `c-${run}-${label}-${++n}`
      const readContractAll = async (contractId: string, after: number, limit: number) => {
        const out: RecordedEvent<TestEvent>[] = []
        for (let pos = after; ; ) {
          const page = right(await store.readContract(contractId, { after: pos, limit })())
          if (page.events.length === 0) {
            expect(page.next).toBe(pos)
            break
          }
          expect(page.events.length).toBeLessThanOrEqual(limit)
          expect(page.next).toBe(page.events[page.events.length - 1]!.globalPosition)
          out.push(...page.events)
          pos = page.next
        }
        return out
      }

      it("reads only the contract's events, from all its streams, in log order from any position", async () => {
        const [a, b] = [contract('a'), contract('b')]
        const streams = { a: [stream('ca'), stream('ca')], b: [stream('cb')], none: [stream('cn')] }
        const expected: RecordedEvent<TestEvent>[] = []
        const appended: AppendResult[] = []
        // Interleaved: the contract's events are scattered through the log between others'.
        for (let i = 0; i < 12; i++) {
          const owner = i % 4 === 0 ? 'b' : i % 4 === 1 ? 'none' : 'a'
          const id = owner === 'a' ? streams.a[i % 2]! : owner === 'b' ? streams.b[0]! : streams.none[0]!
          const result = right(
            await store.append(id, [counted(i), counted(i + 100)], owner === 'a' ? { contractId: a } : owner === 'b' ? { contractId: b } : {})(),
          )
          appended.push(result)
          if (owner === 'a') expected.push(...right(await store.readStream(id, { fromVersion: result.fromVersion })()).events)
        }
        const start = appended[0]!.fromPosition - 1
        const ofA = await readContractAll(a, start, 3)
        expect(ofA.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId))
        expect(ofA).toEqual(expected)
        expect(new Set(ofA.map((e) => e.streamId))).toEqual(new Set(streams.a))
        // The same events as the global log filtered to the contract's streams.
        const all: RecordedEvent<TestEvent>[] = []
        for (let pos = start; ; ) {
          const page = right(await store.readAll({ after: pos, limit: 50 })())
          if (page.events.length === 0) break
          all.push(...page.events)
          pos = page.next
        }
        expect(all.filter((e) => streams.a.includes(e.streamId)).map((e) => e.globalPosition)).toEqual(ofA.map((e) => e.globalPosition))
        for (const from of [start, ...ofA.map((e) => e.globalPosition), ...appended.map((r) => r.toPosition)]) {
          const tail = await readContractAll(a, from, 4)
          expect(tail.map((e) => e.globalPosition)).toEqual(ofA.map((e) => e.globalPosition).filter((p) => p > from))
        }
        expect((await readContractAll(b, 0, 1000)).map((e) => e.streamId)).toEqual(Array(6).fill(streams.b[0]))
      })

      it('a contract with no events reads as an empty page at the position given', async () => {
        const page = right(await store.readContract(contract('none'), { after: 7 })())
        expect(page).toEqual({ events: [], next: 7 })
      })

      it('a replayed append adds nothing to the contract; a refused one writes nothing to it', async () => {
        const c = contract('replay')
        const id = stream('replay')
        const key = `key-${run}-${++n}`
        const first = right(await store.append(id, [counted(1)], { contractId: c, idempotencyKey: key })())
        expect(right(await store.append(id, [counted(1)], { contractId: c, idempotencyKey: key })()).replayed).toBe(true)
        expect(left(await store.append(id, [counted(2)], { contractId: c, expectedVersion: 0 })())._tag).toBe('WrongExpectedVersion')
        const events = await readContractAll(c, 0, 100)
        expect(events.map((e) => e.eventId)).toEqual(first.eventIds)
      })

      it('refuses an empty or oversized contract id and writes nothing', async () => {
        const id = stream('bad-contract')
        for (const contractId of ['', 'x'.repeat(257)]) {
          const error = left(await store.append(id, [counted(1)], { contractId })())
          expect(error._tag).toBe('InvalidAppend')
          expect(error.message).toContain('contract id')
        }
        expect(await versionOf(id)).toBe(0)
      })

      it("a stored event that does not decode is a typed error on the contract's read too", async () => {
        const c = contract('corrupt')
        const id = stream('ccorrupt')
        right(await store.append(id, [counted(1)], { contractId: c })())
        const planted = right(await fixture.store(looseCatalog).append(id, [{ event: { type: 'Counted', data: { n: 'x' } }, metadata: meta() }], { contractId: c })())
        expect(left(await store.readContract(c, { after: 0 })())).toMatchObject({
          _tag: 'EventDecodeFailed',
          streamId: id,
          streamVersion: 2,
          globalPosition: planted.fromPosition,
        })
      })
    })

    describe('subscriptions', () => {
      it('from a checkpoint, delivers every later event exactly once, including those appended while catching up', async () => {
        const id = stream('sub')
        const before = right(await store.append(id, range(1, 30).map(counted))())
        const checkpoint = before.fromPosition + 9 // after the stream's 10th event
        const received: RecordedEvent<TestEvent>[] = []
        const sub = store.subscribe({
          after: checkpoint,
          batchSize: 7,
          handle: async (events) => {
            received.push(...events)
            await sleep(2) // slow consumer: appends below land while it is still catching up
          },
        })
        let last = before
        for (let i = 0; i < 5; i++) {
          last = right(await store.append(id, range(100 + i * 4, 4).map(counted))())
          await sleep(1)
        }
        await sub.reached(last.toPosition)
        await sleep(20)
        await sub.stop()
        const mine = received.filter((e) => e.streamId === id)
        expect(mine.map((e) => e.streamVersion)).toEqual(range(11, 40))
        const all = received.map((e) => e.globalPosition)
        expect(all).toEqual([...new Set(all)].sort((a, b) => a - b))
        expect(all.every((p) => p > checkpoint)).toBe(true)
        expect(sub.position()).toBeGreaterThanOrEqual(last.toPosition)
      })

      it('a failing handler ends the subscription with its error and does not advance past the batch', async () => {
        const id = stream('sub-fail')
        const r = right(await store.append(id, [counted(1), counted(2)])())
        const sub = store.subscribe({
          after: r.fromPosition - 1,
          handle: async () => {
            throw new Error('handler broke')
          },
        })
        await expect(sub.ended).rejects.toThrow('handler broke')
        expect(sub.position()).toBe(r.fromPosition - 1)
        await expect(sub.reached(r.toPosition)).rejects.toThrow('handler broke')
      })
    })

    describe('schema versions', () => {
      it('upcasts an older stored version on read', async () => {
        const id = stream('upcast')
        const v1 = fixture.store(eventCatalog([CountedV1]))
        right(await v1.append(id, [{ event: { type: 'Counted', data: { count: 5 } }, metadata: meta() }])())
        const read = right(await fixture.store(countedV2).readStream(id)())
        expect(read.events[0]).toMatchObject({ type: 'Counted', schemaVersion: 2, data: { n: 5 } })
      })
    })

    // Last: these plant undecodable rows, which any later whole-log reader would meet.
    describe('stored data that does not decode', () => {
      it('is a typed error naming stream, version and path: on stream reads, global reads and subscriptions', async () => {
        const id = stream('corrupt')
        right(await store.append(id, [counted(1)])())
        const planted = right(await fixture.store(looseCatalog).append(id, [{ event: { type: 'Counted', data: { n: 'not a number' } }, metadata: meta() }])())

        const fromStream = left(await store.readStream(id)())
        expect(fromStream).toMatchObject({ _tag: 'EventDecodeFailed', streamId: id, streamVersion: 2, reason: 'invalid-data' })
        expect(fromStream._tag === 'EventDecodeFailed' && fromStream.issues.map((i) => i.path)).toEqual(['n'])
        expect(fromStream.message).toContain(id)

        const fromLog = left(await store.readAll({ after: planted.fromPosition - 1 })())
        expect(fromLog).toMatchObject({ _tag: 'EventDecodeFailed', streamId: id, streamVersion: 2, globalPosition: planted.fromPosition })

        const delivered: number[] = []
        const sub = store.subscribe({ after: planted.fromPosition - 1, handle: async (es) => void delivered.push(...es.map((e) => e.globalPosition)) })
        await expect(sub.ended).rejects.toThrow(/stream .* version 2/)
        expect(delivered).toEqual([])
      })

      it('an unknown event type is a typed error too', async () => {
        const id = stream('stranger')
        right(await fixture.store(strangerCatalog).append(id, [{ event: { type: 'Mystery', data: {} }, metadata: meta() }])())
        expect(left(await store.readStream(id)())).toMatchObject({ _tag: 'EventDecodeFailed', streamId: id, streamVersion: 1, reason: 'unknown-type', type: 'Mystery' })
      })
    })
  })
}

/** The append error type, re-exported for harnesses that assert on it. */
export type { AppendError }
