/**
 * Where a catch-up read's time goes: the store's `readAll`, the same rows by the store's query
 * without decoding, the decode alone on rows already fetched, and a raw prepared SELECT,
 * interleaved over rounds. Run with
 * `DATABASE_URL=... tsx --conditions=@support-ledger/source bench/profile-read.ts`
 * (add `node --cpu-prof` through `NODE_OPTIONS` to see the decode's own profile).
 */
import { readFile } from 'node:fs/promises'
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage, decodeRows, postgresEventStore, readCommittedAfter, type EventRow } from '../src/postgres-event-store.js'
import { migrate } from '../src/postgres-migrations.js'

const total = Number(process.env.PROFILE_EVENTS ?? '100000')
const rounds = Number(process.env.PROFILE_ROUNDS ?? '5')
const Counted = eventType('Counted', t.type({ n: t.number, note: t.string }))
const catalog = eventCatalog([Counted])
const metadata: EventMetadata = { actor: { party: 'supplier', id: 'bench' }, at: instantOf(Date.UTC(2025, 0, 1, 9)), correlationId: 'c-1' }

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
// PROFILE_DB keeps a filled database between runs.
const keep = process.env.PROFILE_DB
const dbName = keep ?? `sl_profile_read_${process.pid}`
const admin = new pg.Client({ connectionString: baseUrl })
await admin.connect()
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rows.length > 0
if (!exists) await admin.query(`CREATE DATABASE ${dbName}`)
const url = new URL(baseUrl)
url.pathname = `/${dbName}`
const pool = new pg.Pool({ connectionString: url.toString(), max: 1 })
pool.on('error', () => undefined)
try {
  const database = postgresDatabase(pool)
  await migrate(database.db)
  const storage = createPostgresStorage({ database, notify: false })
  const store = postgresEventStore(catalog, storage)
  for (let i = 0; i < (exists ? 0 : total / 100); i++) {
    const r = await store.append(`p-${i}`, Array.from({ length: 100 }, (_, k) => ({ event: { type: 'Counted' as const, data: { n: k, note: 'a short note about the work done' } }, metadata })))()
    if (E.isLeft(r)) throw new Error(r.left.message)
  }
  const pages: Array<ReadonlyArray<EventRow>> = []
  for (let after = 0; ;) {
    const rows = await readCommittedAfter(storage, after, 1000)
    if (rows.length === 0) break
    pages.push(rows)
    after = Number(rows[rows.length - 1]!.global_position)
  }
  const select = `SELECT global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata
    FROM support_ledger.events WHERE global_position > $1 ORDER BY global_position LIMIT 1000`
  const fenced = `SELECT global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata
    FROM support_ledger.events WHERE global_position > $1
      AND transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
    ORDER BY global_position LIMIT $2`
  const parts: Record<string, () => Promise<number>> = {
    'store.readAll': async () => {
      let read = 0
      for (let after = 0; ;) {
        const page = await store.readAll({ after, limit: 1000 })()
        if (E.isLeft(page)) throw new Error(page.left.message)
        if (page.right.events.length === 0) return read
        read += page.right.events.length
        after = page.right.next
      }
    },
    'readCommittedAfter (no decode)': async () => {
      let read = 0
      for (let after = 0; ;) {
        const rows = await readCommittedAfter(storage, after, 1000)
        if (rows.length === 0) return read
        read += rows.length
        after = Number(rows[rows.length - 1]!.global_position)
      }
    },
    'decodeRows alone': async () => {
      let read = 0
      for (const rows of pages) {
        const d = decodeRows(catalog, rows)
        if (E.isLeft(d)) throw new Error(d.left.message)
        read += d.right.length
      }
      return read
    },
    'fenced select, pool.query': async () => {
      let read = 0
      for (let after = 0; ;) {
        const { rows } = await pool.query<{ global_position: string }>(fenced, [after, 1000])
        if (rows.length === 0) return read
        read += rows.length
        after = Number(rows[rows.length - 1]!.global_position)
      }
    },
    'fenced select, named': async () => {
      let read = 0
      for (let after = 0; ;) {
        const { rows } = await pool.query<{ global_position: string }>({ name: 'fenced', text: fenced, values: [after, 1000] })
        if (rows.length === 0) return read
        read += rows.length
        after = Number(rows[rows.length - 1]!.global_position)
      }
    },
    'raw prepared select': async () => {
      let read = 0
      for (let after = 0; ;) {
        const { rows } = await pool.query<{ global_position: string }>({ name: 'raw_select', text: select, values: [after] })
        if (rows.length === 0) return read
        read += rows.length
        after = Number(rows[rows.length - 1]!.global_position)
      }
    },
  }
  // One pooled connection: its server process's CPU time is the server's share of each read.
  const backend = Number((await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid)
  const serverTicks = async () => {
    const stat = (await readFile(`/proc/${backend}/stat`, 'utf8')).split(') ')[1]!.split(' ')
    return Number(stat[11]) + Number(stat[12])
  }
  const tick = 1e6 / 100
  const times = new Map<string, Array<readonly [number, number, number]>>()
  const names = Object.keys(parts).filter((n) => process.env.PROFILE_PARTS === undefined || process.env.PROFILE_PARTS.split(',').some((p) => n.startsWith(p)))
  for (let round = 0; round < rounds; round++) {
    for (const name of names.map((_, k) => names[(k + round) % names.length]!)) {
      const start = process.hrtime.bigint()
      const cpu = process.cpuUsage()
      const server = await serverTicks()
      const n = await parts[name]!()
      const own = process.cpuUsage(cpu)
      const theirs = (await serverTicks()) - server
      times.set(name, [...(times.get(name) ?? []), [Number(process.hrtime.bigint() - start) / 1e3 / n, (own.user + own.system) / n, (theirs * tick) / n]])
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2).padStart(6)
  console.log(`${''.padEnd(32)}  wall   node CPU  server CPU (µs per event, median of ${rounds})`)
  for (const [name, xs] of times) {
    console.log(`${name.padEnd(32)} ${median(xs.map((x) => x[0]))} ${median(xs.map((x) => x[1]))} ${median(xs.map((x) => x[2]))}`)
  }
  await storage.close()
} finally {
  await pool.end().catch(() => undefined)
  if (keep === undefined) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
  await admin.end()
}
