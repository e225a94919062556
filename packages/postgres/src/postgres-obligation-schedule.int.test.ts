// The obligation schedule contract on a real server, in a schema of its own.
import { obligationScheduleContract } from '@support-ledger/core/testing'
import { createPostgresStorage } from './postgres-event-store.js'
import { postgresObligationScheduleFixture } from './postgres-obligation-schedule.fixture.js'
import { describeWithServer, openTestServer } from './postgres-test-server.js'

describeWithServer('obligation schedule (PostgreSQL)', () => {
  obligationScheduleContract('PostgreSQL server', async () => {
    const server = await openTestServer()
    const storage = createPostgresStorage({ database: server.database, schema: server.schema, pollMs: 20 })
    return postgresObligationScheduleFixture(storage, async () => {
      await storage.close()
      await server.drop()
    })
  })
})
