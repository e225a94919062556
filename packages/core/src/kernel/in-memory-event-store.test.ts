import { createInMemoryStorage, inMemoryEventStore } from './in-memory-event-store.js'
import { eventStoreContract } from '../testing/event-store-contract.js'

eventStoreContract('in-memory', async () => {
  const storage = createInMemoryStorage()
  return { store: (catalog) => inMemoryEventStore(catalog, storage) }
})
