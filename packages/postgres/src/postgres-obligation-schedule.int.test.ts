// The obligation schedule contract on a real server, in a schema of its own.
import { instantOf } from '@support-ledger/core'
import { obligationScheduleContract } from '@support-ledger/core/testing/vitest'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { createPostgresStorage } from './postgres-event-store.js'
import { alarmsQuery } from './postgres-obligation-schedule.js'
import { postgresObligationScheduleFixture } from './postgres-obligation-schedule.fixture.js'
import { describeWithServer, openTestServer } from './postgres-test-server.js'

describeWithServer('obligation schedule (PostgreSQL)', () => {
  obligationScheduleContract('PostgreSQL server', async () => {
    const server = await openTestServer()
    const storage = createPostgresStorage({ database: server.database, schema: server.schema, pollMs: 20 })
    return postgresObligationScheduleFixture(storage, async () => {
      await storage.close()
      await server.drop()
    })
  })
})

describeWithServer('obligation schedule query plan (PostgreSQL)', () => {
  it('finds what falls due in an hour among 20,000 open obligations by a range scan of the alarms index', async () => {
    const server = await openTestServer({ max: 2 })
    const storage = createPostgresStorage({ database: server.database, schema: server.schema, notify: false })
    try {
      const q = sql.raw(`"${server.schema}"`)
      // 20,000 obligations due over two years, each with a warning: far more than one hour's worth.
      await sql`
        INSERT INTO ${q}.obligation_schedule (source_key, subject_key, obligation, contract_id, due_at, scheduled)
        SELECT 'ticket:T-' || i, 'ticket:T-' || i, 'agreed-deadline', 'C-' || (i % 100), timestamptz '2025-01-01' + i * interval '52 minutes', '{}'::jsonb
        FROM generate_series(1, 20000) AS i`.execute(server.database.db)
      await sql`
        INSERT INTO ${q}.obligation_schedule_alarms (at, kind, bps, subject_key, obligation)
        SELECT due_at - k * interval '3 hours', CASE WHEN k = 0 THEN 'due' ELSE 'warning' END, CASE WHEN k = 0 THEN NULL ELSE 8000 END, subject_key, obligation
        FROM ${q}.obligation_schedule, generate_series(0, 1) AS k`.execute(server.database.db)
      await sql`ANALYZE ${q}.obligation_schedule_alarms`.execute(server.database.db)
      await sql`ANALYZE ${q}.obligation_schedule`.execute(server.database.db)
      const query = alarmsQuery(storage, instantOf(Date.parse('2025-06-01T00:00:00Z')), instantOf(Date.parse('2025-06-01T01:00:00Z')))
      const compiled = query.compile(server.database.db)
      const plan = await server.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${compiled.sql}`, [...compiled.parameters])
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n')
      expect(text).toContain('obligation_schedule_alarms_at')
      expect(text).not.toMatch(/Seq Scan on obligation_schedule_alarms/)
    } finally {
      await storage.close()
      await server.drop()
    }
  })
})
