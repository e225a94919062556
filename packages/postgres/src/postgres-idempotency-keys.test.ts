// Expiring idempotency keys on PGlite: old keys go, newer ones stay, and a retry with an expired key appends again.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEmbeddedStorage, type EmbeddedStorage } from './pglite-storage.js'
import { postgresEventStore } from './postgres-event-store.js'
import { expireIdempotencyKeys } from './postgres-idempotency-keys.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'keys-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })

describe('idempotency key expiry (PGlite)', () => {
  let embedded: EmbeddedStorage
  beforeAll(async () => {
    embedded = await openEmbeddedStorage({ inMemory: true })
  })
  afterAll(async () => {
    await embedded.close()
  })

  it('given keys recorded a day apart, expiring before the later one removes only the older, whose retry then appends again', async () => {
    const store = postgresEventStore(catalog, embedded.storage)
    const must = async <A>(te: () => Promise<E.Either<{ message: string }, A>>): Promise<A> => {
      const r = await te()
      if (E.isLeft(r)) throw new Error(r.left.message)
      return r.right
    }
    await must(store.append('old', [noted(1)], { idempotencyKey: 'old-key' }))
    await must(store.append('new', [noted(1)], { idempotencyKey: 'new-key' }))
    await sql`UPDATE support_ledger.idempotency_keys SET created_at = created_at - interval '1 day' WHERE idempotency_key = 'old-key'`.execute(embedded.storage.database.db)

    const removed = await expireIdempotencyKeys(embedded.storage, instantOf(Date.now() - 3_600_000))()
    expect(removed).toEqual(E.right(1))

    expect(await must(store.append('new', [noted(1)], { idempotencyKey: 'new-key' }))).toMatchObject({ replayed: true, toVersion: 1 })
    expect(await must(store.append('old', [noted(1)], { idempotencyKey: 'old-key' }))).toMatchObject({ replayed: false, toVersion: 2 })
  })
})
