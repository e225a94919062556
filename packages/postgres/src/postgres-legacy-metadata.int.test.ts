// Events stored while metadata named "when it happened" `occurredAt` still read, with `at`, on a real server.
import { eventCatalog, eventType, instantOf } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { callAppend } from './postgres-append-batcher.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Ticked = eventType('Ticked', t.type({ n: t.number }))
const catalog = eventCatalog([Ticked])
const happened = instantOf(Date.UTC(2025, 0, 1, 9))
const recorded = instantOf(Date.UTC(2025, 0, 1, 10))
const actor = { party: 'system', id: 'legacy-writer' } as const

describeWithServer('metadata written with the old name (PostgreSQL)', () => {
  let server: TestServer
  let storage: PostgresStorage

  beforeAll(async () => {
    server = await openTestServer()
    storage = createPostgresStorage({ database: server.database, schema: server.schema })
  })
  afterAll(async () => {
    await storage.close()
    await server.drop()
  })

  it('given a row whose metadata says occurredAt, the stream, the log and the contract read it with at', async () => {
    // The row as the store wrote it before the rename: the JSON goes in as it was, untouched by today's codecs.
    const legacy = JSON.stringify({ actor, occurredAt: happened, recordedAt: recorded, correlationId: 'c-1' })
    await callAppend(server.database.db, storage.names, false, [
      {
        streamId: 'legacy-1',
        expected: -1,
        idempotencyKey: null,
        digest: new Uint8Array(0),
        contractId: 'C-legacy',
        events: [{ eventId: crypto.randomUUID(), type: 'Ticked', schemaVersion: 1, data: JSON.stringify({ n: 1 }), metadata: legacy }],
      },
    ])
    const store = postgresEventStore(catalog, storage)
    const expected = { actor, at: happened, recordedAt: recorded, correlationId: 'c-1' }

    const stream = await store.readStream('legacy-1')()
    const all = await store.readAll({ after: 0 })()
    const contract = await store.readContract('C-legacy', { after: 0 })()
    for (const read of [stream, all, contract]) {
      if (E.isLeft(read)) throw new Error(read.left.message)
      expect(read.right.events.map((e) => e.metadata)).toEqual([expected])
    }
  })

  it('given a row with neither name, the read fails naming the field today\'s events carry', async () => {
    await callAppend(server.database.db, storage.names, false, [
      {
        streamId: 'legacy-2',
        expected: -1,
        idempotencyKey: null,
        digest: new Uint8Array(0),
        contractId: null,
        events: [{ eventId: crypto.randomUUID(), type: 'Ticked', schemaVersion: 1, data: JSON.stringify({ n: 1 }), metadata: JSON.stringify({ actor, recordedAt: recorded }) }],
      },
    ])
    const read = await postgresEventStore(catalog, storage).readStream('legacy-2')()
    expect(E.isLeft(read) && read.left).toMatchObject({ _tag: 'EventDecodeFailed', issues: [{ path: 'metadata.at' }] })
  })
})
