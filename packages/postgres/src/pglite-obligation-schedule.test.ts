// The obligation schedule contract on embedded PGlite, kept in memory.
import { obligationScheduleContract } from '@support-ledger/core/testing/vitest'
import { openEmbeddedStorage } from './pglite-storage.js'
import { postgresObligationScheduleFixture } from './postgres-obligation-schedule.fixture.js'

obligationScheduleContract('PGlite', async () => {
  const embedded = await openEmbeddedStorage({ inMemory: true, pollMs: 20 })
  return postgresObligationScheduleFixture(embedded.storage, embedded.close)
})
