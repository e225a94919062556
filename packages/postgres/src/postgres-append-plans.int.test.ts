// Appends find their streams and keys by index, however small the tables were when the plan was made (docs/decisions/0137).
import { randomUUID } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import { afterAll, expect, it } from 'vitest'
import { callAppend, type EncodedAppend } from './postgres-append-batcher.js'
import { schemaNames } from './postgres-migrations.js'
import { describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const event = () => ({ eventId: randomUUID(), type: 'Noted', schemaVersion: 1, data: '{"n":1}', metadata: '{}' })
const append = (streamId: string, idempotencyKey: string | null, expected = -1): EncodedAppend => ({
  streamId,
  expected,
  idempotencyKey,
  digest: new Uint8Array(32),
  contractId: null,
  events: [event()],
})

describeWithServer('appends look up streams and keys by index (PostgreSQL)', () => {
  const servers: TestServer[] = []

  /**
   * A schema of its own on one connection (the plans measured are the ones its earlier appends
   * cached), holding a few hundred streams and keys, analysed: small enough that a plan would
   * rather scan them than probe.
   */
  const seeded = async (): Promise<TestServer> => {
    const server = await openTestServer({ max: 1 })
    servers.push(server)
    const names = schemaNames(server.schema)
    for (let i = 0; i < 30; i++) {
      await callAppend(server.database.db, names, false, Array.from({ length: 10 }, (_, k) => append(`seed-${i}-${k}`, `seed-key-${i}-${k}`)))
    }
    await sql.raw(`ANALYZE ${names.q}.streams, ${names.q}.idempotency_keys`).execute(server.database.db)
    return server
  }
  afterAll(async () => {
    for (const server of servers) await server.drop()
  })

  /** Whole-table scans of streams and keys while `work` runs, in one transaction on the server's one connection. */
  const scansDuring = (server: TestServer, work: (trx: Transaction<unknown>) => Promise<void>) =>
    server.database.db.transaction().execute(async (trx) => {
      // The backend's counts not yet reported include earlier work on its connection (the migrations' index builds).
      const counted = async () => {
        const { rows } = await sql<{ relname: string; seq_scan: string | number }>`
          SELECT relname, seq_scan FROM pg_stat_xact_user_tables
          WHERE schemaname = ${server.schema} AND relname IN ('streams', 'idempotency_keys')`.execute(trx)
        return new Map(rows.map((r) => [r.relname, Number(r.seq_scan)]))
      }
      const before = await counted()
      await work(trx)
      const after = await counted()
      return Object.fromEntries(['streams', 'idempotency_keys'].map((t) => [t, (after.get(t) ?? 0) - (before.get(t) ?? 0)]))
    })

  it('given small analysed tables, lone appends to new and existing streams, with and without keys, never scan streams or keys whole', async () => {
    const server = await seeded()
    const names = schemaNames(server.schema)
    const scans = await scansDuring(server, async (trx) => {
      // More calls than the plan cache tries custom plans for, so the cached plan is the one measured.
      for (let call = 0; call < 12; call++) {
        const outcomes = [
          ...(await callAppend(trx, names, false, [append(`lone-${call}`, null, -2)])),
          ...(await callAppend(trx, names, false, [append(`seed-${call}-0`, `lone-key-${call}`, 1)])),
          ...(await callAppend(trx, names, false, [append(`seed-${call % 10}-3`, `seed-key-${call % 10}-3`)])),
        ]
        expect(outcomes.map((o) => o.status)).toEqual(['appended', 'appended', 'replayed'])
      }
    })
    expect(scans).toEqual({ streams: 0, idempotency_keys: 0 })
  })

  it('given small analysed tables, batches of existing and new streams with and without keys never scan streams or keys whole', async () => {
    const server = await seeded()
    const names = schemaNames(server.schema)
    const scans = await scansDuring(server, async (trx) => {
      // More calls than the plan cache tries custom plans for, so the cached plan is the one measured.
      for (let call = 0; call < 12; call++) {
        const outcomes = await callAppend(trx, names, false, [
          append(`seed-${call}-1`, null),
          append(`seed-${call}-2`, `new-key-${call}`, 1),
          append(`fresh-${call}`, null, -2),
          append(`seed-${call % 10}-3`, `seed-key-${call % 10}-3`),
        ])
        expect(outcomes.map((o) => o.status)).toEqual(['appended', 'appended', 'appended', 'replayed'])
      }
    })
    expect(scans).toEqual({ streams: 0, idempotency_keys: 0 })
  })

  it('the append functions plan with index scans only, the batch one with one generic plan per connection', async () => {
    const server = await openTestServer({ max: 1 })
    servers.push(server)
    // Array parameters of a new length each call would otherwise make the planner plan a batch's statements on every call.
    const { rows } = await sql<{ proname: string; proconfig: ReadonlyArray<string> | null }>`
      SELECT p.proname, p.proconfig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ${server.schema} AND p.proname IN ('append_events', 'append_to_stream') ORDER BY p.proname`.execute(server.database.db)
    expect(rows).toEqual([
      { proname: 'append_events', proconfig: ['plan_cache_mode=force_generic_plan', 'enable_seqscan=off'] },
      { proname: 'append_to_stream', proconfig: ['enable_seqscan=off'] },
    ])
  })
})
