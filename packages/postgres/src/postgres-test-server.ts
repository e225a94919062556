/** The real server the `*.int.test.ts` files use: a probe, a skip rule that fails loudly on CI, and a schema per file. */
import pg from 'pg'
import { describe } from 'vitest'
import { postgresDatabase, type EventDatabase } from './postgres-connection.js'
import { dropSchema, migrate } from './postgres-migrations.js'

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const probe = async (): Promise<string | undefined> => {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3_000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  } finally {
    await client.end().catch(() => undefined)
  }
}

const unreachable = await probe()
if (unreachable !== undefined) {
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and the PostgreSQL server at ${DATABASE_URL} is unreachable (${unreachable}): integration tests must run on CI`)
  }
  console.warn(`Skipping PostgreSQL integration tests: no server at ${DATABASE_URL} (${unreachable}). Set DATABASE_URL to run them.`)
}

/** `describe` that skips when no server answers (and never on CI, where the probe above already failed). */
export const describeWithServer = (name: string, body: () => void): void => {
  describe.skipIf(unreachable !== undefined)(name, body)
}

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
