// The outbox contract on a real server, in a schema of its own.
import { outboxContract } from '@support-ledger/core/testing/vitest'
import { createPostgresStorage } from './postgres-event-store.js'
import { postgresOutboxFixture } from './postgres-outbox.fixture.js'
import { describeWithServer, openTestServer } from './postgres-test-server.js'

describeWithServer('outbox (PostgreSQL)', () => {
  outboxContract('PostgreSQL server', async () => {
    const server = await openTestServer()
    const storage = createPostgresStorage({ database: server.database, schema: server.schema, pollMs: 50 })
    return postgresOutboxFixture(storage, async () => {
      await storage.close()
      await server.drop()
    })
  })
})
