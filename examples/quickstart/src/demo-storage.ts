/** Where the demos keep their events: in memory, or in the embedded PostgreSQL (PGlite) in a local folder. */
import { createInMemoryStorage, inMemoryStores, type Instant, type StoreFor } from '@support-ledger/core'
import { createPostgresStorage, migrate, postgresStores } from '@support-ledger/postgres'
import { openPGlite, pgliteDatabase } from '@support-ledger/postgres/embedded'
import { rm } from 'node:fs/promises'

// model

/** One storage, as one database would be; a store per catalog over it. */
export interface DemoStorage {
  readonly storeFor: StoreFor
  readonly close: () => Promise<void>
}

/** Fixed clock and ids make a run repeatable: the report demo writes the same bytes every time. */
export interface DemoStorageOptions {
  readonly clock?: () => Instant
  readonly newEventId?: () => string
}

export type OpenDemoStorage = (name: string, options?: DemoStorageOptions) => Promise<DemoStorage>

// constructors

export const inMemoryDemoStorage: OpenDemoStorage = async (_name, options = {}) => {
  const storage = createInMemoryStorage(options)
  return { storeFor: inMemoryStores(storage), close: async () => undefined }
}

/**
 * The embedded default: one PGlite database in `dir`, started afresh, with a schema per demo so that
 * each demo's whole-log reads see only its own events.
 */
export const embeddedDemoStorage = async (dir: string): Promise<{ readonly open: OpenDemoStorage; readonly close: () => Promise<void> }> => {
  await rm(dir, { recursive: true, force: true })
  const pglite = await openPGlite(dir)
  const database = pgliteDatabase(pglite)
  const opened: Array<() => Promise<void>> = []
  return {
    open: async (name, options = {}) => {
      const schema = `demo_${name.replace(/[^a-z0-9]/g, '_')}`
      await migrate(database.db, { schema })
      const storage = createPostgresStorage({ database, schema, ...options })
      opened.push(storage.close)
      return { storeFor: postgresStores(storage), close: storage.close }
    },
    close: async () => {
      for (const close of opened) await close()
      await pglite.close()
    },
  }
}

/** Deterministic uuid v7-shaped ids: the PostgreSQL store keeps event ids as uuid. */
export const sequentialEventIds = (): (() => string) => {
  let next = 0
  return () => `00000000-0000-7000-8000-${String(++next).padStart(12, '0')}`
}
