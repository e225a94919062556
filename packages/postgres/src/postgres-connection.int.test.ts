// LISTEN/NOTIFY on a real server: another process's append wakes a subscriber, also after its listening connection was cut.
import { eventCatalog, eventType, instantOf, type EventMetadata, type RecordedEvent } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { kyselyDatabase, postgresDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { DATABASE_URL, describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Pinged = eventType('Pinged', t.type({ n: t.number }))
const catalog = eventCatalog([Pinged])
const meta: EventMetadata = { actor: { party: 'system', id: 'listen-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const pinged = (n: number) => ({ event: { type: 'Pinged' as const, data: { n } }, metadata: meta })

describeWithServer('notifications (PostgreSQL)', () => {
  let server: TestServer
  let listening: PostgresStorage
  let writerPool: pg.Pool
  let writing: PostgresStorage

  beforeAll(async () => {
    server = await openTestServer()
    // Polling once a minute: within the test, only a notification can wake the subscriber.
    listening = createPostgresStorage({ database: server.database, schema: server.schema, pollMs: 60_000 })
    // Another pool stands for another process: its appends do not wake this process's subscribers directly.
    writerPool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
    writing = createPostgresStorage({ database: postgresDatabase(writerPool), schema: server.schema })
  })
  afterAll(async () => {
    await listening.close()
    await writing.close()
    await writerPool.end()
    await server.drop()
  })

  it('given a subscriber waiting on LISTEN, appends from elsewhere wake it, also after its connection was terminated', async () => {
    const received: RecordedEvent<(typeof catalog)['codec']['_A']>[] = []
    const sub = postgresEventStore(catalog, listening).subscribe({ after: 0, handle: async (es) => void received.push(...es) })
    const writer = postgresEventStore(catalog, writing)
    // Let the subscriber's first read find nothing and start to wait.
    await new Promise((r) => setTimeout(r, 300))

    const first = await writer.append('pings', [pinged(1)])()
    if (E.isLeft(first)) throw new Error(first.left.message)
    await Promise.race([sub.reached(first.right.toPosition), new Promise((_, reject) => setTimeout(() => reject(new Error('not woken')), 5_000))])

    const cut = await sql<{ n: number }>`
      SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE query = ${`LISTEN "${listening.names.channel}"`} AND pid <> pg_backend_pid()`.execute(server.database.db)
    expect(cut.rows[0]?.n).toBeGreaterThanOrEqual(1)
    await new Promise((r) => setTimeout(r, 500))

    const second = await writer.append('pings', [pinged(2)])()
    if (E.isLeft(second)) throw new Error(second.left.message)
    await Promise.race([sub.reached(second.right.toPosition), new Promise((_, reject) => setTimeout(() => reject(new Error('not woken after reconnect')), 10_000))])
    await sub.stop()
    expect(received.map((e) => e.data.n)).toEqual([1, 2])
  })

  it('given a database without LISTEN (as behind a transaction-pooling proxy), subscribers still receive appends by polling', async () => {
    const polling = createPostgresStorage({ database: kyselyDatabase(server.database.db), schema: server.schema, pollMs: 50 })
    const received: number[] = []
    const sub = postgresEventStore(catalog, polling).subscribe({ after: 0, handle: async (es) => void received.push(...es.map((e) => e.data.n)) })
    const appended = await postgresEventStore(catalog, writing).append('polled', [pinged(7)])()
    if (E.isLeft(appended)) throw new Error(appended.left.message)
    await Promise.race([sub.reached(appended.right.toPosition), new Promise((_, reject) => setTimeout(() => reject(new Error('not polled')), 5_000))])
    await sub.stop()
    await polling.close()
    expect(received).toContain(7)
  })
})

