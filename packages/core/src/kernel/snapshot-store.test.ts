// Snapshots in memory: the equivalence suite, and a stale or undecodable snapshot is ignored.
import { snapshotEquivalenceContract } from '../testing/snapshot-equivalence.js'
import { inMemoryEventStore, createInMemoryStorage } from './in-memory-event-store.js'
import { inMemorySnapshotStore } from './snapshot-store.js'
import { operationsEvents } from '../operations/operations-events.js'

snapshotEquivalenceContract('in memory', () => ({ events: inMemoryEventStore(operationsEvents, createInMemoryStorage()), snapshots: inMemorySnapshotStore() }), 500)
