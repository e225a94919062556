/**
 * The rule every `*.int.test.ts` of the workspace follows for the PostgreSQL server it needs: probe it once,
 * skip with a message when it does not answer, and fail loudly under `CI=true`, where server tests must run.
 * Private to the workspace: no published package ships it.
 */
import pg from 'pg'
import { describe } from 'vitest'

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

/** Why the server did not answer, or undefined when it did. */
export const postgresUnreachable = await probe()
if (postgresUnreachable !== undefined) {
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and the PostgreSQL server at ${DATABASE_URL} is unreachable (${postgresUnreachable}): integration tests must run on CI`)
  }
  console.warn(`Skipping PostgreSQL integration tests: no server at ${DATABASE_URL} (${postgresUnreachable}). Set DATABASE_URL to run them.`)
}

/** `describe` that skips when no server answers (and never on CI, where the probe above already failed). */
export const describeWithPostgres = (name: string, body: () => void): void => {
  describe.skipIf(postgresUnreachable !== undefined)(name, body)
}
