// Log seals on a real server: sealed while eight writers append, every seal still holds, and a swap or a removed stream breaks one.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { verifyAll } from './postgres-hash-chain.js'
import { sealLog, verifyAgainstSeal, type LogSeal } from './postgres-log-seal.js'
import { whoHoldsReadersBack } from './postgres-reader-fence.js'
import { describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ text: t.string }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'supplier', id: 'sealer' }, at: instantOf(Date.UTC(2025, 5, 1)) }
const noted = (text: string) => ({ event: { type: 'Noted' as const, data: { text } }, metadata: meta })

describeWithServer('log seals (PostgreSQL)', () => {
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

  // Every append has returned, so every event is committed; but the fence is cluster-wide, and
  // another client's open transaction may hold the last ones back for a moment: seal until none
  // is left, and say who held them if that takes too long.
  const sealEverything = async (): Promise<LogSeal> => {
    const deadline = Date.now() + 30_000
    for (;;) {
      const made = await sealLog(storage)()
      if (E.isLeft(made)) throw new Error(made.left.message)
      const total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.raw(`"${server.schema}".events`)}`.execute(server.database.db)).rows[0]?.n)
      if (made.right !== undefined && made.right.events === total) return made.right
      if (Date.now() > deadline) {
        const fence = await whoHoldsReadersBack(storage)()
        throw new Error(`events left unsealed; reader fence: ${JSON.stringify(E.isRight(fence) ? fence.right : fence.left)}`)
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  it('given seals made while eight writers append, no later commit lands inside a seal: every seal verifies, kept or in the table', async () => {
    let writing = true
    const kept: LogSeal[] = []
    const sealer = (async () => {
      while (writing) {
        const s = await sealLog(storage, { maxEvents: 25 })()
        if (E.isLeft(s)) throw new Error(s.left.message)
        if (s.right !== undefined && s.right.sealNo !== kept[kept.length - 1]?.sealNo) kept.push(s.right)
        await new Promise((r) => setTimeout(r, 1))
      }
    })()
    // One call per append, on eight connections: commits land out of position order, which is what a seal must not cut into.
    const writers = postgresEventStore(catalog, createPostgresStorage({ database: server.database, schema: server.schema, groupCommit: false, notify: false }))
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 150; i++) {
        const r = await writers.append(`writer-${w}-${i % 5}`, i % 3 === 0 ? [noted(`${w}.${i}`), noted('more')] : [noted(`${w}.${i}`)])()
        if (E.isLeft(r)) throw new Error(r.left.message)
      }
    }))
    // Counted in the table: one sealLog call may make many seals while it catches up with the writers.
    const madeWhileWriting = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.raw(`"${server.schema}".log_seals`)}`.execute(server.database.db)).rows[0]?.n)
    writing = false
    await sealer
    const last = await sealEverything()
    const events = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.raw(`"${server.schema}".events`)}`.execute(server.database.db)).rows[0]?.n)
    expect(last.events).toBe(events)
    // Seals were made while appends were in flight, more than once.
    expect(madeWhileWriting).toBeGreaterThanOrEqual(3)
    const report = await verifyAll(storage)()
    expect(E.isRight(report) && report.right).toMatchObject({ problems: [], seals: { unsealedEvents: 0, sealedThrough: last.throughPosition } })
    for (const seal of [...kept, last]) {
      const check = await verifyAgainstSeal(storage, seal)()
      expect(E.isRight(check) && check.right.problems).toEqual([])
    }
  })

  it('given a writer whose transaction took a position and has not committed, a seal stops before it and later events, and still holds after it commits', async () => {
    const q = `"${server.schema}"`
    const writer = await server.pool.connect()
    try {
      // A hand-made append, held open: a transaction id first, then a position, as the store's append takes them.
      await writer.query('BEGIN')
      await writer.query(`INSERT INTO ${q}.events (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash)
        SELECT nextval('${q}.event_position'), pg_current_xact_id(), 'slow-writer', 1, '0190a5e0-0000-7000-8000-00000000beef', 'Noted', 1, d, m,
          ${q}.event_hash('\\x'::bytea, 'slow-writer', 1, '0190a5e0-0000-7000-8000-00000000beef', 'Noted', 1, d, m)
        FROM (SELECT '{"text":"late"}'::json AS d, '{}'::json AS m) AS v`)
      await writer.query(`INSERT INTO ${q}.streams (stream_id, version, head_hash) SELECT stream_id, 1, hash FROM ${q}.events WHERE stream_id = 'slow-writer'`)
      const slow = Number((await writer.query<{ p: string }>(`SELECT currval('${q}.event_position') AS p`)).rows[0]?.p)
      const after = await postgresEventStore(catalog, storage).append('fast-writer', [noted('early')])()
      if (E.isLeft(after)) throw new Error(after.left.message)
      expect(after.right.fromPosition).toBeGreaterThan(slow)
      const sealed = await sealLog(storage)()
      expect(E.isRight(sealed) && (sealed.right?.throughPosition ?? 0)).toBeLessThan(slow)
      await writer.query('COMMIT')
    } finally {
      writer.release()
    }
    await sealEverything()
    const report = await verifyAll(storage)()
    expect(E.isRight(report) && report.right).toMatchObject({ problems: [], seals: { unsealedEvents: 0 } })
  })

  it('given two sealed events swapped between streams, then a sealed stream removed whole, verifyAll reports each', async () => {
    const events = sql.raw(`"${server.schema}".events`)
    const positions = (await sql<{ p: string }>`SELECT min(global_position) AS p FROM ${events} WHERE stream_id IN ('writer-0-0', 'writer-1-0') GROUP BY stream_id`.execute(server.database.db)).rows.map((r) => Number(r.p))
    const [a, b] = positions
    if (a === undefined || b === undefined) throw new Error('no events to swap')
    await server.database.db.transaction().execute(async (tx) => {
      await sql`UPDATE ${events} SET global_position = -1 WHERE global_position = ${a}`.execute(tx)
      await sql`UPDATE ${events} SET global_position = ${a} WHERE global_position = ${b}`.execute(tx)
      await sql`UPDATE ${events} SET global_position = ${b} WHERE global_position = -1`.execute(tx)
    })
    const swapped = await verifyAll(storage)()
    if (E.isLeft(swapped)) throw new Error(swapped.left.message)
    expect(swapped.right.problems.length).toBeGreaterThanOrEqual(1)
    expect(swapped.right.problems.every((p) => p.kind === 'seal-broken')).toBe(true)

    const before = swapped.right.problems.length
    await sql`DELETE FROM ${events} WHERE stream_id = 'writer-7-4'`.execute(server.database.db)
    await sql`DELETE FROM ${sql.raw(`"${server.schema}".streams`)} WHERE stream_id = 'writer-7-4'`.execute(server.database.db)
    const removed = await verifyAll(storage)()
    if (E.isLeft(removed)) throw new Error(removed.left.message)
    expect(removed.right.problems.length).toBeGreaterThan(before)
    expect(removed.right.problems.every((p) => p.kind === 'seal-broken')).toBe(true)
  })
})
