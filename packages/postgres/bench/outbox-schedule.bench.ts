/**
 * Benchmarks of the outbox and the obligation schedule on one server: enqueue and drain rates,
 * the cost of keeping the schedule per event (in PostgreSQL and in memory, same events), and the
 * window query among many open obligations. Each figure is run several times after a warm-up and
 * reported as median and range. BENCH_SCALE multiplies the sizes. Prints a table and writes
 * bench-outbox-schedule.json.
 */
import { writeFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createCalendarRegistry, inMemoryObligationSchedule, instantOf, KAZAKHSTAN_CALENDAR, startOutboxWorker, type NewOutboxMessage } from '@support-ledger/core'
import { exampleLedger } from '@support-ledger/core/testing'
import * as E from 'fp-ts/lib/Either.js'
import { sql } from 'kysely'
import pg from 'pg'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage } from '../src/postgres-event-store.js'
import { dropSchema, migrate } from '../src/postgres-migrations.js'
import { postgresObligationSchedule, alarmsQuery } from '../src/postgres-obligation-schedule.js'
import { postgresOutbox } from '../src/postgres-outbox.js'

const scale = Number(process.env.BENCH_SCALE ?? '1')
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const sizes = { messages: Math.round(10_000 * scale), tickets: Math.round(1_000 * scale), obligations: Math.round(100_000 * scale) }
const RUNS = 5

type Figure = { median: number; min: number; max: number; unit: string }
const figures: Record<string, Figure> = {}
const record = (name: string, values: ReadonlyArray<number>, unit: string) => {
  const sorted = [...values].sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 100) / 100
  figures[name] = { median: round(sorted[Math.floor(sorted.length / 2)]!), min: round(sorted[0]!), max: round(sorted[sorted.length - 1]!), unit }
  console.log(`  ${name.padEnd(58)} ${String(figures[name].median).padStart(10)} ${unit}  (${figures[name].min} – ${figures[name].max})`)
}
const must = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.message)
  return e.right
}
const percentile = (values: ReadonlyArray<number>, p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!

const calendars = must(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const pool = new pg.Pool({ connectionString: url, max: 8 })
const database = postgresDatabase(pool)
const schema = `sl_bench_${Math.random().toString(36).slice(2, 8)}`
await migrate(database.db, { schema })
const storage = createPostgresStorage({ database, schema, notify: false })
const q = sql.raw(`"${schema}"`)

try {
  console.log(`\noutbox (${sizes.messages} messages per run, ${RUNS} runs)`)
  const outbox = postgresOutbox(storage)
  const now = instantOf(Date.UTC(2025, 4, 6, 10))
  const enqueueRates: number[] = []
  const drainRates: number[] = []
  const claimLatencies: number[] = []
  for (let run = 0; run <= RUNS; run++) {
    const channel = `bench-${run}`
    const messages: NewOutboxMessage[] = Array.from({ length: sizes.messages }, (_, i) => ({
      channel, recipientKey: `user${i % 500}@example.kz`, dedupeKey: `event-${i}/notify`, payload: { subject: 'Deadline in one hour', ticket: `T-${i}` }, availableAt: now,
    }))
    let start = performance.now()
    for (let i = 0; i < messages.length; i += 200) must(await outbox.enqueue(messages.slice(i, i + 200))())
    const enqueueRate = messages.length / ((performance.now() - start) / 1000)
    // Single claims of one message, to see what one claim costs among thousands pending.
    const latencies: number[] = []
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now()
      const [m] = must(await outbox.claim({ channel, owner: 'probe', now, leaseMs: 60_000, limit: 1 })())
      latencies.push(performance.now() - t0)
      if (m !== undefined) must(await outbox.release({ owner: 'probe', ids: [m.id] })())
    }
    let delivered = 0
    start = performance.now()
    const workers = [1, 2, 3, 4].map((w) =>
      startOutboxWorker({
        outbox, channel, owner: `w${w}`, clock: () => now, idleMs: 5, batchSize: 50,
        handler: () => async () => {
          delivered++
          return E.right(undefined)
        },
      }),
    )
    while (delivered < messages.length) await new Promise((r) => setTimeout(r, 5))
    const drainRate = messages.length / ((performance.now() - start) / 1000)
    await Promise.all(workers.map((w) => w.stop()))
    if (run === 0) continue // warm-up
    enqueueRates.push(enqueueRate)
    drainRates.push(drainRate)
    claimLatencies.push(...latencies)
  }
  record('enqueue, batches of 200', enqueueRates, 'messages/s')
  record('drain by 4 workers (claim 50, deliver, mark each)', drainRates, 'messages/s')
  record('claim of one message, p50 over runs', [percentile(claimLatencies, 0.5)], 'ms')
  record('claim of one message, p99 over runs', [percentile(claimLatencies, 0.99)], 'ms')

  const ledger = exampleLedger({ tickets: sizes.tickets })
  console.log(`\nschedule upkeep (${ledger.events.length} events of ${sizes.tickets} tickets, batches of 200)`)
  const schedule = postgresObligationSchedule(storage, { calendars })
  const pgRates: number[] = []
  const memoryRates: number[] = []
  for (let run = 0; run <= RUNS; run++) {
    must(await schedule.reset()())
    let start = performance.now()
    for (let i = 0; i < ledger.events.length; i += 200) {
      await database.db.transaction().execute((tx) => schedule.handle(ledger.events.slice(i, i + 200), tx))
    }
    const pgRate = ledger.events.length / ((performance.now() - start) / 1000)
    const memory = inMemoryObligationSchedule({ calendars })
    start = performance.now()
    for (let i = 0; i < ledger.events.length; i += 200) await memory.handle(ledger.events.slice(i, i + 200))
    const memoryRate = ledger.events.length / ((performance.now() - start) / 1000)
    if (run === 0) continue
    pgRates.push(pgRate)
    memoryRates.push(memoryRate)
  }
  record('keep the schedule in PostgreSQL', pgRates, 'events/s')
  record('keep the schedule in memory', memoryRates, 'events/s')

  console.log(`\nschedule window query (${sizes.obligations} open obligations over two years, two alarms each)`)
  must(await schedule.reset()())
  await sql`
    INSERT INTO ${q}.obligation_schedule (source_key, subject_key, obligation, contract_id, due_at, scheduled)
    SELECT 'ticket:T-' || i, 'ticket:T-' || i, 'agreed-deadline', 'C-' || (i % 100), timestamptz '2025-01-01' + i * (interval '2 years' / ${sizes.obligations}),
      jsonb_build_object('contractId', 'C-' || (i % 100), 'subject', jsonb_build_object('aggregate', 'ticket', 'id', 'T-' || i), 'obligation', 'agreed-deadline',
        'clause', 3, 'measure', 'elapsed', 'startedAt', '2024-12-01T00:00:00.000Z', 'windowMinutes', 600, 'awaiting', false, 'warnings', '[]'::jsonb,
        'openedBy', '[]'::jsonb, 'knownAt', '2024-12-01T00:00:00.000Z')
    FROM generate_series(1, ${sizes.obligations}) AS i`.execute(database.db)
  await sql`
    INSERT INTO ${q}.obligation_schedule_alarms (at, kind, bps, subject_key, obligation)
    SELECT due_at - k * interval '3 hours', CASE WHEN k = 0 THEN 'due' ELSE 'warning' END, CASE WHEN k = 0 THEN NULL ELSE 8000 END, subject_key, obligation
    FROM ${q}.obligation_schedule, generate_series(0, 1) AS k`.execute(database.db)
  await sql`ANALYZE ${q}.obligation_schedule_alarms`.execute(database.db)
  await sql`ANALYZE ${q}.obligation_schedule`.execute(database.db)
  for (const [label, hours] of [['due in the next hour, all contracts', 1], ['due in the next day, all contracts', 24]] as const) {
    const times: number[] = []
    let found = 0
    for (let i = 0; i < 220; i++) {
      const from = Date.UTC(2025, 3, 1) + (i % 50) * 3_600_000 * 7
      const t0 = performance.now()
      const rows = await alarmsQuery(storage, instantOf(from), instantOf(from + hours * 3_600_000)).execute(database.db)
      if (i >= 20) times.push(performance.now() - t0)
      found += rows.rows.length
    }
    record(`${label}, p50`, [percentile(times, 0.5)], 'ms')
    record(`${label}, p99`, [percentile(times, 0.99)], 'ms')
    console.log(`    (${Math.round(found / 220)} alarms per window on average)`)
  }
  const out = fileURLToPath(new URL('../bench-outbox-schedule.json', import.meta.url))
  await writeFile(out, `${JSON.stringify({ scale, sizes, figures }, null, 2)}\n`)
  console.log(`\nwrote ${out}`)
} finally {
  await storage.close()
  await dropSchema(database.db, schema)
  await database.close()
  await pool.end().catch(() => undefined)
}
