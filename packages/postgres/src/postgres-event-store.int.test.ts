// The EventStore contract on a real PostgreSQL server.
import { eventStoreContract } from '@support-ledger/core/testing/vitest'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { describeWithServer, openTestServer } from './postgres-test-server.js'

describeWithServer('PostgreSQL server', () => {
  eventStoreContract('PostgreSQL (pg)', async () => {
    const server = await openTestServer()
    const storage = createPostgresStorage({ database: server.database, schema: server.schema })
    return {
      store: (catalog) => postgresEventStore(catalog, storage),
      close: async () => {
        await storage.close()
        await server.drop()
      },
    }
  })
})
