/**
 * Benchmarks, side by side on one server: this store, Emmett 0.42 (run from the private
 * bench-emmett package as a child process) and raw pg inserts and selects of the same rows into
 * a table shaped like the events table; then the same workloads on PGlite in a local folder.
 * Store and raw steps alternate within each workload, so a busy machine slows both alike; the
 * store's appends are measured before and after Emmett's and averaged. Prints a table and
 * writes bench-results.json. BENCH_SCALE multiplies the sizes.
 */
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { eventCatalog, eventType, instantOf, type EventMetadata, type EventStore } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { openPGlite, pgliteDatabase } from '../src/pglite-connection.js'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from '../src/postgres-event-store.js'
import { migrate } from '../src/postgres-migrations.js'

// model

const scale = Number(process.env.BENCH_SCALE ?? '1')
const sizes = {
  a: Math.round(1500 * scale),
  b: Math.round(300 * scale),
  c: Math.round(3000 * scale),
  d: Math.round(100_000 * scale),
}
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const Counted = eventType('Counted', t.type({ n: t.number, note: t.string }))
const catalog = eventCatalog([Counted])
type Ev = (typeof catalog)['codec']['_A']
const metadata: EventMetadata = { actor: { party: 'supplier', id: 'bench' }, occurredAt: instantOf(Date.UTC(2025, 0, 1, 9)), correlationId: 'c-1' }
const data = (n: number) => ({ n, note: 'a short note about the work done' })
const counted = (n: number) => ({ event: { type: 'Counted' as const, data: data(n) }, metadata })

/** The few methods of pg's Pool and PGlite that the raw steps use. */
interface RawClient {
  readonly query: (text: string, values?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>
}

type Results = Record<string, { value: number; unit: string }>
const results: Results = {}
const put = (name: string, value: number, unit: string) => {
  results[name] = { value: Math.round(value * 100) / 100, unit }
}

// operations

const must = async <A>(te: () => Promise<E.Either<{ message: string }, A>>) => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
const seconds = async (run: () => Promise<unknown>) => {
  const start = process.hrtime.bigint()
  await run()
  return Number(process.hrtime.bigint() - start) / 1e9
}
const concurrently = async (workers: number, total: number, one: (i: number) => Promise<void>) => {
  let next = 0
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < total) await one(next++)
  }))
}

const rawRow = (n: number) => [`raw-${randomUUID()}`, 1, randomUUID(), 'Counted', 1, JSON.stringify(data(n)), JSON.stringify(metadata), randomBytes(32)]
const COLUMNS = 'global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash'
const rawInsert = (rows: number) =>
  `INSERT INTO raw_events (${COLUMNS}) VALUES ${Array.from({ length: rows }, (_, r) =>
    `(nextval('raw_position'), pg_current_xact_id(), ${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(', ')})`).join(', ')}`
const setupRaw = async (client: RawClient) => {
  await client.query('CREATE SEQUENCE IF NOT EXISTS raw_position')
  await client.query('CREATE TABLE IF NOT EXISTS raw_events (LIKE support_ledger.events INCLUDING ALL)')
}

/** (a), (b), (c) for the store, each beside its raw counterpart. */
const appendWorkloads = async (store: EventStore<Ev>, raw: RawClient, withRaw: boolean) => {
  const run = randomUUID().slice(0, 8)
  let storeA = 0
  let rawA = 0
  for (let i = 0; i < sizes.a; i++) {
    storeA += await seconds(() => must(store.append(`a-${run}-${i}`, [counted(i)], { expectedVersion: 'no-stream' })))
    if (withRaw) rawA += await seconds(() => raw.query(rawInsert(1), rawRow(i)))
  }
  let storeB = 0
  let rawB = 0
  for (let i = 0; i < sizes.b; i++) {
    storeB += await seconds(() => must(store.append(`b-${run}-${i}`, Array.from({ length: 10 }, (_, k) => counted(k)), { expectedVersion: 'no-stream' })))
    if (withRaw) rawB += await seconds(() => raw.query(rawInsert(10), Array.from({ length: 10 }, (_, k) => rawRow(k)).flat()))
  }
  let storeC = 0
  let rawC = 0
  for (let round = 0; round < 4; round++) {
    storeC += await seconds(() => concurrently(8, sizes.c / 4, async (i) =>
      void (await must(store.append(`c-${run}-${round}-${i}`, [counted(i)], { expectedVersion: 'no-stream' })))))
    if (withRaw) rawC += await seconds(() => concurrently(8, sizes.c / 4, async (i) => void (await raw.query(rawInsert(1), rawRow(i)))))
  }
  return {
    a: sizes.a / storeA, b: (sizes.b * 10) / storeB, c: sizes.c / storeC,
    rawA: sizes.a / rawA, rawB: (sizes.b * 10) / rawB, rawC: sizes.c / rawC,
  }
}

/** (d): fills the log to `total` events, then reads it all, store pages (decoded) and raw pages alternating. */
const catchUp = async (store: EventStore<Ev>, raw: RawClient, total: number) => {
  const run = randomUUID().slice(0, 8)
  let existing = 0
  for (let after = 0; ;) {
    const page = await must(store.readAll({ after, limit: 5000 }))
    if (page.events.length === 0) break
    existing += page.events.length
    after = page.next
  }
  await concurrently(4, Math.ceil(Math.max(0, total - existing) / 100), async (i) =>
    void (await must(store.append(`d-${run}-${i}`, Array.from({ length: 100 }, (_, k) => counted(k))))))
  let storeTime = 0
  let rawTime = 0
  let storeRead = 0
  let rawRead = 0
  for (let after = 0, rawAfter = 0; ;) {
    let page: Awaited<ReturnType<typeof must<{ events: ReadonlyArray<unknown>; next: number }>>> | undefined
    storeTime += await seconds(async () => {
      page = await must(store.readAll({ after, limit: 1000 }))
    })
    let rows: Array<Record<string, unknown>> = []
    rawTime += await seconds(async () => {
      rows = (await raw.query(
        `SELECT global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata FROM support_ledger.events
         WHERE global_position > $1 ORDER BY global_position LIMIT 1000`, [rawAfter])).rows
    })
    if (page === undefined || page.events.length === 0) break
    storeRead += page.events.length
    rawRead += rows.length
    after = page.next
    rawAfter = Number(rows[rows.length - 1]?.global_position ?? rawAfter)
  }
  return { d: storeRead / storeTime, rawD: rawRead / rawTime, read: storeRead }
}

const emmett = async (url: string): Promise<{ a: number; b: number; c: number } | undefined> => {
  const script = fileURLToPath(new URL('../../bench-emmett/src/emmett-bench.ts', import.meta.url))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, url], { env: { ...process.env, BENCH_SCALE: String(scale) }, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()))
    child.on('exit', (code) => {
      try {
        resolve(code === 0 ? (JSON.parse(out.trim().split('\n').pop() ?? '') as { a: number; b: number; c: number }) : undefined)
      } catch {
        resolve(undefined)
      }
    })
  })
}

const onServer = async () => {
  const dbName = `sl_bench_${process.pid}`
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${dbName}`)
  const url = new URL(baseUrl)
  url.pathname = `/${dbName}`
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 })
  // The database is dropped with FORCE at the end, which ends idle pooled connections.
  pool.on('error', () => undefined)
  try {
    const database = postgresDatabase(pool)
    await migrate(database.db)
    await setupRaw(pool)
    const storage = createPostgresStorage({ database })
    const store = postgresEventStore(catalog, storage)
    const first = await appendWorkloads(store, pool, true)
    const peer = await emmett(url.toString())
    const second = await appendWorkloads(store, pool, false)
    for (const w of ['a', 'b', 'c'] as const) put(w, (first[w] + second[w]) / 2, 'events/s')
    put('raw_insert_single_row', first.rawA, 'rows/s')
    put('raw_insert_10_rows', first.rawB, 'rows/s')
    put('raw_insert_single_row_8_connections', first.rawC, 'rows/s')
    if (peer) for (const w of ['a', 'b', 'c'] as const) put(`emmett.${w}`, peer[w], 'events/s')
    else console.warn('Emmett did not run: its figures and ratios are missing')
    const d = await catchUp(store, pool, sizes.d)
    put('d', d.d, 'events/s')
    put('raw_select', d.rawD, 'rows/s')
    put('d.events_read', d.read, 'events')
    await storage.close()
  } finally {
    await pool.end().catch(() => undefined)
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
    await setupRaw(pglite)
    const storage = createPostgresStorage({ database })
    const store = postgresEventStore(catalog, storage)
    const r = await appendWorkloads(store, pglite, true)
    for (const w of ['a', 'b', 'c'] as const) put(`pglite.${w}`, r[w], 'events/s')
    put('pglite.raw_insert_single_row', r.rawA, 'rows/s')
    put('pglite.raw_insert_10_rows', r.rawB, 'rows/s')
    const d = await catchUp(store, pglite, Math.round(sizes.d / 2))
    put('pglite.d', d.d, 'events/s')
    put('pglite.raw_select', d.rawD, 'rows/s')
    put('pglite.d.events_read', d.read, 'events')
    await storage.close()
  } finally {
    await pglite.close()
    await rm(dir, { recursive: true, force: true })
  }
}

const ratio = (name: string, of: string, to: string) => {
  const a = results[of]?.value
  const b = results[to]?.value
  if (a !== undefined && b !== undefined && b > 0) put(name, a / b, 'x')
}

const started = Date.now()
await onServer()
await onPGlite()
ratio('a.vs_emmett', 'a', 'emmett.a')
ratio('a.vs_raw', 'a', 'raw_insert_single_row')
ratio('b.vs_emmett', 'b', 'emmett.b')
ratio('b.vs_raw', 'b', 'raw_insert_10_rows')
ratio('c.vs_emmett', 'c', 'emmett.c')
ratio('c.vs_raw', 'c', 'raw_insert_single_row_8_connections')
ratio('d.vs_raw', 'd', 'raw_select')
ratio('pglite.a.vs_raw', 'pglite.a', 'pglite.raw_insert_single_row')
ratio('pglite.b.vs_raw', 'pglite.b', 'pglite.raw_insert_10_rows')
ratio('pglite.d.vs_raw', 'pglite.d', 'pglite.raw_select')
put('run_seconds', (Date.now() - started) / 1000, 's')

const targets: Record<string, number> = { 'a.vs_emmett': 2, 'a.vs_raw': 0.9, 'b.vs_emmett': 2, 'c.vs_emmett': 3, 'd.vs_raw': 0.7 }
console.log(`\n${'measure'.padEnd(38)}${'value'.padStart(12)}  ${'unit'.padEnd(10)}  target`)
for (const [name, r] of Object.entries(results)) {
  const target = targets[name]
  const mark = target === undefined ? '' : `>= ${target}  ${r.value >= target ? 'met' : 'MISSED'}`
  console.log(`${name.padEnd(38)}${r.value.toLocaleString('en-US').padStart(12)}  ${r.unit.padEnd(10)}  ${mark}`)
}
await writeFile(new URL('../bench-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
