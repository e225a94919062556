// A schema migrated before the latest append function keeps its streams, chains and keys across the upgrade.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { postgresDatabase, type EventDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { verifyStream } from './postgres-hash-chain.js'
import { dropSchema, migrate, migrations, schemaNames } from './postgres-migrations.js'
import { DATABASE_URL, describeWithServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const metadata: EventMetadata = { actor: { party: 'supplier', id: 'upgrade' }, at: instantOf(Date.UTC(2025, 0, 1, 9)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata })

describeWithServer('migrating a schema that has appends (PostgreSQL)', () => {
  const schema = `sl_upgrade_${Math.random().toString(36).slice(2, 10)}`
  let pool: pg.Pool
  let database: EventDatabase

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 })
    database = postgresDatabase(pool)
  })
  afterAll(async () => {
    await dropSchema(database.db, schema)
    await pool.end()
  })

  it('given streams and keys written by the append of migration 7, the latest migration applies and appends continue them', async () => {
    // The schema as a database left at migration 7 has it, built as `migrate` builds it.
    const s = schemaNames(schema)
    const client = await pool.connect()
    try {
      await client.query(`CREATE SCHEMA ${s.q}`)
      await client.query(`CREATE TABLE ${s.q}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT statement_timestamp())`)
      for (const m of migrations.filter((m) => m.version <= 7)) {
        for (const statement of m.statements(s)) await client.query(statement)
        await client.query(`INSERT INTO ${s.q}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name])
      }
    } finally {
      client.release()
    }
    const before = createPostgresStorage({ database, schema, groupCommit: false })
    const old = postgresEventStore(catalog, before)
    expect(E.isRight(await old.append('upgrade-1', [noted(1), noted(2)], { expectedVersion: 'no-stream' })())).toBe(true)
    const keyed = await old.append('upgrade-1', [noted(3)], { expectedVersion: 2, idempotencyKey: 'upgrade-key' })()
    await before.close()

    const report = await migrate(database.db, { schema })
    expect(report.applied).toEqual(migrations.filter((m) => m.version > 7).map((m) => m.version))

    const after = createPostgresStorage({ database, schema, groupCommit: false })
    const store = postgresEventStore(catalog, after)
    // The key recorded before the upgrade still answers its request, and nothing else.
    expect(await store.append('upgrade-1', [noted(3)], { expectedVersion: 2, idempotencyKey: 'upgrade-key' })()).toEqual(
      E.map((r: object) => ({ ...r, replayed: true }))(keyed),
    )
    const stale = await store.append('upgrade-1', [noted(4)], { expectedVersion: 2 })()
    expect(E.isLeft(stale) && stale.left._tag === 'WrongExpectedVersion' && stale.left.actual).toBe(3)
    const next = await store.append('upgrade-1', [noted(4), noted(5)], { expectedVersion: 3 })()
    expect(E.isRight(next) && [next.right.fromVersion, next.right.toVersion]).toEqual([4, 5])
    const chain = await verifyStream(after, 'upgrade-1')()
    expect(E.isRight(chain) && chain.right).toMatchObject({ streams: 1, events: 5, problems: [] })
    const slice = await store.readStream('upgrade-1')()
    expect(E.isRight(slice) && slice.right.events.map((e) => e.data.n)).toEqual([1, 2, 3, 4, 5])
    await after.close()

    // Concurrent appends leave as batches, through the latest batch function: the old key still replays there too.
    const grouped = createPostgresStorage({ database, schema })
    const together = postgresEventStore(catalog, grouped)
    const results = await Promise.all([
      together.append('upgrade-2', [noted(1)], { expectedVersion: 'no-stream' })(),
      together.append('upgrade-3', [noted(1)], { expectedVersion: 'no-stream' })(),
      together.append('upgrade-1', [noted(3)], { expectedVersion: 2, idempotencyKey: 'upgrade-key' })(),
      together.append('upgrade-4', [noted(1), noted(2)], { idempotencyKey: 'upgrade-key-2' })(),
    ])
    expect(results.map((r) => E.isRight(r) && [r.right.fromVersion, r.right.toVersion, r.right.replayed])).toEqual([
      [1, 1, false], [1, 1, false], [3, 3, true], [1, 2, false],
    ])
    await grouped.close()
  })
})
