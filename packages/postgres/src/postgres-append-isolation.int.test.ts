// Concurrent appends when the server's default isolation is REPEATABLE READ or SERIALIZABLE: the same outcomes as under READ COMMITTED.
import { eventCatalog, eventType, instantOf, type AppendError, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { DATABASE_URL, describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'isolation-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })

describeWithServer('appends under a stricter default isolation (PostgreSQL)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await openTestServer()
  })
  afterAll(async () => {
    await server.drop()
  })

  describe.each(['repeatable read', 'serializable'])('%s', (isolation) => {
    let pool: pg.Pool
    const writers = 8
    // One store per writer, without group commit: every append is its own transaction on its own connection.
    const stores = () => {
      const database = postgresDatabase(pool)
      return Array.from({ length: writers }, () => postgresEventStore(catalog, createPostgresStorage({ database, schema: server.schema, groupCommit: false })))
    }
    beforeAll(async () => {
      pool = new pg.Pool({ connectionString: DATABASE_URL, max: writers, options: `-c default_transaction_isolation=${isolation.replace(' ', '\\ ')}` })
      const shown = await pool.query('SHOW default_transaction_isolation')
      expect(shown.rows[0]).toEqual({ default_transaction_isolation: isolation })
    })
    afterAll(async () => {
      await pool.end()
    })

    const tags = (outcomes: ReadonlyArray<E.Either<AppendError, unknown>>) => outcomes.map((o) => (E.isRight(o) ? 'appended' : o.left._tag))

    it('given concurrent appends at one expected version, each round has one winner and the rest get WrongExpectedVersion', async () => {
      const all = stores()
      const id = `race-${isolation.replace(' ', '-')}`
      for (let version = 0; version < 6; version++) {
        const outcomes = await Promise.all(all.map((s, w) => s.append(id, [noted(w)], { expectedVersion: version })()))
        const t = tags(outcomes)
        expect(t.filter((x) => x === 'appended')).toHaveLength(1)
        expect(t.filter((x) => x !== 'appended')).toEqual(Array.from({ length: writers - 1 }, () => 'WrongExpectedVersion'))
      }
      const slice = await all[0]!.readStream(id)()
      expect(E.isRight(slice) && slice.right.version).toBe(6)
    })

    it('given concurrent appends expecting any version or a new stream, every one is decided on the latest state', async () => {
      const all = stores()
      const id = `any-${isolation.replace(' ', '-')}`
      const anyOutcomes = await Promise.all(all.map((s, w) => s.append(id, [noted(w)])()))
      expect(tags(anyOutcomes)).toEqual(Array.from({ length: writers }, () => 'appended'))
      const fresh = `fresh-${isolation.replace(' ', '-')}`
      const created = tags(await Promise.all(all.map((s, w) => s.append(fresh, [noted(w)], { expectedVersion: 'no-stream' })())))
      expect(created.filter((x) => x === 'appended')).toHaveLength(1)
      expect(created.filter((x) => x === 'WrongExpectedVersion')).toHaveLength(writers - 1)
    })

    it('given concurrent retries with one idempotency key, one append is written and the others replay it', async () => {
      const all = stores()
      const id = `keyed-${isolation.replace(' ', '-')}`
      const outcomes = await Promise.all(all.map((s) => s.append(id, [noted(1)], { idempotencyKey: `k-${id}` })()))
      expect(tags(outcomes)).toEqual(Array.from({ length: writers }, () => 'appended'))
      const replayed = outcomes.map((o) => E.isRight(o) && o.right.replayed)
      expect(replayed.filter((r) => !r)).toHaveLength(1)
    })
  })
})
