// The one-statement lone append on a real server: races fall back to the function with the same outcomes, and a failure never keeps the position lock.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { postgresDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { verifyAll } from './postgres-hash-chain.js'
import { DATABASE_URL, describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'statement-test' }, occurredAt: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })

describeWithServer('lone appends by one statement (PostgreSQL)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await openTestServer()
  })
  afterAll(async () => {
    await server.drop()
  })

  it('given eight lone appends racing on each version of one stream, each round has one winner, the rest WrongExpectedVersion, and the chain verifies', async () => {
    // Without group commit each append is its own statement on its own connection.
    const stores = Array.from({ length: 8 }, () => postgresEventStore(catalog, createPostgresStorage({ database: server.database, schema: server.schema, groupCommit: false })))
    for (let version = 0; version < 8; version++) {
      const outcomes = await Promise.all(stores.map((s, w) => s.append('raced', [noted(w), noted(w)], { expectedVersion: version * 2 })()))
      expect(outcomes.filter(E.isRight)).toHaveLength(1)
      expect(outcomes.filter(E.isLeft).map((o) => o.left._tag)).toEqual(Array.from({ length: 7 }, () => 'WrongExpectedVersion'))
    }
    const anyOutcomes = await Promise.all(stores.map((s, w) => s.append('raced', [noted(w)])()))
    expect(anyOutcomes.every(E.isRight)).toBe(true)
    const slice = await stores[0]!.readStream('raced')()
    expect(E.isRight(slice) && slice.right.events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1))
    const storage = createPostgresStorage({ database: server.database, schema: server.schema })
    const report = await verifyAll(storage)()
    expect(E.isRight(report) && report.right.problems).toEqual([])
  })

  it('given a lone append that fails while it holds the position lock, the lock is released and other appends go on', async () => {
    // A schema whose stamp sequence cannot rise: the append fails in setval, inside the locked section.
    const own = await openTestServer({ max: 1 })
    try {
      await own.pool.query(`ALTER SEQUENCE "${own.schema}".fence_stamp MAXVALUE 1`)
      const store = postgresEventStore(catalog, createPostgresStorage({ database: own.database, schema: own.schema }))
      const failed = await store.append('stuck', [noted(1)])()
      expect(E.isLeft(failed) && failed.left.message).toMatch(/maximum value|out of bounds/)
      const held = await own.pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`)
      expect(held.rows[0]).toEqual({ n: 0 })
      await own.pool.query(`ALTER SEQUENCE "${own.schema}".fence_stamp NO MAXVALUE`)
      const other = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
      try {
        const again = postgresEventStore(catalog, createPostgresStorage({ database: postgresDatabase(other), schema: own.schema }))
        const after = await Promise.race([again.append('after-failure', [noted(2)])(), new Promise<E.Either<Error, never>>((r) => setTimeout(() => r(E.left(new Error('blocked'))), 3000))])
        expect(E.isRight(after)).toBe(true)
      } finally {
        await other.end()
      }
    } finally {
      await own.drop()
    }
  })
})
