// Snapshot equivalence on embedded PGlite: a command handled from any snapshot point decides and folds as from the start.
import { operationsEvents } from '@support-ledger/core'
import { snapshotEquivalenceContract } from '@support-ledger/core/testing/vitest'
import { openPGlite, pgliteDatabase } from './pglite-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { migrate } from './postgres-migrations.js'
import { postgresSnapshotStore } from './postgres-snapshots.js'

snapshotEquivalenceContract('PGlite', async () => {
  const pglite = await openPGlite()
  const database = pgliteDatabase(pglite)
  await migrate(database.db)
  const storage = createPostgresStorage({ database })
  return {
    stores: { events: postgresEventStore(operationsEvents, storage), snapshots: postgresSnapshotStore(storage) },
    close: async () => {
      await storage.close()
      await pglite.close()
    },
  }
}, 60)
