/**
 * The one place the command line opens a store: the PostgreSQL server named by DATABASE_URL, or,
 * without it, the embedded PGlite store in a local folder (created and migrated on first use).
 */
import { createPostgresStorage, dropSchema, migrate, postgresDatabase, type EventDatabase, type MigrationReport, type PostgresStorage, type PostgresStorageOptions } from '@support-ledger/postgres'
import { openPGlite, pgliteDatabase } from '@support-ledger/postgres/embedded'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'

// model

export interface StoreSettings {
  readonly databaseUrl?: string
  readonly dataDir: string
  readonly schema: string
}

export interface OpenedStore {
  readonly storage: PostgresStorage
  /** Where the events are, for messages: never the connection string (it may hold a password). */
  readonly where: string
  /** What migrating did: always for the embedded store, for a server only when asked. */
  readonly migrated?: MigrationReport
  readonly close: () => Promise<void>
}

export const DEFAULT_DATA_DIR = '.data/support-ledger'

// operations

/** A server's address without its password, for messages. */
const describeServer = (url: string): string => {
  try {
    const u = new URL(url)
    return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}`
  } catch {
    return 'PostgreSQL (DATABASE_URL)'
  }
}

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * Opens the store. On a server, `migrateServer` applies the migrations first (the `migrate`
 * command); otherwise the schema must already be there. The embedded store always migrates itself.
 */
export const openStore = async (
  settings: StoreSettings,
  options: {
    readonly migrateServer?: boolean
    /** Drop the schema first and migrate it afresh (the demo's own schema, never a user's). */
    readonly freshSchema?: boolean
    readonly storage?: Omit<PostgresStorageOptions, 'database' | 'schema'>
  } = {},
): Promise<E.Either<CliFailure, OpenedStore>> => {
  const { schema } = settings
  let database: EventDatabase
  let release: () => Promise<void>
  let where: string
  let migrateNow: boolean
  if (settings.databaseUrl !== undefined) {
    where = describeServer(settings.databaseUrl)
    const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 2, connectionTimeoutMillis: 10_000 })
    // A pool reports a server that goes away while idle here; without a listener it would crash the process.
    pool.on('error', () => undefined)
    try {
      await pool.query('SELECT 1')
    } catch (e) {
      await pool.end().catch(() => undefined)
      return E.left(cliFailure(ExitCode.storeUnavailable, `cannot reach ${where}: ${why(e)}`))
    }
    database = postgresDatabase(pool)
    release = () => pool.end()
    migrateNow = options.migrateServer === true || options.freshSchema === true
  } else {
    where = `embedded store in ${settings.dataDir}`
    try {
      const pglite = await openPGlite(settings.dataDir)
      database = pgliteDatabase(pglite)
      release = () => pglite.close()
    } catch (e) {
      return E.left(cliFailure(ExitCode.storeUnavailable, `cannot open the ${where}: ${why(e)}`))
    }
    migrateNow = true
  }
  let migrated: MigrationReport | undefined
  if (migrateNow) {
    try {
      if (options.freshSchema === true) await dropSchema(database.db, schema)
      migrated = await migrate(database.db, { schema })
    } catch (e) {
      await release().catch(() => undefined)
      return E.left(cliFailure(ExitCode.storeUnavailable, `cannot migrate schema ${schema} in the ${where}: ${why(e)}`))
    }
  }
  const storage = createPostgresStorage({ ...options.storage, database, schema })
  return E.right({
    storage,
    where,
    ...(migrated === undefined ? {} : { migrated }),
    close: async () => {
      await storage.close()
      await release()
    },
  })
}

/** A store error as the user should read it: on a server, the usual cause is a schema never migrated. */
export const storeFailure = (store: OpenedStore, message: string): CliFailure =>
  cliFailure(ExitCode.storeUnavailable, `the ${store.where} cannot be read: ${message} (has \`support-ledger migrate\` been run?)`)
