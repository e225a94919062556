// Appends with durableCommits off commit without waiting for the flush; a caller's transaction and the pooled session keep their setting.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { appendOutcomeIdsCheck } from './postgres-append-outcome.fixture.js'
import { kyselyDatabase, postgresDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { dropSchema, migrate } from './postgres-migrations.js'
import { DATABASE_URL, describeWithServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'unflushed-test' }, occurredAt: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })

describeWithServer('appends with durable commits off (PostgreSQL)', () => {
  const schema = `sl_unflushed_${Math.random().toString(36).slice(2, 10)}`
  // One connection, so that a setting leaking into the session would show in the next statement.
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
  const database = postgresDatabase(pool)

  beforeAll(async () => {
    await migrate(database.db, { schema })
    // A deferred trigger runs at commit: it records the commit setting each appended event's transaction had then.
    await sql.raw(`CREATE TABLE ${schema}.seen (stream_id text, setting text)`).execute(database.db)
    await sql.raw(`CREATE FUNCTION ${schema}.record_setting() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO ${schema}.seen VALUES (NEW.stream_id, current_setting('synchronous_commit')); RETURN NULL; END $$`).execute(database.db)
    await sql.raw(`CREATE CONSTRAINT TRIGGER record_setting AFTER INSERT ON ${schema}.events
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${schema}.record_setting()`).execute(database.db)
  })
  afterAll(async () => {
    await dropSchema(database.db, schema)
    await database.close()
    await pool.end()
  })

  const seen = async (streamId: string) =>
    (await sql<{ setting: string }>`SELECT setting FROM ${sql.table(`${schema}.seen`)} WHERE stream_id = ${streamId}`.execute(database.db)).rows.map((r) => r.setting)

  it('given durableCommits false, lone and batched appends commit with synchronous_commit off, and the session keeps its own setting', async () => {
    const unflushed = postgresEventStore(catalog, createPostgresStorage({ database, schema, durableCommits: false }))
    const durable = postgresEventStore(catalog, createPostgresStorage({ database, schema }))
    const results = [
      await unflushed.append('u-one', [noted(1)])(),
      await unflushed.append('u-many', [noted(1), noted(2)])(),
      ...(await Promise.all(['u-batch-1', 'u-batch-2'].map((s) => unflushed.append(s, [noted(3)])()))),
      await durable.append('d-one', [noted(4)])(),
    ]
    expect(results.every(E.isRight)).toBe(true)
    for (const s of ['u-one', 'u-batch-1', 'u-batch-2']) expect(await seen(s)).toEqual(['off'])
    expect(await seen('u-many')).toEqual(['off', 'off'])
    expect(await seen('d-one')).toEqual(['on'])
    const session = await sql<{ s: string }>`SELECT current_setting('synchronous_commit') AS s`.execute(database.db)
    expect(session.rows).toEqual([{ s: 'on' }])
  })

  it('given durableCommits false, an append in a caller\'s transaction commits as that transaction does', async () => {
    await database.db.transaction().execute(async (trx) => {
      const store = postgresEventStore(catalog, createPostgresStorage({ database: kyselyDatabase(trx), schema, durableCommits: false }))
      const r = await store.append('in-trx', [noted(5)])()
      expect(E.isRight(r)).toBe(true)
    })
    expect(await seen('in-trx')).toEqual(['on'])
  })

  it('given durableCommits false, results name the ids stored, a replay the first ones', async () => {
    await appendOutcomeIdsCheck(createPostgresStorage({ database, schema, durableCommits: false }), 'unflushed-ids')
  })
})
