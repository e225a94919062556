// Appends inside a caller's transaction on a real server: readers never pass a position that can still commit.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { kyselyDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'in-transaction-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })

/** A promise and the function that resolves it: the steps of two transactions, interleaved by hand. */
const gate = () => {
  let open: () => void = () => undefined
  const opened = new Promise<void>((r) => {
    open = r
  })
  return { opened, open }
}

describeWithServer('appends in a caller\'s transaction (PostgreSQL)', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await openTestServer()
    await sql.raw(`CREATE TABLE "${server.schema}".app_rows (id text PRIMARY KEY)`).execute(server.database.db)
  })
  afterAll(async () => {
    await server.drop()
  })

  const storeIn = (trx: Kysely<unknown>) => postgresEventStore(catalog, createPostgresStorage({ database: kyselyDatabase(trx), schema: server.schema }))
  const reader = () => postgresEventStore(catalog, createPostgresStorage({ database: server.database, schema: server.schema }))
  const must = async <A>(te: () => Promise<E.Either<{ message: string }, A>>): Promise<A> => {
    const r = await te()
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }

  /** A consumer's view: reads from its checkpoint and moves it to the last event returned. */
  const consumer = async () => {
    const store = reader()
    let checkpoint = (await must(store.readAll({ after: 0, limit: 100_000 }))).next
    const delivered: string[] = []
    return {
      poll: async () => {
        const page = await must(store.readAll({ after: checkpoint, limit: 1000 }))
        delivered.push(...page.events.map((e) => `${e.streamId}@${e.streamVersion}`))
        checkpoint = page.next
      },
      delivered,
    }
  }

  it('given a transaction that wrote its own row first, when another append holds a lower position open, readers wait for it and deliver both', async () => {
    const c = await consumer()
    const mineHasId = gate()
    const theirsHolds = gate()
    const mineCommitted = gate()
    const mine = server.database.db.transaction().execute(async (trx) => {
      // The application's own row: the transaction takes its id here, before any position.
      await sql`INSERT INTO ${sql.table(`${server.schema}.app_rows`)} (id) VALUES ('row-1')`.execute(trx)
      mineHasId.open()
      await theirsHolds.opened
      await must(storeIn(trx).append('own-row-first', [noted(1)]))
    })
    const theirs = server.database.db.transaction().execute(async (trx) => {
      await mineHasId.opened
      await must(storeIn(trx).append('held-open', [noted(2)]))
      theirsHolds.open()
      await mineCommitted.opened
      await c.poll()
    })
    await mine
    mineCommitted.open()
    await theirs
    await c.poll()
    expect(c.delivered.sort()).toEqual(['held-open@1', 'own-row-first@1'])
  })

  it('given two appends in one transaction with another append between them, readers deliver all three', async () => {
    const c = await consumer()
    const firstDone = gate()
    const theirsHolds = gate()
    const mineCommitted = gate()
    const mine = server.database.db.transaction().execute(async (trx) => {
      const store = storeIn(trx)
      await must(store.append('twice', [noted(1)]))
      firstDone.open()
      await theirsHolds.opened
      await must(store.append('twice', [noted(2)]))
    })
    const theirs = server.database.db.transaction().execute(async (trx) => {
      await firstDone.opened
      await must(storeIn(trx).append('between', [noted(3)]))
      theirsHolds.open()
      await mineCommitted.opened
      await c.poll()
    })
    await mine
    mineCommitted.open()
    await theirs
    await c.poll()
    expect(c.delivered.sort()).toEqual(['between@1', 'twice@1', 'twice@2'])
  })

  it('given a transaction with its own row and its events that rolls back, neither is kept', async () => {
    const before = (await must(reader().readAll({ after: 0, limit: 100_000 }))).next
    await expect(
      server.database.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO ${sql.table(`${server.schema}.app_rows`)} (id) VALUES ('row-2')`.execute(trx)
        await must(storeIn(trx).append('rolled-back', [noted(4)]))
        throw new Error('the application changed its mind')
      }),
    ).rejects.toThrow(/changed its mind/)
    expect((await must(reader().readAll({ after: before }))).events).toEqual([])
    const rows = await sql`SELECT id FROM ${sql.table(`${server.schema}.app_rows`)} WHERE id = 'row-2'`.execute(server.database.db)
    expect(rows.rows).toEqual([])
  })
})
