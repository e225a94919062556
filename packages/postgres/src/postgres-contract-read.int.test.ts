// One contract's read on a real server: every append path stores the contract, the read waits at the fence like the global one, and uses the index.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { callAppend, type EncodedAppend } from './postgres-append-batcher.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { verifyAll } from './postgres-hash-chain.js'
import { DATABASE_URL, describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Ticked = eventType('Ticked', t.type({ n: t.number }))
const catalog = eventCatalog([Ticked])
const meta: EventMetadata = { actor: { party: 'system', id: 'contract-read-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const ticked = (n: number) => ({ event: { type: 'Ticked' as const, data: { n } }, metadata: meta })
const encoded = (streamId: string, contractId: string | null, count = 1): EncodedAppend => ({
  streamId,
  expected: -1,
  idempotencyKey: null,
  digest: new Uint8Array(0),
  contractId,
  events: Array.from({ length: count }, (_, n) => ({
    eventId: crypto.randomUUID(),
    type: 'Ticked',
    schemaVersion: 1,
    data: JSON.stringify({ n }),
    metadata: JSON.stringify({ ...meta, recordedAt: meta.at }),
  })),
})

describeWithServer('one contract read (PostgreSQL)', () => {
  let server: TestServer
  let storage: PostgresStorage
  let store: ReturnType<typeof postgresEventStore<(typeof catalog)['codec']['_A']>>
  let other: pg.Client

  beforeAll(async () => {
    server = await openTestServer()
    storage = createPostgresStorage({ database: server.database, schema: server.schema })
    store = postgresEventStore(catalog, storage)
    other = new pg.Client({ connectionString: DATABASE_URL, application_name: 'contract-fence-holder' })
    await other.connect()
  })
  afterAll(async () => {
    await other.end()
    await storage.close()
    await server.drop()
  })

  const contractRead = async (contractId: string, after = 0) => {
    const page = await store.readContract(contractId, { after, limit: 1000 })()
    if (E.isLeft(page)) throw new Error(page.left.message)
    return page.right.events.map((e) => [e.streamId, e.streamVersion] as const)
  }

  it('given a batch decided set-wise and one decided in order, each append keeps its own contract, and the hash chain still verifies', async () => {
    // Distinct streams: append_events decides set-wise.
    await callAppend(server.database.db, storage.names, false, [encoded('sw-a', 'C-1', 2), encoded('sw-b', 'C-2'), encoded('sw-c', null, 3)])
    // One stream twice: append_events hands the batch to append_events_in_order.
    await callAppend(server.database.db, storage.names, false, [encoded('io-a', 'C-1'), encoded('io-b', 'C-2', 2), encoded('io-a', 'C-1', 2)])
    // One append alone: append_to_stream.
    await callAppend(server.database.db, storage.names, false, [encoded('one-a', 'C-2')])
    expect(await contractRead('C-1')).toEqual([['sw-a', 1], ['sw-a', 2], ['io-a', 1], ['io-a', 2], ['io-a', 3]])
    expect(await contractRead('C-2')).toEqual([['sw-b', 1], ['io-b', 1], ['io-b', 2], ['one-a', 1]])
    const none = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(storage.names.q)}.events WHERE stream_id = 'sw-c' AND contract_id IS NULL`.execute(server.database.db)
    expect(none.rows[0]?.n).toBe(3)
    const verified = await verifyAll(storage)()
    if (E.isLeft(verified)) throw new Error(verified.left.message)
    expect(verified.right.problems).toEqual([])
    expect(verified.right.events).toBe(12)
  })

  it('given an append of the contract in flight at a lower position, when a later one commits first, the contract read waits and then returns both in order', async () => {
    const contractId = 'C-fence'
    await other.query('BEGIN')
    await other.query(
      `SELECT * FROM "${server.schema}".append_to_stream('slow-c', -1, NULL, NULL, $2, ARRAY['0190a5e0-0000-7000-8000-00000000fc01']::uuid[],
        ARRAY['Ticked'], ARRAY[1], ARRAY['{"n":1}']::json[], ARRAY[$1]::json[], false)`,
      [JSON.stringify({ ...meta, recordedAt: meta.at }), contractId],
    )
    const fast = await store.append('fast-c', [ticked(2)], { contractId })()
    if (E.isLeft(fast)) throw new Error(fast.left.message)
    // The later event is committed, but returning it now would let a paging reader pass the slow one.
    expect(await contractRead(contractId)).toEqual([])
    await other.query('COMMIT')
    expect(await contractRead(contractId)).toEqual([['slow-c', 1], ['fast-c', 1]])
  })

  it("reads a contract by the index on (contract_id, global_position), not by scanning the log", async () => {
    for (let i = 0; i < 20; i++) {
      await callAppend(server.database.db, storage.names, false, Array.from({ length: 50 }, (_, k) => encoded(`bulk-${i}-${k}`, `C-bulk-${k % 25}`, 4)))
    }
    await sql`ANALYZE ${sql.raw(storage.names.q)}.events`.execute(server.database.db)
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT global_position FROM ${sql.raw(storage.names.q)}.events
      WHERE contract_id = 'C-bulk-3' AND global_position > 0 AND transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
      ORDER BY global_position LIMIT 1000`.execute(server.database.db)
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/events_contract/)
    expect(await contractRead('C-bulk-3')).toHaveLength(20 * 2 * 4)
  })
})
