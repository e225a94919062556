// The fence on a real server: a transaction that commits later is never passed, and the session holding readers back is named.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { settleRestoredEvents } from './postgres-migrations.js'
import { whoHoldsReadersBack } from './postgres-reader-fence.js'
import { DATABASE_URL, describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Ticked = eventType('Ticked', t.type({ n: t.number }))
const catalog = eventCatalog([Ticked])
const meta: EventMetadata = { actor: { party: 'system', id: 'fence-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const ticked = (n: number) => ({ event: { type: 'Ticked' as const, data: { n } }, metadata: meta })

describeWithServer('reader fence (PostgreSQL)', () => {
  let server: TestServer
  let storage: PostgresStorage
  let store: ReturnType<typeof postgresEventStore<(typeof catalog)['codec']['_A']>>
  let other: pg.Client

  beforeAll(async () => {
    server = await openTestServer()
    storage = createPostgresStorage({ database: server.database, schema: server.schema })
    store = postgresEventStore(catalog, storage)
    other = new pg.Client({ connectionString: DATABASE_URL, application_name: 'fence-holder' })
    await other.connect()
  })
  afterAll(async () => {
    await other.end()
    await storage.close()
    await server.drop()
  })

  const positionsAfter = async (after: number) => {
    const page = await store.readAll({ after, limit: 1000 })()
    if (E.isLeft(page)) throw new Error(page.left.message)
    return page.right.events.map((e) => e.globalPosition)
  }

  it('given an append in flight at a lower position, when a later append commits first, readers wait and then return both in order', async () => {
    const start = await positionsAfter(0)
    const after = start[start.length - 1] ?? 0
    // An append inside an open transaction: it takes its position now and commits at the end.
    await other.query('BEGIN')
    await other.query(
      `SELECT * FROM "${server.schema}".append_events(ARRAY['slow'], ARRAY[-1]::bigint[], ARRAY[NULL]::text[], ARRAY[NULL]::bytea[], ARRAY[1], ARRAY[NULL]::text[],
        ARRAY['0190a5e0-0000-7000-8000-00000000f001']::uuid[], ARRAY['Ticked'], ARRAY[1], ARRAY['{"n":1}']::json[],
        ARRAY[$1]::json[], true)`,
      [JSON.stringify({ ...meta, recordedAt: meta.at })],
    )
    const fast = await store.append('fast', [ticked(2)])()
    if (E.isLeft(fast)) throw new Error(fast.left.message)

    expect(await positionsAfter(after)).toEqual([])
    const fence = await whoHoldsReadersBack(storage)()
    if (E.isLeft(fence)) throw new Error(fence.left.message)
    expect(fence.right.eventsHeldBack).toBeGreaterThanOrEqual(1)
    expect(fence.right.holders).toEqual([
      expect.objectContaining({ pid: (other as unknown as { processID: number }).processID, application: 'fence-holder', state: 'idle in transaction' }),
    ])

    await other.query('COMMIT')
    const positions = await positionsAfter(after)
    expect(positions).toHaveLength(2)
    expect(positions[1]).toBe(fast.right.fromPosition)
    expect(positions[0]).toBeLessThan(fast.right.fromPosition)
  })

  it('given an idle transaction that only holds a transaction id, readers wait for it too; with none, nothing is held back', async () => {
    await other.query('BEGIN')
    await other.query('SELECT pg_current_xact_id()')
    const appended = await store.append('idle', [ticked(3)])()
    if (E.isLeft(appended)) throw new Error(appended.left.message)
    expect(await positionsAfter(appended.right.fromPosition - 1)).toEqual([])
    await other.query('ROLLBACK')
    expect(await positionsAfter(appended.right.fromPosition - 1)).toEqual([appended.right.fromPosition])
    const fence = await whoHoldsReadersBack(storage)()
    if (E.isLeft(fence)) throw new Error(fence.left.message)
    expect(fence.right.holders.map((h) => h.pid)).not.toContain((other as unknown as { processID: number }).processID)
  })

  it('given events restored from another cluster with transaction ids ahead of this one, readers see them once they are settled', async () => {
    const appended = await store.append('restored', [ticked(4)])()
    if (E.isLeft(appended)) throw new Error(appended.left.message)
    const q = sql.raw(`"${server.schema}".events`)
    await sql`UPDATE ${q} SET transaction_id = ((SELECT pg_current_xact_id()::text::bigint) + 1000000)::text::xid8
      WHERE global_position = ${appended.right.fromPosition}`.execute(server.database.db)
    expect(await positionsAfter(appended.right.fromPosition - 1)).toEqual([])
    expect(await settleRestoredEvents(server.database.db, { schema: server.schema })).toBe(1)
    expect(await positionsAfter(appended.right.fromPosition - 1)).toEqual([appended.right.fromPosition])
  })

  it('given an append that fails while it holds the position lock, the lock is released and other appends go on', async () => {
    // nextval is refused in a read-only transaction: the failure comes from inside the locked section.
    await other.query('BEGIN READ ONLY')
    await expect(
      other.query(
        `SELECT * FROM "${server.schema}".append_to_stream('read-only', -1, NULL, NULL, NULL, ARRAY['0190a5e0-0000-7000-8000-00000000f002']::uuid[],
          ARRAY['Ticked'], ARRAY[1], ARRAY['{"n":5}']::json[], ARRAY[$1]::json[], false)`,
        [JSON.stringify({ ...meta, recordedAt: meta.at })],
      ),
    ).rejects.toThrow(/read-only/)
    await other.query('ROLLBACK')
    const held = await other.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`)
    expect(held.rows[0]).toEqual({ n: 0 })
    const after = await Promise.race([store.append('after-failure', [ticked(6)])(), new Promise<E.Either<Error, never>>((r) => setTimeout(() => r(E.left(new Error('blocked'))), 3000))])
    expect(E.isRight(after)).toBe(true)
  })
})

