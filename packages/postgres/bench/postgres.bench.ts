/**
 * Benchmarks, all in one process on one server: this store, Emmett 0.42 (opened from the
 * private bench-emmett package) and raw pg of the same rows into a table shaped and indexed like
 * the events table, by named prepared statements. Each variant is warmed first; then, for each
 * of BENCH_ROUNDS rounds (default 5, at least 3), every workload runs each variant once, in an
 * order rotated by one each round, so that drift on a shared machine falls on all alike. Prints
 * the median and range of every figure and of each ratio (taken within a round), and writes
 * them to bench-results.json. Then the same for PGlite in a local folder. BENCH_SCALE
 * multiplies the sizes; BENCH_WORKLOADS (e.g. `a,c8`) runs only those; BENCH_MAX_IN_FLIGHT sets
 * the store's group commit `maxInFlight` (default 1, the store's default); BENCH_PGLITE=0 skips
 * PGlite.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventCatalog, eventType, instantOf, type EventMetadata, type EventStore } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { openEmmett } from '../../bench-emmett/src/emmett-bench.js'
import { openPGlite, pgliteDatabase } from '../src/pglite-connection.js'
import { preparedStatements, type PGliteProtocol } from '../src/pglite-protocol.js'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from '../src/postgres-event-store.js'
import { migrate } from '../src/postgres-migrations.js'

// model

const scale = Number(process.env.BENCH_SCALE ?? '1')
const rounds = Math.max(3, Number(process.env.BENCH_ROUNDS ?? '5'))
const sizes = {
  a: Math.round(1000 * scale),
  b: Math.round(200 * scale),
  c: Math.round(2400 * scale),
  d: Math.round(100_000 * scale),
}
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const only = process.env.BENCH_WORKLOADS?.split(',')
const maxInFlight = Number(process.env.BENCH_MAX_IN_FLIGHT ?? '1')

const Counted = eventType('Counted', t.type({ n: t.number, note: t.string }))
const catalog = eventCatalog([Counted])
type Ev = (typeof catalog)['codec']['_A']
const metadata: EventMetadata = { actor: { party: 'supplier', id: 'bench' }, at: instantOf(Date.UTC(2025, 0, 1, 9)), correlationId: 'c-1' }
const data = (n: number) => ({ n, note: 'a short note about the work done' })
const counted = (n: number) => ({ event: { type: 'Counted' as const, data: data(n) }, metadata })

/** One way of doing a workload: `run` does `size` units of work and returns how many items (events, rows) it wrote or read. */
interface Variant {
  readonly name: string
  readonly run: (size: number, round: string) => Promise<number>
}

interface Workload {
  readonly name: string
  readonly description: string
  readonly size: number
  readonly unit: string
  readonly variants: ReadonlyArray<Variant>
  /** Ratios of the first variant to each other variant that have a target. */
  readonly targets: Readonly<Record<string, number>>
}

interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
}

// operations

const must = async <A>(te: () => Promise<E.Either<{ message: string }, A>>) => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
const concurrently = async (workers: number, total: number, one: (i: number) => Promise<void>) => {
  let next = 0
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < total) await one(next++)
  }))
}
const spread = (xs: ReadonlyArray<number>): Spread => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length / 2
  const median = s.length % 2 === 1 ? s[Math.floor(mid)]! : (s[mid - 1]! + s[mid]!) / 2
  const r = (x: number) => Math.round(x * 100) / 100
  return { median: r(median), min: r(s[0]!), max: r(s[s.length - 1]!) }
}
const rotate = <A>(xs: ReadonlyArray<A>, by: number): A[] => xs.map((_, i) => xs[(i + by) % xs.length]!)

/** Warms every variant of every workload, then runs the rounds; returns each variant's rates and each ratio, per round. */
const measure = async (all: ReadonlyArray<Workload>) => {
  const workloads = all.filter((w) => only === undefined || only.includes(w.name))
  for (const w of workloads) {
    for (const v of w.variants) await v.run(Math.max(1, Math.ceil(w.size / 5)), `warm-${randomUUID().slice(0, 6)}`)
  }
  const rates = new Map<string, number[]>()
  for (let round = 0; round < rounds; round++) {
    for (const w of workloads) {
      for (const v of rotate(w.variants, round)) {
        const start = process.hrtime.bigint()
        const items = await v.run(w.size, `${round}-${randomUUID().slice(0, 6)}`)
        const rate = items / (Number(process.hrtime.bigint() - start) / 1e9)
        rates.set(`${w.name}/${v.name}`, [...(rates.get(`${w.name}/${v.name}`) ?? []), rate])
      }
    }
    process.stderr.write(`round ${round + 1} of ${rounds} done\n`)
  }
  return workloads.map((w) => {
    const [first] = w.variants
    const mine = rates.get(`${w.name}/${first!.name}`) ?? []
    return {
      workload: w.name,
      description: w.description,
      size: w.size,
      unit: w.unit,
      variants: Object.fromEntries(w.variants.map((v) => [v.name, spread(rates.get(`${w.name}/${v.name}`) ?? [])])),
      ratios: Object.fromEntries(
        w.variants.slice(1).map((v) => {
          const theirs = rates.get(`${w.name}/${v.name}`) ?? []
          const ratio = spread(mine.map((m, i) => m / theirs[i]!))
          const target = w.targets[v.name]
          return [`${first!.name}/${v.name}`, { ...ratio, ...(target === undefined ? {} : { target, met: ratio.median >= target }) }]
        }),
      ),
    }
  })
}

// The raw variants: the events table's row shape and indexes, positions from a sequence, by named prepared statement.
const COLUMNS = 'global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash'
const rawInsertText = (rows: number) =>
  `INSERT INTO raw_events (${COLUMNS}) VALUES ${Array.from({ length: rows }, (_, r) =>
    `(nextval('raw_position'), pg_current_xact_id(), ${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(', ')})`).join(', ')}`
const rawRow = (stream: string, version: number, n: number) =>
  [stream, version, randomUUID(), 'Counted', 1, JSON.stringify(data(n)), JSON.stringify({ ...metadata, recordedAt: new Date().toISOString() }), randomBytes(32)]
const SELECT_TEXT = `SELECT global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata
  FROM support_ledger.events WHERE global_position > $1 ORDER BY global_position LIMIT 1000`

type Query = (name: string, text: string, values: unknown[]) => Promise<ReadonlyArray<Record<string, unknown>>>

const storeVariants = (store: EventStore<Ev>, label: string) => ({
  one: { name: label, run: async (size: number, r: string) => {
    for (let i = 0; i < size; i++) await must(store.append(`a-${r}-${i}`, [counted(i)], { expectedVersion: 'no-stream' }))
    return size
  } },
  ten: { name: label, run: async (size: number, r: string) => {
    for (let i = 0; i < size; i++) await must(store.append(`b-${r}-${i}`, Array.from({ length: 10 }, (_, k) => counted(k)), { expectedVersion: 'no-stream' }))
    return size * 10
  } },
  concurrent: (workers: number) => ({ name: label, run: async (size: number, r: string) => {
    await concurrently(workers, size, async (i) => void (await must(store.append(`c-${r}-${i}`, [counted(i)], { expectedVersion: 'no-stream' }))))
    return size
  } }),
})

const rawVariants = (query: Query, label: string) => ({
  one: { name: label, run: async (size: number, r: string) => {
    for (let i = 0; i < size; i++) await query('raw_one', rawInsertText(1), rawRow(`a-${r}-${i}`, 1, i))
    return size
  } },
  ten: { name: label, run: async (size: number, r: string) => {
    for (let i = 0; i < size; i++) await query('raw_ten', rawInsertText(10), Array.from({ length: 10 }, (_, k) => rawRow(`b-${r}-${i}`, k + 1, k)).flat())
    return size * 10
  } },
  concurrent: (workers: number) => ({ name: `${label} (${workers} connections)`, run: async (size: number, r: string) => {
    await concurrently(workers, size, async (i) => void (await query('raw_one', rawInsertText(1), rawRow(`c-${r}-${i}`, 1, i))))
    return size
  } }),
})

/** (d): the whole log read from position 0 in pages of 1000, decoded by the store, and by a prepared raw SELECT. */
const readVariants = (store: EventStore<Ev>, query: Query) => [
  { name: 'store', run: async (size: number) => {
    let read = 0
    for (let after = 0; read < size;) {
      const page = await must(store.readAll({ after, limit: 1000 }))
      if (page.events.length === 0) break
      read += page.events.length
      after = page.next
    }
    return read
  } },
  { name: 'raw select', run: async (size: number) => {
    let read = 0
    for (let after = 0; read < size;) {
      const rows = await query('raw_select', SELECT_TEXT, [after])
      if (rows.length === 0) break
      read += rows.length
      after = Number(rows[rows.length - 1]!.global_position)
    }
    return read
  } },
]

/** Fills the log to `total` events (in appends of 100), outside any timing. */
const fill = async (store: EventStore<Ev>, total: number) => {
  let existing = 0
  for (let after = 0; ;) {
    const page = await must(store.readAll({ after, limit: 5000 }))
    if (page.events.length === 0) break
    existing += page.events.length
    after = page.next
  }
  const run = randomUUID().slice(0, 8)
  await concurrently(4, Math.ceil(Math.max(0, total - existing) / 100), async (i) =>
    void (await must(store.append(`d-${run}-${i}`, Array.from({ length: 100 }, (_, k) => counted(k))))))
}

// Emmett keeps a pool of its own after close, without an error listener: dropping the database
// with FORCE ends its connections, which pg reports as an unhandled error. Only that one is ignored.
process.on('uncaughtException', (e) => {
  if ((e as { code?: unknown }).code === '57P01') return
  throw e
})

const onServer = async () => {
  const dbName = `sl_bench_${process.pid}`
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${dbName}`)
  const url = new URL(baseUrl)
  url.pathname = `/${dbName}`
  const storePool = new pg.Pool({ connectionString: url.toString(), max: 10 })
  const rawPool = new pg.Pool({ connectionString: url.toString(), max: 64 })
  // The database is dropped with FORCE at the end, which ends idle pooled connections.
  storePool.on('error', () => undefined)
  rawPool.on('error', () => undefined)
  const emmettStore = await openEmmett(url.toString())
  try {
    const database = postgresDatabase(storePool)
    await migrate(database.db)
    await rawPool.query('CREATE SEQUENCE raw_position')
    await rawPool.query('CREATE TABLE raw_events (LIKE support_ledger.events INCLUDING ALL)')
    const storage = createPostgresStorage({ database, groupCommit: { maxInFlight } })
    const store = postgresEventStore(catalog, storage)
    const query: Query = async (name, text, values) => (await rawPool.query({ name, text, values })).rows
    const s = storeVariants(store, 'store')
    const raw = rawVariants(query, 'raw prepared')
    const emmett = (count: number, workers = 1) => ({
      name: 'emmett',
      run: async (size: number, r: string) => {
        await concurrently(workers, size, (i) => emmettStore.append(`e-${count}-${r}-${i}`, count))
        return size * count
      },
    })
    const concurrent = (workers: number, targets: Record<string, number>): Workload => ({
      name: `c${workers}`,
      description: `1 event per append, ${workers} concurrent appenders`,
      size: sizes.c,
      unit: 'events/s',
      variants: [s.concurrent(workers), emmett(1, workers), raw.concurrent(workers)],
      targets,
    })
    if (only === undefined || only.includes('d')) await fill(store, sizes.d)
    const results = await measure([
      { name: 'a', description: '1 event per append, sequential', size: sizes.a, unit: 'events/s', variants: [s.one, emmett(1), raw.one], targets: { emmett: 2, 'raw prepared': 0.85 } },
      { name: 'b', description: '10 events per append, sequential', size: sizes.b, unit: 'events/s', variants: [s.ten, emmett(10), raw.ten], targets: { emmett: 1.8, 'raw prepared': 0.9 } },
      concurrent(8, { emmett: 3, 'raw prepared (8 connections)': 1.2 }),
      concurrent(32, {}),
      concurrent(64, {}),
      { name: 'd', description: `catch-up read of ${sizes.d} decoded events`, size: sizes.d, unit: 'events/s', variants: readVariants(store, query), targets: { 'raw select': 0.9 } },
    ])
    await storage.close()
    return results
  } finally {
    await emmettStore.close().catch(() => undefined)
    await storePool.end().catch(() => undefined)
    await rawPool.end().catch(() => undefined)
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
    await admin.end()
  }
}

const onPGlite = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-bench-pglite-'))
  const pglite = await openPGlite(dir)
  try {
    const database = pgliteDatabase(pglite)
    await migrate(database.db)
    await pglite.query('CREATE SEQUENCE raw_position')
    await pglite.query('CREATE TABLE raw_events (LIKE support_ledger.events INCLUDING ALL)')
    const storage = createPostgresStorage({ database })
    const store = postgresEventStore(catalog, storage)
    // The store's lone append is a statement prepared once through PGlite's wire protocol (docs/decisions/0123), so
    // the raw insert is prepared the same way: a baseline as well tuned as the store. The read goes through `query`.
    const query: Query = async (_name, text, values) => (await pglite.query<Record<string, unknown>>(text, values)).rows
    const prepared = preparedStatements(pglite as unknown as PGliteProtocol)
    const preparedQuery: Query = async (name, text, values) => {
      await prepared(name, text, values)
      return []
    }
    const s = storeVariants(store, 'store')
    const raw = rawVariants(preparedQuery, 'raw prepared')
    if (only === undefined || only.includes('pglite.d')) await fill(store, Math.round(sizes.d / 2))
    const results = await measure([
      { name: 'pglite.a', description: '1 event per append, sequential', size: sizes.a, unit: 'events/s', variants: [s.one, raw.one], targets: { 'raw prepared': 0.8 } },
      { name: 'pglite.b', description: '10 events per append, sequential', size: sizes.b, unit: 'events/s', variants: [s.ten, raw.ten], targets: {} },
      { name: 'pglite.d', description: `catch-up read of ${Math.round(sizes.d / 2)} decoded events`, size: Math.round(sizes.d / 2), unit: 'events/s', variants: readVariants(store, query), targets: {} },
    ])
    await storage.close()
    return results
  } finally {
    await pglite.close()
    await rm(dir, { recursive: true, force: true })
  }
}

const started = Date.now()
const server = await onServer()
const embedded = process.env.BENCH_PGLITE === '0' ? [] : await onPGlite()
const all = [...server, ...embedded]

const fmt = (x: Spread) => `${x.median.toLocaleString('en-US')} (${x.min.toLocaleString('en-US')} - ${x.max.toLocaleString('en-US')})`
console.log(`\n${rounds} rounds, median (min - max); ratios are taken within each round`)
for (const w of all) {
  console.log(`\n${w.workload}: ${w.description} [${w.unit}]`)
  for (const [name, x] of Object.entries(w.variants)) console.log(`  ${name.padEnd(34)}${fmt(x)}`)
  for (const [name, x] of Object.entries(w.ratios)) {
    const verdict = 'target' in x ? `  target >= ${x.target}: ${x.met ? 'met' : 'MISSED'}` : ''
    console.log(`  ${name.padEnd(34)}${fmt(x)}x${verdict}`)
  }
}
await writeFile(
  new URL('../bench-results.json', import.meta.url),
  `${JSON.stringify({
    measuredAt: new Date().toISOString(),
    rounds,
    scale,
    maxInFlight,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    runSeconds: Math.round((Date.now() - started) / 1000),
    workloads: all,
  }, null, 2)}\n`,
)
