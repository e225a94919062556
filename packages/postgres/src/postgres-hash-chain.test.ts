// The hash chain on PGlite: an untouched log verifies; altered, removed and inserted events are each reported where they are.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPGlite, pgliteDatabase } from './pglite-connection.js'
import type { EventDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { streamHead, verifyAll, verifyStream, type ChainReport, type LogReport } from './postgres-hash-chain.js'
import { migrate } from './postgres-migrations.js'

const Noted = eventType('Noted', t.type({ text: t.string }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'customer', id: 'auditor' }, at: instantOf(Date.UTC(2025, 2, 3)) }
const noted = (text: string) => ({ event: { type: 'Noted' as const, data: { text } }, metadata: meta })

describe('hash chain (PGlite)', () => {
  let pglite: Awaited<ReturnType<typeof openPGlite>>
  let database: EventDatabase
  let storage: PostgresStorage
  let store: ReturnType<typeof postgresEventStore<(typeof catalog)['codec']['_A']>>

  beforeAll(async () => {
    pglite = await openPGlite()
    database = pgliteDatabase(pglite)
    await migrate(database.db, { schema: 'chain' })
    storage = createPostgresStorage({ database, schema: 'chain' })
    store = postgresEventStore(catalog, storage)
  })
  afterAll(async () => {
    await storage.close()
    await pglite.close()
  })

  const appendFive = async (id: string) => {
    const r = await store.append(id, ['a', 'b', 'c', 'd', 'e'].map(noted))()
    if (E.isLeft(r)) throw new Error(r.left.message)
  }
  const report = async (id: string): Promise<ChainReport> => {
    const r = await verifyStream(storage, id)()
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }
  const reportAll = async (): Promise<LogReport> => {
    const r = await verifyAll(storage)()
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }
  const exec = (text: string) => sql.raw(text).execute(database.db)

  it('given untouched streams, every chain verifies, and group-committed appends to one stream chain in order', async () => {
    await appendFive('intact')
    await Promise.all(['x', 'y', 'z'].map((s) => store.append('intact-batch', [noted(s)])()))
    const all = await reportAll()
    expect(all.problems).toEqual([])
    expect(all).toMatchObject({ streams: 2, events: 8 })
    const head = await streamHead(storage, 'intact')()
    expect(E.isRight(head) && head.right).toMatchObject({ version: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
  })

  it('given an event whose data was changed in place, that event is reported as altered', async () => {
    await appendFive('edited')
    await exec(`UPDATE chain.events SET data = '{"text":"B"}' WHERE stream_id = 'edited' AND stream_version = 2`)
    expect((await report('edited')).problems).toEqual([expect.objectContaining({ kind: 'altered', streamVersion: 2 })])
  })

  it('given an event removed from the middle, the gap is reported; removed from the end, the head is', async () => {
    await appendFive('holed')
    await exec(`DELETE FROM chain.events WHERE stream_id = 'holed' AND stream_version = 3`)
    expect((await report('holed')).problems.map((p) => [p.kind, p.streamVersion])).toEqual([['missing', 4]])
    await appendFive('cut')
    await exec(`DELETE FROM chain.events WHERE stream_id = 'cut' AND stream_version = 5`)
    expect((await report('cut')).problems).toEqual([expect.objectContaining({ kind: 'head-mismatch', streamVersion: 5 })])
  })

  it('given an event inserted by hand at the end, both its hash and the head are reported, and verifyAll finds every problem', async () => {
    await appendFive('padded')
    await exec(`INSERT INTO chain.events (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
      SELECT global_position + 100000, transaction_id, stream_id, 6, '0190a5e0-0000-7000-8000-0000000000ff', type, schema_version, data, metadata, hash
      FROM chain.events WHERE stream_id = 'padded' AND stream_version = 5`)
    expect((await report('padded')).problems.map((p) => [p.kind, p.streamVersion])).toEqual([['head-mismatch', 5], ['altered', 6]])
    const all = await reportAll()
    expect([...new Set(all.problems.map((p) => ('streamId' in p ? p.streamId : '')))].sort()).toEqual(['cut', 'edited', 'holed', 'padded'])
  })
})
