/** Kernel benchmarks: in-memory appends, rehydration by fold, decoding. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { eventCatalog, eventType, fold, inMemoryEventStore, instantOf, type StoredEvent } from '../src/index.js'
import { counterCatalog, counterDecider } from '../src/kernel/counter.fixture.js'
import { medianRate, type Figures } from './measure.js'

const meta = { actor: { party: 'customer' as const, id: 'bench' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const inc = (by: number) => ({ event: { type: 'Incremented' as const, data: { by } }, metadata: meta })

export const benchKernel = async (): Promise<Figures> => {
  const appendOne = await medianRate(async () => {
    const store = inMemoryEventStore(counterCatalog)
    const n = 20_000
    for (let i = 0; i < n; i++) await store.append(`s-${i % 2_000}`, [inc(i)])()
    return n
  })
  const appendTen = await medianRate(async () => {
    const store = inMemoryEventStore(counterCatalog)
    const batch = Array.from({ length: 10 }, (_, i) => inc(i))
    const n = 2_000
    for (let i = 0; i < n; i++) await store.append(`s-${i % 200}`, batch)()
    return n * 10
  })

  const streamLength = 100_000
  const store = inMemoryEventStore(counterCatalog)
  for (let i = 0; i < streamLength; i += 1_000) {
    await store.append('long', Array.from({ length: 1_000 }, (_, j) => inc(i + j)))()
  }
  const slice = await store.readStream('long')()
  if (E.isLeft(slice)) throw new Error(slice.left.message)
  const events = slice.right.events
  const decider = counterDecider()
  const foldRate = await medianRate(() => {
    const s = fold(decider, events)
    if (s.increments !== streamLength) throw new Error('fold lost events')
    return streamLength
  })
  const rehydrateRate = await medianRate(async () => {
    const read = await store.readStream('long')()
    if (E.isLeft(read)) throw new Error(read.left.message)
    fold(decider, read.right.events)
    return streamLength
  }, 3)

  // Decoding a realistic event: nested data, a branded instant, a union field.
  const Filed = eventType(
    'TicketFiled',
    t.readonly(
      t.type({
        ticketId: t.string,
        kind: t.keyof({ defect: null, consultation: null, configuration: null }),
        title: t.string,
        receivedAt: t.string,
        channel: t.keyof({ redmine: null, email: null, phone: null }),
        priority: t.number,
        tags: t.readonlyArray(t.string),
      }),
    ),
  )
  const catalog = eventCatalog([Filed])
  const rows: StoredEvent[] = Array.from({ length: 100_000 }, (_, i) => ({
    streamId: `ticket-${i}`,
    streamVersion: 1,
    globalPosition: i + 1,
    eventId: `e-${i}`,
    type: 'TicketFiled',
    schemaVersion: 1,
    data: { ticketId: `T-${i}`, kind: 'defect', title: 'Report fails to print', receivedAt: '2025-01-01T09:00:00.000Z', channel: 'redmine', priority: 2, tags: ['print'] },
    metadata: { ...meta, recordedAt: meta.at },
  }))
  const decodeRate = await medianRate(() => {
    for (const row of rows) if (E.isLeft(catalog.decode(row))) throw new Error('decode failed')
    return rows.length
  })

  return {
    'kernel.in_memory.append_1_event': { value: appendOne, unit: 'events/s' },
    'kernel.in_memory.append_10_events': { value: appendTen, unit: 'events/s' },
    'kernel.fold_100k_stream': { value: foldRate, unit: 'events/s' },
    'kernel.rehydrate_100k_stream': { value: rehydrateRate, unit: 'events/s' },
    'kernel.decode': { value: decodeRate, unit: 'events/s' },
  }
}
