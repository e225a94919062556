import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { counterCatalog, type CounterEvent } from './counter.fixture.js'
import { inMemoryEventStore } from './in-memory-event-store.js'
import { instantOf } from './instant.js'
import { inMemoryCheckpointStore, reducerProjection, replayProjection, startProjection } from './projection.js'
import type { RecordedEvent } from './recorded-event.js'

const meta = { actor: { party: 'supplier' as const, id: 'p' }, at: instantOf(0) }
const inc = (by: number) => ({ event: { type: 'Incremented' as const, data: { by } }, metadata: meta })
const totals = () =>
  reducerProjection('totals', {} as Record<string, number>, (s, e: RecordedEvent<CounterEvent>) => ({
    ...s,
    [e.streamId]: e.type === 'Incremented' ? (s[e.streamId] ?? 0) + e.data.by : 0,
  }))

describe('projections', () => {
  it('resumes from its checkpoint after a restart, handling each event once', async () => {
    const store = inMemoryEventStore(counterCatalog)
    const checkpoints = inMemoryCheckpointStore()
    const seen: number[] = []
    const projection = { ...totals(), handle: async (es: ReadonlyArray<RecordedEvent<CounterEvent>>) => void seen.push(...es.map((e) => e.globalPosition)) }
    await store.append('a', [inc(1), inc(2)])()
    const first = await startProjection({ store, checkpoints, projection })()
    if (E.isLeft(first)) throw new Error('start failed')
    await first.right.reached(2)
    await first.right.stop()
    await store.append('a', [inc(3)])()
    const second = await startProjection({ store, checkpoints, projection })()
    if (E.isLeft(second)) throw new Error('start failed')
    await second.right.reached(3)
    await second.right.stop()
    expect(seen).toEqual([1, 2, 3])
    expect(await checkpoints.load('totals')()).toEqual(E.right(3))
  })

  it('a replay rebuilds the same read model as the live run', async () => {
    const store = inMemoryEventStore(counterCatalog)
    const live = totals()
    const sub = await startProjection({ store, checkpoints: inMemoryCheckpointStore(), projection: live, batchSize: 3 })()
    if (E.isLeft(sub)) throw new Error('start failed')
    for (let i = 0; i < 20; i++) await store.append(`s${i % 3}`, [inc(i)])()
    await sub.right.reached(20)
    await sub.right.stop()
    const rebuilt = totals()
    await rebuilt.handle([]) // state before replay is irrelevant: replay resets it
    expect(await replayProjection({ store, projection: rebuilt, batchSize: 7 })()).toEqual(E.right(20))
    expect(rebuilt.state()).toEqual(live.state())
    expect(await replayProjection({ store, projection: rebuilt })()).toEqual(E.right(20))
    expect(rebuilt.state()).toEqual(live.state())
  })
})
