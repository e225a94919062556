/** The real server the `*.int.test.ts` files use: the workspace's probe and skip rule, and a schema per file. */
import pg from 'pg'
import { DATABASE_URL, describeWithPostgres } from '@support-ledger/test-servers'
import { postgresDatabase, type EventDatabase } from './postgres-connection.js'
import { dropSchema, migrate } from './postgres-migrations.js'

export { DATABASE_URL }
/** `describe` that skips when no server answers (and never on CI, where the probe fails loudly). */
export const describeWithServer = describeWithPostgres

/** A fresh pool, database wrapper and migrated schema of its own; `drop` removes the schema and closes the pool. */
export interface TestServer {
  readonly pool: pg.Pool
  readonly database: EventDatabase
  readonly schema: string
  readonly drop: () => Promise<void>
}

export const openTestServer = async (options: { readonly max?: number } = {}): Promise<TestServer> => {
  const schema = `sl_test_${Math.random().toString(36).slice(2, 10)}`
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: options.max ?? 12 })
  const database = postgresDatabase(pool)
  await migrate(database.db, { schema })
  return {
    pool,
    database,
    schema,
    drop: async () => {
      await database.close()
      await dropSchema(database.db, schema)
      await pool.end()
    },
  }
}
