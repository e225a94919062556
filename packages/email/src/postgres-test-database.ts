/** The PostgreSQL server the e-mail `*.int.test.ts` files use: a probe, and a skip rule that fails loudly on CI. */
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

const unreachable = await probe()
if (unreachable !== undefined) {
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and the PostgreSQL server at ${DATABASE_URL} is unreachable (${unreachable}): integration tests must run on CI`)
  }
  console.warn(`Skipping PostgreSQL integration tests: no server at ${DATABASE_URL} (${unreachable}). Set DATABASE_URL to run them.`)
}

/** `describe` that skips when no server answers (and never on CI, where the probe above already failed). */
export const describeWithPostgres = (name: string, body: () => void): void => {
  describe.skipIf(unreachable !== undefined)(name, body)
}
