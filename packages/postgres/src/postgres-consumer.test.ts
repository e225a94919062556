// Consumers on PGlite: one connection, so a long handler also delays the lease ticks; the partition is still worked to the end.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPGlite, pgliteDatabase } from './pglite-connection.js'
import type { EventDatabase } from './postgres-connection.js'
import { startConsumer, type ConsumerLogEntry } from './postgres-consumer.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { migrate } from './postgres-migrations.js'

const Counted = eventType('Counted', t.type({ n: t.number }))
const catalog = eventCatalog([Counted])
const meta: EventMetadata = { actor: { party: 'system', id: 'consumer-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const counted = (n: number) => ({ event: { type: 'Counted' as const, data: { n } }, metadata: meta })

describe('consumers (PGlite)', () => {
  let pglite: Awaited<ReturnType<typeof openPGlite>>
  let database: EventDatabase
  let storage: PostgresStorage
  let store: ReturnType<typeof postgresEventStore<(typeof catalog)['codec']['_A']>>

  beforeAll(async () => {
    pglite = await openPGlite()
    database = pgliteDatabase(pglite)
    await migrate(database.db, { schema: 'consumers' })
    storage = createPostgresStorage({ database, schema: 'consumers', pollMs: 50 })
    store = postgresEventStore(catalog, storage)
    await sql.raw('CREATE TABLE consumers.seen (position bigint PRIMARY KEY)').execute(database.db)
  })
  afterAll(async () => {
    await storage.close()
    await pglite.close()
  })

  it('given handlers that outlast the lease and hold up its renewal, every event is handled once, and each stall is reported once', async () => {
    for (let i = 0; i < 6; i++) {
      const r = await store.append(`slow-${i}`, [counted(i)])()
      if (E.isLeft(r)) throw new Error(r.left.message)
    }
    const reports: ConsumerLogEntry[] = []
    const consumer = startConsumer(storage, {
      name: 'slow', catalog, batchSize: 1, leaseMs: 200, logger: (e) => reports.push(e),
      handle: async (events, tx) => {
        for (const e of events) await sql`INSERT INTO consumers.seen VALUES (${e.globalPosition})`.execute(tx)
        if (events.some((e) => e.data.n % 2 === 0)) await new Promise((r) => setTimeout(r, 450))
      },
    })
    const deadline = Date.now() + 20_000
    let seen: number[] = []
    while (seen.length < 6 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      seen = (await sql<{ position: number }>`SELECT position FROM consumers.seen ORDER BY 1`.execute(database.db)).rows.map((r) => Number(r.position))
    }
    const status = consumer.status()
    await consumer.stop()
    expect(seen).toEqual([1, 2, 3, 4, 5, 6])
    // Three slow batches (n = 0, 2, 4), each past the lease: three stalls, three recoveries.
    expect(reports.filter((r) => r.event === 'handler-stalled').map((r) => r.fromPosition)).toEqual([1, 3, 5])
    expect(reports.filter((r) => r.event === 'handler-recovered')).toHaveLength(3)
    expect(status.stalls).toBe(3)
  })
})
