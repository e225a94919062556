import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect } from 'vitest'
import { assertFoldIsChunkable, expectReaches } from '../testing/arbitraries.js'
import { commandHandler } from './command-handler.js'
import { counterCatalog, counterDecider, type CounterEvent } from './counter.fixture.js'
import { createInMemoryStorage, inMemoryEventStore } from './in-memory-event-store.js'
import { instantOf } from './instant.js'
import type { EventMetadata } from './recorded-event.js'

const meta: EventMetadata = { actor: { party: 'supplier', id: 'p' }, occurredAt: instantOf(0) }
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

  const appendsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.array(eventArb, { minLength: 1, maxLength: 3 })), { maxLength: 40 })
  const commandsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 12 })
  test('the generators reach repeated keys on the same and on another stream, and commands racing on one stream, in a stated share of runs', () => {
    const repeats = (appends: ReadonlyArray<readonly [number, number, unknown]>, same: boolean) =>
      appends.some(([k, s], i) => appends.slice(0, i).some(([k2, s2]) => k2 === k && (s2 === s) === same))
    expectReaches(appendsArb, {
      'a key repeated on its own stream': { atLeast: 0.3, reached: (a) => repeats(a, true) },
      'a key repeated on another stream': { atLeast: 0.4, reached: (a) => repeats(a, false) },
    })
    expectReaches(commandsArb, { 'two commands on one stream': { atLeast: 0.5, reached: (c) => c.some(([s], i) => c.slice(0, i).some(([s2]) => s2 === s)) } })
  })

  test.prop([appendsArb])(
    'appends with repeated idempotency keys write each key once and repeat its first result',
    async (appends) => {
      const store = inMemoryEventStore(counterCatalog)
      const firsts = new Map<string, unknown>()
      const written = new Map<string, number>()
      for (const [k, s, events] of appends) {
        const key = `k${k}`
        const streamId = `s${s}`
        const out = await store.append(streamId, events.map((event) => ({ event, metadata: meta })), { idempotencyKey: key })()
        const first = firsts.get(key) as { streamId: string } | undefined
        if (first === undefined) {
          expect(E.isRight(out)).toBe(true)
          firsts.set(key, E.isRight(out) ? out.right : undefined)
          written.set(streamId, (written.get(streamId) ?? 0) + events.length)
        } else if (first.streamId === streamId) {
          expect(out).toEqual(E.right(first))
        } else {
          expect(E.isLeft(out) && out.left._tag).toBe('IdempotencyKeyReused')
        }
      }
      for (const [streamId, count] of written) {
        const slice = await store.readStream(streamId)()
        expect(E.isRight(slice) && slice.right.version).toBe(count)
      }
      const all = await store.readAll({ after: 0, limit: 10_000 })()
      expect(E.isRight(all) && all.right.events.length).toBe([...written.values()].reduce((a, b) => a + b, 0))
    },
  )

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
})
