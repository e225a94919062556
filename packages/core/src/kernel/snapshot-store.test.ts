// Snapshots in memory: the equivalence suite, whose cases include a snapshot of another schema version, to be ignored.
import { snapshotEquivalenceContract } from '../testing/snapshot-equivalence.js'
import { inMemoryEventStore, createInMemoryStorage } from './in-memory-event-store.js'
import { inMemorySnapshotStore } from './snapshot-store.js'
import { operationsEvents } from '../operations/operations-events.js'

snapshotEquivalenceContract('in memory', async () => ({
  stores: { events: inMemoryEventStore(operationsEvents, createInMemoryStorage()), snapshots: inMemorySnapshotStore() },
  close: async () => {},
}), 500)
