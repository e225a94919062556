/** The embedded default: a store in a local folder, with no server to run. */
import { openPGlite, pgliteDatabase, type PGliteClient } from './pglite-connection.js'
import { createPostgresStorage, type PostgresStorage, type PostgresStorageOptions } from './postgres-event-store.js'
import { migrate } from './postgres-migrations.js'

// model

/**
 * Where the embedded store keeps its files, and the storage options of `createPostgresStorage` (schema, notify, group
 * commit, clock, ids).
 */
export interface EmbeddedStorageOptions extends Omit<PostgresStorageOptions, 'database'> {
  /** Where PGlite keeps its files; default `.data/support-ledger`. `undefined` with `inMemory` keeps nothing. */
  readonly dataDir?: string
  /** Keep everything in memory (tests, demos); default false. */
  readonly inMemory?: boolean
}

/** A migrated storage on its own PGlite instance; `close` closes both. */
export interface EmbeddedStorage {
  readonly storage: PostgresStorage
  readonly pglite: PGliteClient
  /** Stops the storage, then closes PGlite; call it once the application is done with every store. */
  readonly close: () => Promise<void>
}

// constructors

/** Opens (creating and migrating if needed) the embedded store. */
export const openEmbeddedStorage = async (options: EmbeddedStorageOptions = {}): Promise<EmbeddedStorage> => {
  const { dataDir, inMemory, ...rest } = options
  const pglite = await openPGlite(inMemory === true ? undefined : (dataDir ?? '.data/support-ledger'))
  const database = pgliteDatabase(pglite)
  await migrate(database.db, rest.schema === undefined ? {} : { schema: rest.schema })
  const storage = createPostgresStorage({ ...rest, database })
  return {
    storage,
    pglite,
    close: async () => {
      await storage.close()
      await pglite.close()
    },
  }
}
