/**
 * Where a lone append's time goes on a server: the store's append, its statement called by hand
 * (the same text and parameters, and with a shorter result), a raw insert of the same row, and
 * each piece of the server's work alone (the stream lock, the position lock with the fence stamp,
 * the stream head row, the notification), every one in its own transaction on its own connection,
 * interleaved in chunks over rounds. For each it prints the wall time, this process's CPU time
 * and, when the server runs on this machine, the CPU time of its server process (from
 * /proc/PID/schedstat), per call. CPU times hold up on a loaded machine
 * far better than wall times. Run with `tsx --conditions=@support-ledger/source
 * bench/profile-append.ts`; PROFILE_ASYNC=1 turns off the flush at commit so that CPU shows.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from '../src/postgres-event-store.js'
import { dropSchema, migrate, schemaNames } from '../src/postgres-migrations.js'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const chunk = Number(process.env.PROFILE_CHUNK ?? '200')
const rounds = Number(process.env.PROFILE_ROUNDS ?? '8')
const Counted = eventType('Counted', t.type({ n: t.number, note: t.string }))
const catalog = eventCatalog([Counted])
const metadata: EventMetadata = { actor: { party: 'supplier', id: 'bench' }, at: instantOf(Date.UTC(2025, 0, 1, 9)), correlationId: 'c-1' }
const data = (i: number) => ({ n: i, note: 'a short note about the work done' })
const meta = () => JSON.stringify({ ...metadata, recordedAt: new Date().toISOString() })

const options = process.env.PROFILE_ASYNC === '1' ? '-c synchronous_commit=off' : ''
const schema = `sl_profile_${process.pid}`
const s = schemaNames(schema)
const admin = postgresDatabase(new pg.Pool({ connectionString: url, max: 1 }))
await migrate(admin.db, { schema })

/** One connection per part, so that each part's server process is its own. */
interface Part {
  readonly name: string
  readonly pool: pg.Pool
  readonly call: (i: number, run: string) => Promise<unknown>
}
const pool = () => new pg.Pool({ connectionString: url, max: 1, options })
const statement = (name: string, text: string, values: (i: number, run: string) => unknown[] = () => []): Part => {
  const p = pool()
  return { name, pool: p, call: (i, run) => p.query({ name: 'part', text, values: values(i, run) }) }
}
const storePool = pool()
const store = postgresEventStore(catalog, createPostgresStorage({ database: postgresDatabase(storePool), schema }))
const parts: ReadonlyArray<Part> = [
  { name: 'store.append', pool: storePool, call: async (i, run) => {
    const r = await store.append(`p-${run}-${i}`, [{ event: { type: 'Counted', data: data(i) }, metadata }], { expectedVersion: 'no-stream' })()
    if (E.isLeft(r)) throw new Error(r.left.message)
  } },
  statement('the store\'s statement by hand',
    `SELECT status, actual, from_version, to_version, from_position, to_position, CASE WHEN status = 0 THEN NULL ELSE event_ids END AS event_ids, first_stream_id
     FROM ${s.q}.append_to_stream($1, $2, $3, $4::bytea, $5::text, ARRAY[$6::uuid], ARRAY[$7::text], ARRAY[$8::integer], ARRAY[$9::json], ARRAY[$10::json], $11)`,
    (i, run) => [`e-${run}-${i}`, -2, null, new Uint8Array(0), null, randomUUID(), 'Counted', 1, JSON.stringify(data(i)), meta(), true]),
  statement('append_to_stream, three columns back',
    `SELECT status, from_version, from_position FROM ${s.q}.append_to_stream($1, -2, NULL, NULL, NULL, ARRAY[$2::uuid], ARRAY['Counted'], ARRAY[1], ARRAY[$3::json], ARRAY[$4::json], true)`,
    (i, run) => [`h-${run}-${i}`, randomUUID(), JSON.stringify(data(i)), meta()]),
  statement('raw insert of the row',
    `INSERT INTO ${s.q}.events (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
     VALUES (nextval('${s.q}.event_position'), pg_current_xact_id(), $1, 1, $2, 'Counted', 1, $3, $4, sha256($5::bytea))`,
    (i, run) => [`r-${run}-${i}`, randomUUID(), JSON.stringify(data(i)), meta(), Buffer.from(`r-${run}-${i}`)]),
  statement('SELECT 1 (round trip)', 'SELECT 1'),
  statement('a transaction id (and its commit)', 'SELECT pg_current_xact_id()'),
  statement('the stream lock', `SELECT pg_advisory_xact_lock(${s.streamLockClass}, hashtext($1))`, (i, run) => [`l-${run}-${i}`]),
  statement('the stream and key lookups',
    `SELECT st.version, st.head_hash, ik.stream_id FROM (SELECT 1) AS one
     LEFT JOIN ${s.q}.streams st ON st.stream_id = $1 LEFT JOIN ${s.q}.idempotency_keys ik ON $2::text IS NOT NULL AND ik.idempotency_key = $2`,
    (i, run) => [`k-${run}-${i}`, null]),
  statement('position lock, stamp, positions',
    `SELECT nextval('${s.q}.event_position'), setval('${s.q}.fence_stamp', greatest(pg_current_xact_id()::text::bigint,
       coalesce(pg_sequence_last_value('${s.q}.fence_stamp'), 0))), pg_advisory_unlock(${s.positionLock})
     FROM (SELECT pg_advisory_lock(${s.positionLock}) OFFSET 0) AS locked`),
  statement('the stream head row', `INSERT INTO ${s.q}.streams (stream_id, version, head_hash) VALUES ($1, 1, sha256(convert_to($1, 'UTF8')))`, (i, run) => [`q-${run}-${i}`]),
  statement('a notification', `SELECT pg_notify('${s.channel}', $1)`, (i) => [String(i)]),
]

const backends = await Promise.all(parts.map(async (p) => Number((await p.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid)))
const serverCpu = (pid: number): number | undefined => {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000
  } catch {
    return undefined
  }
}
const totals = parts.map(() => ({ wall: 0, client: 0, server: 0 as number | undefined, n: 0 }))
const run = randomUUID().slice(0, 6)
for (let round = 0; round <= rounds; round++) {
  for (let k = 0; k < parts.length; k++) {
    const i = (k + round) % parts.length
    const part = parts[i]!
    const total = totals[i]!
    const pid = backends[i]!
    const s0 = serverCpu(pid)
    const c0 = process.cpuUsage()
    const w0 = process.hrtime.bigint()
    for (let j = 0; j < chunk; j++) await part.call(round * chunk + j, run)
    // Round 0 warms every part.
    if (round === 0) continue
    const c = process.cpuUsage(c0)
    const s1 = serverCpu(pid)
    total.wall += Number(process.hrtime.bigint() - w0) / 1000
    total.client += c.user + c.system
    total.server = s0 === undefined || s1 === undefined || total.server === undefined ? undefined : total.server + s1 - s0
    total.n += chunk
  }
}
const us = (x: number | undefined, n: number) => (x === undefined ? 'n/a' : (x / n).toFixed(0)).padStart(8)
console.log(`${'µs per call'.padEnd(40)}${'wall'.padStart(8)}${'client'.padStart(8)}${'server'.padStart(8)}   (client: this process's CPU; server: its server process's CPU)`)
parts.forEach((p, i) => {
  const x = totals[i]!
  console.log(`${p.name.padEnd(40)}${us(x.wall, x.n)}${us(x.client, x.n)}${us(x.server, x.n)}`)
})
await dropSchema(admin.db, schema)
await Promise.all(parts.map((p) => p.pool.end()))
await admin.db.destroy()
