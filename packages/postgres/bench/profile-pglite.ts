/**
 * Where a lone append's time goes on PGlite, where nothing waits for a disk: the store's append,
 * its function called directly, and a raw insert of the same row (by `query`, and prepared through
 * the wire protocol as the store's lone append is), interleaved
 * over rounds. Run with `tsx --conditions=@support-ledger/source bench/profile-pglite.ts`.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { openPGlite, pgliteDatabase } from '../src/pglite-connection.js'
import { preparedStatements, type PGliteProtocol } from '../src/pglite-protocol.js'
import { createPostgresStorage, postgresEventStore } from '../src/postgres-event-store.js'
import { migrate } from '../src/postgres-migrations.js'

const n = Number(process.env.PROFILE_APPENDS ?? '1000')
const Counted = eventType('Counted', t.type({ n: t.number, note: t.string }))
const catalog = eventCatalog([Counted])
const metadata: EventMetadata = { actor: { party: 'supplier', id: 'bench' }, at: instantOf(Date.UTC(2025, 0, 1, 9)), correlationId: 'c-1' }
const data = (i: number) => ({ n: i, note: 'a short note about the work done' })
const meta = () => JSON.stringify({ ...metadata, recordedAt: new Date().toISOString() })

const pglite = await openPGlite()
const database = pgliteDatabase(pglite)
await migrate(database.db)
await pglite.query('CREATE SEQUENCE raw_position')
await pglite.query('CREATE TABLE raw_events (LIKE support_ledger.events INCLUDING ALL)')
const prepared = preparedStatements(pglite as unknown as PGliteProtocol)
const store = postgresEventStore(catalog, createPostgresStorage({ database }))
const fn = `SELECT * FROM support_ledger.append_to_stream($1, $2, $3, $4::bytea, $5::text, $6::uuid[], $7::text[], $8::integer[], $9::json[], $10::json[], $11)`
const raw = `INSERT INTO raw_events (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
  VALUES (nextval('raw_position'), pg_current_xact_id(), $1, 1, $2, 'Counted', 1, $3, $4, $5)`
const args = (s: string, i: number) => [s, -2, null, null, null, [randomUUID()], ['Counted'], [1], [JSON.stringify(data(i))], [meta()], false]

const parts: Record<string, (s: string, i: number) => Promise<unknown>> = {
  'store.append': async (s, i) => {
    const r = await store.append(s, [{ event: { type: 'Counted', data: data(i) }, metadata }], { expectedVersion: 'no-stream' })()
    if (E.isLeft(r)) throw new Error(r.left.message)
  },
  'append_to_stream, pglite.query': (s, i) => pglite.query(fn, args(s, i)),
  'raw insert, pglite.query': (s, i) => pglite.query(raw, [s, randomUUID(), JSON.stringify(data(i)), meta(), randomBytes(32)]),
  'raw insert, prepared by protocol': (s, i) => prepared('raw_insert', raw, [s, randomUUID(), JSON.stringify(data(i)), meta(), randomBytes(32)]),
  'SELECT 1, pglite.query': () => pglite.query('SELECT 1'),
}
const times = new Map<string, number[]>()
for (let round = 0; round < 5; round++) {
  const names = Object.keys(parts)
  for (const name of names.map((_, k) => names[(k + round) % names.length]!)) {
    const run = `${round}-${randomUUID().slice(0, 6)}`
    for (let i = 0; i < 100; i++) await parts[name]!(`w-${run}-${i}`, i)
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) await parts[name]!(`${name.length}-${run}-${i}`, i)
    times.set(name, [...(times.get(name) ?? []), Number(process.hrtime.bigint() - start) / 1000 / n])
  }
}
for (const [name, xs] of times) {
  const s = [...xs].sort((a, b) => a - b)
  console.log(`${name.padEnd(36)} median ${s[2]!.toFixed(0).padStart(5)} µs  (${s[0]!.toFixed(0)}-${s[4]!.toFixed(0)})`)
}
await pglite.close()
