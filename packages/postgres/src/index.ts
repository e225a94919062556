/** @support-ledger/postgres: the PostgreSQL event store, on a server through pg or embedded through PGlite. */
export { postgresDatabase, kyselyDatabase, type EventDatabase } from './postgres-connection.js'
export { pgliteDatabase, openPGlite } from './pglite-connection.js'
export { openEmbeddedStorage, type EmbeddedStorage, type EmbeddedStorageOptions } from './pglite-storage.js'
export {
  migrate,
  dropSchema,
  settleRestoredEvents,
  migrations,
  schemaNames,
  DEFAULT_SCHEMA,
  type Migration,
  type MigrationReport,
  type SchemaNames,
} from './postgres-migrations.js'
export type { GroupCommitOptions } from './postgres-append-batcher.js'
export {
  createPostgresStorage,
  postgresEventStore,
  type PostgresStorage,
  type PostgresStorageOptions,
} from './postgres-event-store.js'
export { whoHoldsReadersBack, type ReaderFence, type FenceHolder } from './postgres-reader-fence.js'
export {
  startConsumer,
  consumerCheckpoints,
  resetConsumer,
  type Consumer,
  type ConsumerOptions,
  type ConsumerCheckpoint,
} from './postgres-consumer.js'
export {
  postgresSnapshotStore,
  loadState,
  snapshottingCommandHandler,
  type SnapshotPolicy,
  type Snapshot,
  type SnapshotStore,
  type LoadedState,
} from './postgres-snapshots.js'
export { postgresOutbox, type PostgresOutbox } from './postgres-outbox.js'
export {
  postgresObligationSchedule,
  type PostgresObligationSchedule,
  type PostgresObligationScheduleOptions,
} from './postgres-obligation-schedule.js'
export { verifyStream, verifyAll, streamHead, type ChainProblem, type ChainReport, type StreamHead } from './postgres-hash-chain.js'
