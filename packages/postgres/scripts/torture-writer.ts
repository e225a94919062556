/** A writer for the crash test: appends three events at a time to a few streams, as fast as it can, until it is killed. */
import { eventCatalog, eventType, instantOf } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from '../src/postgres-event-store.js'

const schema = process.argv[2] ?? 'support_ledger'
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: 8, application_name: 'torture-writer' })
const storage = createPostgresStorage({ database: postgresDatabase(pool), schema, groupCommit: { maxInFlight: 4 } })
const store = postgresEventStore(eventCatalog([eventType('Counted', t.type({ n: t.number }))]), storage)
const metadata = { actor: { party: 'system' as const, id: 'torture-writer' }, at: instantOf(Date.UTC(2025, 0, 1)) }

let appended = 0
const writer = async (w: number) => {
  for (let i = 0; ; i++) {
    const r = await store.append(`crash-${(w + i) % 5}`, [0, 1, 2].map((k) => ({ event: { type: 'Counted' as const, data: { n: i * 3 + k } }, metadata })))()
    if (E.isLeft(r)) throw new Error(r.left.message)
    if (++appended === 20) console.log('appending')
  }
}
await Promise.all(Array.from({ length: 6 }, (_, w) => writer(w)))
