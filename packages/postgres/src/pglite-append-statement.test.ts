// The one-statement lone append on PGlite: a failure inside the position lock leaves the one session without it.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEmbeddedStorage, type EmbeddedStorage } from './pglite-storage.js'
import { postgresEventStore } from './postgres-event-store.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'pglite-statement' }, occurredAt: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })

describe('lone appends by one statement (PGlite)', () => {
  let embedded: EmbeddedStorage
  beforeAll(async () => {
    embedded = await openEmbeddedStorage({ inMemory: true })
  })
  afterAll(async () => {
    await embedded.close()
  })

  it('given an append that fails while it holds the position lock, the lock is released and later appends are written', async () => {
    const { db } = embedded.storage.database
    const store = postgresEventStore(catalog, embedded.storage)
    // The stamp sequence cannot rise: the append fails in setval, inside the locked section.
    await sql`ALTER SEQUENCE support_ledger.fence_stamp MAXVALUE 1`.execute(db)
    const failed = await store.append('stuck', [noted(1)])()
    expect(E.isLeft(failed) && failed.left._tag).toBe('StoreUnavailable')
    const held = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`.execute(db)
    expect(held.rows).toEqual([{ n: 0 }])
    await sql`ALTER SEQUENCE support_ledger.fence_stamp NO MAXVALUE`.execute(db)
    const after = await store.append('after-failure', [noted(2)])()
    expect(E.isRight(after) && after.right.toVersion).toBe(1)
  })
})
