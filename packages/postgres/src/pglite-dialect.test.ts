import { PGlite } from '@electric-sql/pglite'
import { expect, test } from 'vitest'
import { pgliteDatabase, type PGliteClient } from './pglite-connection.js'
import { sql } from 'kysely'

// The structural description must keep accepting the real PGlite, or users would need a cast.
test('a PGlite instance is a PGliteClient, and the dialect runs a query and a transaction on it', async () => {
  const pglite = new PGlite()
  const client: PGliteClient = pglite
  const database = pgliteDatabase(client)
  await database.db.transaction().execute(async (trx) => {
    await sql`create table t (n int)`.execute(trx)
    await sql`insert into t values (1), (2)`.execute(trx)
  })
  const rows = await sql<{ n: number }>`select n from t order by n`.execute(database.db)
  expect(rows.rows.map((r) => r.n)).toEqual([1, 2])
  await pglite.close()
})
