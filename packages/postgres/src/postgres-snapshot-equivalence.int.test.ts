// Snapshot equivalence on a real PostgreSQL server: a command handled from any snapshot point decides and folds as from the start.
import { operationsEvents } from '@support-ledger/core'
import { snapshotEquivalenceContract } from '@support-ledger/core/testing/vitest'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { postgresSnapshotStore } from './postgres-snapshots.js'
import { describeWithServer, openTestServer } from './postgres-test-server.js'

describeWithServer('PostgreSQL server', () => {
  snapshotEquivalenceContract('PostgreSQL (pg)', async () => {
    const server = await openTestServer()
    const storage = createPostgresStorage({ database: server.database, schema: server.schema })
    return {
      stores: { events: postgresEventStore(operationsEvents, storage), snapshots: postgresSnapshotStore(storage) },
      close: async () => {
        await storage.close()
        await server.drop()
      },
    }
  }, 100)
})
