/** The example contract's events in a table of the bench's schema, from which the contract-scale loads copy them in SQL. */
import type { exampleLedger } from '@support-ledger/core/testing'
import { sql, type Kysely } from 'kysely'

/** Creates `bench_template` in `schema` and fills it with `events` in their order (`seq` from 1), in pages of 5,000. */
export const loadTemplate = async (db: Kysely<unknown>, schema: string, events: ReturnType<typeof exampleLedger>['events']): Promise<void> => {
  const q = sql.raw(`"${schema}"`)
  await sql`CREATE UNLOGGED TABLE ${q}.bench_template (seq integer PRIMARY KEY, stream_id text, stream_version bigint, type text, schema_version integer, data text, metadata text)`.execute(db)
  for (let i = 0; i < events.length; i += 5_000) {
    const page = events.slice(i, i + 5_000)
    await sql`INSERT INTO ${q}.bench_template SELECT * FROM unnest(
      ${page.map((_, k) => i + k + 1)}::integer[], ${page.map((e) => e.streamId)}::text[], ${page.map((e) => e.streamVersion)}::bigint[],
      ${page.map((e) => e.type)}::text[], ${page.map((e) => e.schemaVersion)}::integer[], ${page.map((e) => JSON.stringify(e.data))}::text[],
      ${page.map((e) => JSON.stringify(e.metadata))}::text[])`.execute(db)
  }
}
