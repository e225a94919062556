/**
 * Where an append's time goes: sequential one-event appends on a server, timed by part. Run with
 * `tsx --conditions=@support-ledger/source bench/profile-append.ts` (add `--cpu-prof` to node for
 * a JS profile). Prints the client time of the parts the store adds to a prepared call.
 */
import { randomUUID } from 'node:crypto'
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from '../src/postgres-event-store.js'
import { dropSchema, migrate } from '../src/postgres-migrations.js'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const n = Number(process.env.PROFILE_APPENDS ?? '2000')
const Counted = eventType('Counted', t.type({ n: t.number, note: t.string }))
const catalog = eventCatalog([Counted])
const metadata: EventMetadata = { actor: { party: 'supplier', id: 'bench' }, at: instantOf(Date.UTC(2025, 0, 1, 9)), correlationId: 'c-1' }
const event = (i: number) => ({ event: { type: 'Counted' as const, data: { n: i, note: 'a short note about the work done' } }, metadata })

const pool = new pg.Pool({ connectionString: url, max: 2, options: process.env.PROFILE_ASYNC === '1' ? '-c synchronous_commit=off' : '' })
const database = postgresDatabase(pool)
const schema = `sl_profile_${process.pid}`
await migrate(database.db, { schema })
const store = postgresEventStore(catalog, createPostgresStorage({ database, schema }))
const micros = (start: bigint) => Number(process.hrtime.bigint() - start) / 1000

const time = async (label: string, one: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < 200; i++) await one(-i - 1)
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await one(i)
  console.log(`${label.padEnd(48)}${(micros(start) / n).toFixed(1).padStart(8)} µs per call`)
}
const run = randomUUID().slice(0, 6)
const rawText = `INSERT INTO "${schema}".events (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
  VALUES (nextval('"${schema}".event_position'), pg_current_xact_id(), $1, 1, $2, 'Counted', 1, $3, $4, $5)`
for (let round = 0; round < 3; round++) {
  await time(`store.append (round ${round + 1})`, async (i) => {
    const r = await store.append(`p-${run}-${round}-${i}`, [event(i)], { expectedVersion: 'no-stream' })()
    if (E.isLeft(r)) throw new Error(r.left.message)
  })
  await time(`append_to_stream, prepared, by hand (round ${round + 1})`, (i) =>
    pool.query({
      name: 'by-hand',
      text: `SELECT * FROM "${schema}".append_to_stream($1, -2, NULL, NULL, NULL, $2::uuid[], ARRAY['Counted'], ARRAY[1], $3::json[], $4::json[], true)`,
      values: [`h-${run}-${round}-${i}`, [randomUUID()], [JSON.stringify(event(i).event.data)], [JSON.stringify({ ...metadata, recordedAt: new Date().toISOString() })]],
    }))
  await time(`raw insert, prepared (round ${round + 1})`, (i) =>
    pool.query({ name: 'raw', text: rawText, values: [`r-${run}-${round}-${i}`, randomUUID(), JSON.stringify(event(i).event.data), JSON.stringify({ ...metadata, recordedAt: new Date().toISOString() }), Buffer.alloc(32)] }))
  await time(`SELECT 1, prepared (round ${round + 1})`, () => pool.query({ name: 'one', text: 'SELECT 1' }))
}
await dropSchema(database.db, schema)
await pool.end()
