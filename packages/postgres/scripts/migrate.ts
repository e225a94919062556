/** Applies the store's migrations: to the server in DATABASE_URL, or to a PGlite folder with `--pglite DIR`. */
import pg from 'pg'
import { openPGlite, pgliteDatabase } from '../src/pglite-connection.js'
import { postgresDatabase, type EventDatabase } from '../src/postgres-connection.js'
import { migrate } from '../src/postgres-migrations.js'

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const schema = flag('--schema') ?? 'support_ledger'
const pgliteDir = flag('--pglite') ?? process.env.PGLITE_DIR

let database: EventDatabase
let done: () => Promise<void>
if (pgliteDir !== undefined) {
  const pglite = await openPGlite(pgliteDir)
  database = pgliteDatabase(pglite)
  done = () => pglite.close()
} else {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: 1 })
  database = postgresDatabase(pool)
  done = () => pool.end()
}
try {
  const report = await migrate(database.db, { schema })
  const where = pgliteDir !== undefined ? `PGlite folder ${pgliteDir}` : 'the server in DATABASE_URL'
  console.log(
    report.applied.length === 0
      ? `schema ${report.schema} in ${where} is current at version ${report.version}`
      : `schema ${report.schema} in ${where}: applied ${report.applied.join(', ')}; now at version ${report.version}`,
  )
} finally {
  await done()
}
