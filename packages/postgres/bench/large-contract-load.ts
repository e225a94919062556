/**
 * Loads the large contract of contract-scale.bench.ts alone (the template's first events, then
 * its requests repeated under other ticket ids) into a schema that is kept, so that
 * contract-report-rss.ts can be run on it again and again. BENCH_SCALE as in the bench; BENCH_REPS
 * the repetitions (9 in the bench); prints the schema, the contract and the as-of instant.
 */
import { performance } from 'node:perf_hooks'
import { exampleLedger } from '@support-ledger/core/testing'
import { sql } from 'kysely'
import pg from 'pg'
import { postgresDatabase } from '../src/postgres-connection.js'
import { migrate } from '../src/postgres-migrations.js'
import { loadTemplate } from './bench-template.js'

const scale = Number(process.env.BENCH_SCALE ?? '1')
const reps = Number(process.env.BENCH_REPS ?? '9')
const schema = process.env.BENCH_SCHEMA ?? `sl_bench_large_${String(scale).replace('.', '_')}`
const TEMPLATE_ID = 'C-2024-001'
const LARGE = 'C-B001'
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 })
const database = postgresDatabase(pool)
const template = exampleLedger({ tickets: Math.max(50, Math.round(11_300 * scale)) })
const L = template.events.length
// As the bench's 100 contracts of its large store leave it: the contract's first events (BENCH_HEAD of them), then every request again.
const head = Math.min(L, Number(process.env.BENCH_HEAD ?? Math.floor((500_000 * scale - L) / 99)))
await migrate(database.db, { schema })
const q = sql.raw(`"${schema}"`)
await loadTemplate(database.db, schema, template.events)
const t0 = performance.now()
for (const [rFrom, rTo, take] of [[0, 1, head], [1, 1 + reps, L]] as const) {
  await sql`
    WITH base AS (SELECT coalesce(max(global_position), 0) AS b FROM ${q}.events),
    rows AS (
      SELECT r.r, t.seq,
        CASE WHEN r.r = 0 THEN t.stream_id ELSE replace(t.stream_id, '/T-', '/T-' || r.r || '-') END AS sid,
        t.stream_version, t.type, t.schema_version,
        CASE WHEN r.r = 0 THEN t.data ELSE replace(t.data, '"ticketId":"T-', '"ticketId":"T-' || r.r || '-') END AS data, t.metadata
      FROM generate_series(${rFrom}::integer, ${rTo - 1}::integer) AS r(r)
      JOIN ${q}.bench_template t ON t.seq <= ${take} AND (r.r = 0 OR t.stream_id LIKE 'ticket-%')
    )
    INSERT INTO ${q}.events (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash, contract_id)
    SELECT base.b + row_number() OVER (ORDER BY rows.r, rows.seq), pg_current_xact_id(), replace(rows.sid, ${TEMPLATE_ID}, ${LARGE}),
      rows.stream_version, gen_random_uuid(), rows.type, rows.schema_version, replace(rows.data, ${TEMPLATE_ID}, ${LARGE})::json, rows.metadata::json,
      '\\x00'::bytea, ${LARGE}
    FROM rows, base`.execute(database.db)
}
const { rows } = await sql<{ n: string }>`SELECT max(global_position)::text AS n FROM ${q}.events`.execute(database.db)
await sql`INSERT INTO ${q}.streams (stream_id, version, head_hash)
  SELECT stream_id, max(stream_version), '\\x00'::bytea FROM ${q}.events GROUP BY stream_id
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`.execute(database.db)
await sql`SELECT setval(${`"${schema}".event_position`}, ${Number(rows[0]!.n)})`.execute(database.db)
await sql`VACUUM ANALYZE ${sql.raw(`"${schema}".events`)}`.execute(database.db)
await pool.end()
console.log(JSON.stringify({ schema, contract: LARGE, asOf: template.asOf, templateEvents: L, events: Number(rows[0]!.n), loadSeconds: Math.round((performance.now() - t0) / 1000) }))
