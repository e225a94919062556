// A batch finds its streams and keys by index, however the tables had grown when the plan was made (docs/decisions/0137).
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
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

describeWithServer('batch appends look up streams and keys by index (PostgreSQL)', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await openTestServer({ max: 2 })
  })
  afterAll(async () => {
    await server.drop()
  })

  it('given small analysed tables, batches of existing and new streams with and without keys never scan streams or keys whole', async () => {
    const names = schemaNames(server.schema)
    // A few hundred streams and keys, analysed: small enough that a join would rather scan them than probe.
    for (let i = 0; i < 30; i++) {
      await callAppend(server.database.db, names, false, Array.from({ length: 10 }, (_, k) => append(`seed-${i}-${k}`, `seed-key-${i}-${k}`)))
    }
    await sql.raw(`ANALYZE ${names.q}.streams, ${names.q}.idempotency_keys`).execute(server.database.db)

    const scans = await server.database.db.transaction().execute(async (trx) => {
      // The backend's counts not yet reported include earlier work on its connection (the migrations' index builds).
      const counted = async () => {
        const { rows } = await sql<{ relname: string; seq_scan: string | number }>`
          SELECT relname, seq_scan FROM pg_stat_xact_user_tables
          WHERE schemaname = ${server.schema} AND relname IN ('streams', 'idempotency_keys')`.execute(trx)
        return new Map(rows.map((r) => [r.relname, Number(r.seq_scan)]))
      }
      const before = await counted()
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
      const after = await counted()
      return Object.fromEntries(['streams', 'idempotency_keys'].map((t) => [t, (after.get(t) ?? 0) - (before.get(t) ?? 0)]))
    })
    expect(scans).toEqual({ streams: 0, idempotency_keys: 0 })
  })

  it('the batch function keeps one generic plan per connection, with index scans only', async () => {
    // Array parameters of a new length each call would otherwise make the planner plan every statement on every call.
    const { rows } = await sql<{ proconfig: ReadonlyArray<string> | null }>`
      SELECT p.proconfig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ${server.schema} AND p.proname = 'append_events'`.execute(server.database.db)
    expect(rows.map((r) => r.proconfig)).toEqual([['plan_cache_mode=force_generic_plan', 'enable_seqscan=off']])
  })
})
