// Group commit on PGlite: appends batched into one call keep their own checks and results, and one bad append fails only itself.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callAppend, type EncodedAppend } from './postgres-append-batcher.js'
import { appendOutcomeIdsCheck } from './postgres-append-outcome.fixture.js'
import { postgresEventStore, requestDigest, type PostgresStorage } from './postgres-event-store.js'
import { verifyAll } from './postgres-hash-chain.js'
import { openEmbeddedStorage, type EmbeddedStorage } from './pglite-storage.js'

const Counted = eventType('Counted', t.type({ n: t.number }))
const catalog = eventCatalog([Counted])
const meta: EventMetadata = { actor: { party: 'system', id: 'batch-test' }, occurredAt: instantOf(Date.UTC(2025, 0, 1)) }
const encoded = (streamId: string, expected: number, idempotencyKey: string | null, count = 1): EncodedAppend => {
  const events = Array.from({ length: count }, (_, n) => ({ eventId: crypto.randomUUID(), type: 'Counted', schemaVersion: 1, data: JSON.stringify({ n }), metadata: JSON.stringify({ ...meta, recordedAt: meta.occurredAt }) }))
  // Generated event ids, as the store makes when the caller gives none: not part of the request.
  return { streamId, expected, idempotencyKey, digest: requestDigest(streamId, expected, events, events.map(() => null)), events }
}

describe('group commit (PGlite)', () => {
  let embedded: EmbeddedStorage
  let storage: PostgresStorage

  beforeAll(async () => {
    embedded = await openEmbeddedStorage({ inMemory: true })
    storage = embedded.storage
  })
  afterAll(async () => {
    await embedded.close()
  })

  it('given one batch with a conflict, an in-batch retry, a reused key and appends to one stream, each gets its own outcome in order', async () => {
    const outcomes = await callAppend(storage.database.db, storage.names, true, [
      encoded('batch-a', -2, 'k1', 2), // appended at versions 1-2
      encoded('batch-a', -2, null), // no-stream, but the first append made it exist
      encoded('batch-a', -2, 'k1', 2), // the same key, same stream: the first result again
      encoded('batch-b', -3, null), // exists, on a new stream
      encoded('batch-b', 0, 'k1'), // the key belongs to batch-a
      encoded('batch-a', 2, null, 3), // exact, after the first: versions 3-5
      encoded('batch-c', -1, 'k2'), // independent
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['appended', 'wrong-version', 'replayed', 'wrong-version', 'key-reused', 'appended', 'appended'])
    const [first, conflict, replay, missing, reused, third] = outcomes
    expect(first).toMatchObject({ fromVersion: 1, toVersion: 2 })
    expect(conflict).toEqual({ status: 'wrong-version', actual: 2 })
    expect(replay).toEqual({ ...first, status: 'replayed' })
    expect(missing).toEqual({ status: 'wrong-version', actual: 0 })
    expect(reused).toEqual({ status: 'key-reused', firstStreamId: 'batch-a' })
    expect(third).toMatchObject({ fromVersion: 3, toVersion: 5 })
    if (first?.status !== 'appended' || third?.status !== 'appended') throw new Error('expected appends')
    expect(third.fromPosition).toBeGreaterThan(first.toPosition)

    const store = postgresEventStore(catalog, storage)
    const a = await store.readStream('batch-a')()
    expect(E.isRight(a) && a.right.events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5])
    const b = await store.readStream('batch-b')()
    expect(E.isRight(b) && b.right.version).toBe(0)
    const chain = await verifyAll(storage)()
    expect(E.isRight(chain) && chain.right.problems).toEqual([])
  })

  it('given one batch where no stream or key comes twice, each append is decided on its own, with positions in the order given', async () => {
    const [seeded] = await callAppend(storage.database.db, storage.names, true, [encoded('solo-a', -2, 'solo-k1', 2)])
    if (seeded?.status !== 'appended') throw new Error('expected an append')
    const outcomes = await callAppend(storage.database.db, storage.names, true, [
      encoded('solo-b', -2, null, 3), // new stream, three events
      encoded('solo-a', 1, null), // exact, but the stream is at 2
      encoded('solo-a2', -1, 'solo-k1'), // the key belongs to solo-a
      encoded('solo-c', -3, null), // exists, on a new stream
      encoded('solo-d', -1, 'solo-k2'), // new stream with a new key
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['appended', 'wrong-version', 'key-reused', 'wrong-version', 'appended'])
    const [b, conflict, reused, missing, d] = outcomes
    expect(conflict).toEqual({ status: 'wrong-version', actual: 2 })
    expect(reused).toEqual({ status: 'key-reused', firstStreamId: 'solo-a' })
    expect(missing).toEqual({ status: 'wrong-version', actual: 0 })
    if (b?.status !== 'appended' || d?.status !== 'appended') throw new Error('expected appends')
    expect(b).toMatchObject({ fromVersion: 1, toVersion: 3, toPosition: b.fromPosition + 2 })
    expect(d).toMatchObject({ fromVersion: 1, toVersion: 1, fromPosition: b.toPosition + 1 })

    const again = await callAppend(storage.database.db, storage.names, true, [
      encoded('solo-a', 2, null, 2), // an existing stream moves on from its head
      encoded('solo-d', -1, 'solo-k2'), // a retry: the first result, from the table
      encoded('solo-e', -1, 'solo-k1'), // a key recorded for another stream
    ])
    expect(again.map((o) => o.status)).toEqual(['appended', 'replayed', 'key-reused'])
    expect(again[0]).toMatchObject({ fromVersion: 3, toVersion: 4 })
    expect(again[1]).toEqual({ ...d, status: 'replayed' })

    const store = postgresEventStore(catalog, storage)
    const a = await store.readStream('solo-a')()
    expect(E.isRight(a) && [a.right.version, a.right.events.map((e) => e.streamVersion)]).toEqual([4, [1, 2, 3, 4]])
    const c = await store.readStream('solo-c')()
    expect(E.isRight(c) && c.right.version).toBe(0)
    const chain = await verifyAll(storage)()
    expect(E.isRight(chain) && chain.right.problems).toEqual([])
  })

  it('given concurrent appends through the store where one repeats a recorded event id, only that one fails', async () => {
    const store = postgresEventStore(catalog, storage)
    const first = await store.append('dup-a', [{ event: { type: 'Counted', data: { n: 1 } }, metadata: meta }])()
    if (E.isLeft(first)) throw new Error(first.left.message)
    const repeated = first.right.eventIds[0]
    const outcomes = await Promise.all([
      store.append('dup-b', [{ event: { type: 'Counted', data: { n: 2 } }, metadata: meta }])(),
      store.append('dup-c', [{ event: { type: 'Counted', data: { n: 3 } }, metadata: meta, ...(repeated === undefined ? {} : { eventId: repeated }) }])(),
      store.append('dup-d', [{ event: { type: 'Counted', data: { n: 4 } }, metadata: meta }])(),
    ])
    expect(outcomes.map((o) => (E.isRight(o) ? 'ok' : o.left._tag))).toEqual(['ok', 'InvalidAppend', 'ok'])
  })

  it('given one-event, several-event, batched and replayed appends through the store, each result names the ids stored, a replay the first ones', async () => {
    await appendOutcomeIdsCheck(storage, 'ids')
  })

  it('given a transaction holding the connection, an append waits for it and is not part of it', async () => {
    const store = postgresEventStore(catalog, storage)
    let appended: Promise<unknown> | undefined
    await storage.database.db
      .transaction()
      .execute(async (trx) => {
        await sql`SELECT 1`.execute(trx)
        appended = store.append('outside-trx', [{ event: { type: 'Counted', data: { n: 1 } }, metadata: meta }])()
        // Give the append every chance to run on the connection the transaction holds.
        await new Promise((r) => setTimeout(r, 50))
        throw new Error('roll back')
      })
      .catch(() => undefined)
    const result = await appended
    expect(E.isRight(result as E.Either<unknown, unknown>)).toBe(true)
    const read = await store.readStream('outside-trx')()
    expect(E.isRight(read) && read.right.version).toBe(1)
  })
})
