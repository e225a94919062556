// Appends by prepared statement on a real server: one connection serving two schemas keeps each schema's statements apart.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { appendOutcomeIdsCheck } from './postgres-append-outcome.fixture.js'
import { postgresDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { dropSchema, migrate } from './postgres-migrations.js'
import { DATABASE_URL, describeWithServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'prepared-test' }, occurredAt: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })

describeWithServer('appends by prepared statement (PostgreSQL)', () => {
  const suffix = Math.random().toString(36).slice(2, 10)
  const schemas = [`sl_prep_a_${suffix}`, `sl_prep_b_${suffix}`] as const
  // One connection: both schemas' statements are prepared on it.
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
  const database = postgresDatabase(pool)

  beforeAll(async () => {
    for (const schema of schemas) await migrate(database.db, { schema })
  })
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(database.db, schema)
    await database.close()
    await pool.end()
  })

  it('given two schemas on one connection, lone and batched appends to each land in that schema only', async () => {
    const [a, b] = schemas.map((schema) => postgresEventStore(catalog, createPostgresStorage({ database, schema })))
    if (a === undefined || b === undefined) throw new Error('two stores expected')
    // Lone appends, then concurrent ones that leave as a batch, alternating between the schemas.
    for (let round = 0; round < 2; round++) {
      const lone = await Promise.all([a.append('s-a', [noted(round)])(), b.append('s-b', [noted(round)])()])
      expect(lone.every(E.isRight)).toBe(true)
    }
    const batched = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).append(`t-${i}`, [noted(i)])()))
    expect(batched.every(E.isRight)).toBe(true)

    const inA = await a.readAll({ after: 0 })()
    const inB = await b.readAll({ after: 0 })()
    expect(E.isRight(inA) && inA.right.events.map((e) => e.streamId)).toEqual(['s-a', 's-a', 't-0', 't-2', 't-4'])
    expect(E.isRight(inB) && inB.right.events.map((e) => e.streamId)).toEqual(['s-b', 's-b', 't-1', 't-3', 't-5'])
  })

  it('given one-event, several-event, batched and replayed appends, each result names the ids stored, a replay the first ones', async () => {
    const [schema] = schemas
    await appendOutcomeIdsCheck(createPostgresStorage({ database, schema }), 'ids')
  })
})
