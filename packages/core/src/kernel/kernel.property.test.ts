import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect } from 'vitest'
import { assertFoldIsChunkable, expectReaches } from '../testing/arbitraries.js'
import { commandHandler } from './command-handler.js'
import { counterCatalog, counterDecider, type CounterEvent } from './counter.fixture.js'
import { createInMemoryStorage, inMemoryEventStore } from './in-memory-event-store.js'
import { instantOf } from './instant.js'
import type { EventMetadata } from './recorded-event.js'

const meta: EventMetadata = { actor: { party: 'supplier', id: 'p' }, at: instantOf(0) }
const eventArb: fc.Arbitrary<CounterEvent> = fc.oneof(
  fc.record({ type: fc.constant('Incremented' as const), data: fc.record({ by: fc.integer({ min: -5, max: 5 }) }) }),
  fc.record({ type: fc.constant('Reset' as const), data: fc.record({ reason: fc.string({ maxLength: 4 }) }) }),
)

describe('kernel properties', () => {
  test('folding all events at once equals folding them in chunks', () => {
    const histories = fc.array(eventArb, { maxLength: 60 })
    assertFoldIsChunkable(counterDecider(), histories)
    expectReaches(histories, {
      'five events or more': { atLeast: 0.4, reached: (h) => h.length >= 5 },
      'a reset after an increment': { atLeast: 0.3, reached: (h) => h.some((e, i) => e.type === 'Reset' && h.slice(0, i).some((x) => x.type === 'Incremented')) },
    })
  })

  const commandsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 12 })
  test('the concurrency generator reaches commands racing on one stream in a stated share of runs', () => {
    expectReaches(commandsArb, { 'two commands on one stream': { atLeast: 0.5, reached: (c) => c.some(([s], i) => c.slice(0, i).some(([s2]) => s2 === s)) } })
  })

  // How often the generator reaches each case of a repeated key, checked by the test after this one.
  const reached = { first: 0, replay: 0, otherStream: 0, otherRequest: 0 }
  test.prop([
    fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 1 }), fc.array(eventArb, { minLength: 1, maxLength: 3 }), fc.boolean()), {
      maxLength: 40,
    }),
  ])('appends with repeated idempotency keys write each key once, replay its first request and refuse any other', async (appends) => {
    const store = inMemoryEventStore(counterCatalog)
    const firsts = new Map<string, { readonly streamId: string; readonly events: ReadonlyArray<CounterEvent>; readonly result: unknown }>()
    const written = new Map<string, number>()
    for (const [k, s, generated, repeat] of appends) {
      const key = `k${k}`
      const first = firsts.get(key)
      // Half the time a used key comes back with its first request, as a retry would.
      const [streamId, events] = first !== undefined && repeat ? [first.streamId, first.events] : [`s${s}`, generated]
      const out = await store.append(streamId, events.map((event) => ({ event, metadata: meta })), { idempotencyKey: key })()
      if (first === undefined) {
        reached.first++
        expect(E.isRight(out) && out.right.replayed).toBe(false)
        firsts.set(key, { streamId, events, result: E.isRight(out) ? out.right : undefined })
        written.set(streamId, (written.get(streamId) ?? 0) + events.length)
      } else if (first.streamId !== streamId) {
        reached.otherStream++
        expect(E.isLeft(out) && out.left).toMatchObject({ _tag: 'IdempotencyKeyReused', differs: 'stream' })
      } else if (JSON.stringify(first.events) === JSON.stringify(events)) {
        reached.replay++
        expect(out).toEqual(E.right({ ...(first.result as object), replayed: true }))
      } else {
        reached.otherRequest++
        expect(E.isLeft(out) && out.left).toMatchObject({ _tag: 'IdempotencyKeyReused', differs: first.events.length === events.length ? 'events' : 'event-count' })
      }
    }
    for (const [streamId, count] of written) {
      const slice = await store.readStream(streamId)()
      expect(E.isRight(slice) && slice.right.version).toBe(count)
    }
    const all = await store.readAll({ after: 0, limit: 10_000 })()
    expect(E.isRight(all) && all.right.events.length).toBe([...written.values()].reduce((a, b) => a + b, 0))
  })

  test('the repeated-key property reaches replays, other streams and other requests, each in at least 5% of appends', () => {
    const total = reached.first + reached.replay + reached.otherStream + reached.otherRequest
    expect(total).toBeGreaterThan(200)
    for (const n of [reached.replay, reached.otherStream, reached.otherRequest]) expect(n / total).toBeGreaterThan(0.05)
  })

  test.prop([fc.scheduler(), commandsArb])(
    'random interleavings of concurrent commands never lose or duplicate an event',
    async (s, commands) => {
      // Every step of every handler (reads and appends) is released by the scheduler in a random order.
      const store = inMemoryEventStore(counterCatalog, createInMemoryStorage())
      const scheduled = {
        ...store,
        readStream: (id: string) => () => s.schedule(store.readStream(id)(), `read ${id}`),
        append: ((id, events, options) => () => s.schedule(store.append(id, events, options)(), `append ${id}`)) as typeof store.append,
      }
      const handle = commandHandler(scheduled, counterDecider(), { maxRetries: 100 })
      const outcomes = commands.map(([stream, by]) => handle(`counter-${stream}`, { type: 'Increment', by }, meta)())
      await s.waitFor(Promise.all(outcomes))
      const results = await Promise.all(outcomes)
      for (const r of results) expect(E.isRight(r)).toBe(true)
      for (const stream of [0, 1, 2]) {
        const mine = commands.filter(([st]) => st === stream)
        const slice = await store.readStream(`counter-${stream}`)()
        if (E.isLeft(slice)) throw new Error(slice.left.message)
        expect(slice.right.events.map((e) => e.streamVersion)).toEqual(mine.map((_, i) => i + 1))
        const sum = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b).join(',')
        expect(sum(slice.right.events.map((e) => (e.type === 'Incremented' ? e.data.by : 0)))).toBe(sum(mine.map(([, by]) => by)))
      }
      const all = await store.readAll({ after: 0, limit: 1000 })()
      expect(E.isRight(all) && all.right.events.map((e) => e.globalPosition)).toEqual(commands.map((_, i) => i + 1))
    },
  )

  // How often the generator interleaves a contract's events with others' and pages across them, checked after.
  const interleaved = { runs: 0, scattered: 0, paged: 0 }
  test.prop([
    fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('A', 'B', undefined), fc.array(eventArb, { minLength: 1, maxLength: 3 })), { minLength: 4, maxLength: 30 }),
    fc.integer({ min: 1, max: 4 }),
    // Half the time from the start, otherwise from anywhere in the log.
    fc.oneof(fc.constant(0), fc.nat(40)),
  ])("a contract's read is the log filtered to the appends that named it, from any position, in pages of any size", async (appends, limit, from) => {
    const store = inMemoryEventStore(counterCatalog)
    const named = new Map<number, string>()
    for (const [stream, contractId, events] of appends) {
      const out = await store.append(`s${stream}-${contractId ?? 'none'}`, events.map((event) => ({ event, metadata: meta })), contractId === undefined ? {} : { contractId })()
      if (E.isLeft(out)) throw new Error(out.left.message)
      for (let p = out.right.fromPosition; p <= out.right.toPosition; p++) if (contractId !== undefined) named.set(p, contractId)
    }
    const all = await store.readAll({ after: 0, limit: 10_000 })()
    if (E.isLeft(all)) throw new Error(all.left.message)
    interleaved.runs++
    for (const contractId of ['A', 'B']) {
      const expected = all.right.events.filter((e) => named.get(e.globalPosition) === contractId && e.globalPosition > from)
      const read = []
      let pages = 0
      for (let after = from; ; ) {
        const page = await store.readContract(contractId, { after, limit })()
        if (E.isLeft(page)) throw new Error(page.left.message)
        expect(page.right.events.length).toBeLessThanOrEqual(limit)
        if (page.right.events.length === 0) {
          expect(page.right.next).toBe(after)
          break
        }
        pages++
        read.push(...page.right.events)
        after = page.right.next
      }
      expect(read).toEqual(expected)
      const positions = expected.map((e) => e.globalPosition)
      if (contractId === 'A' && positions.length > 1 && positions[positions.length - 1]! - positions[0]! >= positions.length) interleaved.scattered++
      if (contractId === 'A' && pages > 1) interleaved.paged++
    }
  })

  test('the contract-read property reaches interleaved contracts read over several pages', () => {
    expect(interleaved.runs).toBeGreaterThan(50)
    expect(interleaved.scattered / interleaved.runs).toBeGreaterThan(0.3)
    expect(interleaved.paged / interleaved.runs).toBeGreaterThan(0.3)
  })
})
