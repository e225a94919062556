// The EventStore contract on embedded PGlite, in a temporary folder: the store's default engine.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventStoreContract } from '@support-ledger/core/testing/vitest'
import { openPGlite, pgliteDatabase } from './pglite-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { migrate } from './postgres-migrations.js'

eventStoreContract('PGlite (folder)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-pglite-'))
  const pglite = await openPGlite(dir)
  const database = pgliteDatabase(pglite)
  await migrate(database.db)
  const storage = createPostgresStorage({ database })
  return {
    store: (catalog) => postgresEventStore(catalog, storage),
    close: async () => {
      await storage.close()
      await pglite.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
})
