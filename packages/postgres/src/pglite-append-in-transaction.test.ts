// Appends in a caller's transaction on PGlite: the application's row and its events commit or roll back together, all delivered.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEmbeddedStorage, type EmbeddedStorage } from './pglite-storage.js'
import { kyselyDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'pglite-in-transaction' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })

describe('appends in a caller\'s transaction (PGlite)', () => {
  let embedded: EmbeddedStorage
  beforeAll(async () => {
    embedded = await openEmbeddedStorage({ inMemory: true })
    await sql`CREATE TABLE app_rows (id text PRIMARY KEY)`.execute(embedded.storage.database.db)
  })
  afterAll(async () => {
    await embedded.close()
  })

  it('given its own row and then two appends in one transaction, readers deliver both appends once it commits, and nothing of a rolled-back one', async () => {
    const { db } = embedded.storage.database
    const reader = postgresEventStore(catalog, embedded.storage)
    await db.transaction().execute(async (trx) => {
      await sql`INSERT INTO app_rows (id) VALUES ('row-1')`.execute(trx)
      const store = postgresEventStore(catalog, createPostgresStorage({ database: kyselyDatabase(trx, 'pglite') }))
      expect(E.isRight(await store.append('mine', [noted(1)])())).toBe(true)
      expect(E.isRight(await store.append('mine', [noted(2)])())).toBe(true)
    })
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`INSERT INTO app_rows (id) VALUES ('row-2')`.execute(trx)
        const store = postgresEventStore(catalog, createPostgresStorage({ database: kyselyDatabase(trx, 'pglite') }))
        expect(E.isRight(await store.append('mine', [noted(3)])())).toBe(true)
        throw new Error('rolled back')
      }),
    ).rejects.toThrow(/rolled back/)
    const page = await reader.readAll({ after: 0 })()
    expect(E.isRight(page) && page.right.events.map((e) => `${e.streamId}@${e.streamVersion}`)).toEqual(['mine@1', 'mine@2'])
    expect((await sql<{ id: string }>`SELECT id FROM app_rows`.execute(db)).rows).toEqual([{ id: 'row-1' }])
  })
})
