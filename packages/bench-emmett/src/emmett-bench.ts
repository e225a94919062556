/** Emmett's PostgreSQL event store under the same append workloads as @support-ledger/postgres; prints events/s as JSON. */
import { randomUUID } from 'node:crypto'
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett'
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql'

const connectionString = process.argv[2] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const scale = Number(process.env.BENCH_SCALE ?? '1')
const sizes = { a: Math.round(1500 * scale), b: Math.round(300 * scale), c: Math.round(3000 * scale) }

const store = getPostgreSQLEventStore(connectionString)
const event = (n: number) => ({
  type: 'Counted',
  data: { n, note: 'a short note about the work done' },
  metadata: { actor: { party: 'supplier', id: 'bench' }, occurredAt: '2025-01-01T09:00:00.000Z', correlationId: `c-${n}` },
})
const rate = async (events: number, run: () => Promise<void>) => {
  const start = process.hrtime.bigint()
  await run()
  return events / (Number(process.hrtime.bigint() - start) / 1e9)
}

// The schema migrates on the first append; keep that out of the timings.
await store.appendToStream(`warmup-${randomUUID()}`, [event(0)])

const a = await rate(sizes.a, async () => {
  for (let i = 0; i < sizes.a; i++) await store.appendToStream(`a-${randomUUID()}`, [event(i)], { expectedStreamVersion: STREAM_DOES_NOT_EXIST })
})
const b = await rate(sizes.b * 10, async () => {
  for (let i = 0; i < sizes.b; i++) {
    await store.appendToStream(`b-${randomUUID()}`, Array.from({ length: 10 }, (_, k) => event(k)), { expectedStreamVersion: STREAM_DOES_NOT_EXIST })
  }
})
const c = await rate(sizes.c, async () => {
  let next = 0
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < sizes.c) {
        next++
        await store.appendToStream(`c-${randomUUID()}`, [event(next)], { expectedStreamVersion: STREAM_DOES_NOT_EXIST })
      }
    }),
  )
})
await store.close()
console.log(JSON.stringify({ a, b, c }))
