// The outbox contract on embedded PGlite, kept in memory.
import { outboxContract } from '@support-ledger/core/testing/vitest'
import { openEmbeddedStorage } from './pglite-storage.js'
import { postgresOutboxFixture } from './postgres-outbox.fixture.js'

outboxContract('PGlite', async () => {
  const embedded = await openEmbeddedStorage({ inMemory: true, pollMs: 50 })
  return postgresOutboxFixture(embedded.storage, embedded.close)
})
