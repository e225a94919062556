/** @support-ledger/postgres: the PostgreSQL event store on a server through pg. The embedded engine (PGlite) is `@support-ledger/postgres/embedded`. */
export { postgresDatabase, kyselyDatabase, type EventDatabase } from './postgres-connection.js'
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
  postgresStores,
  type PostgresStorage,
  type PostgresStorageOptions,
} from './postgres-event-store.js'
export { expireIdempotencyKeys } from './postgres-idempotency-keys.js'
export { assignContracts, type AssignContractsOptions } from './postgres-event-contracts.js'
export { whoHoldsReadersBack, type ReaderFence, type FenceHolder } from './postgres-reader-fence.js'
export {
  startConsumer,
  consumerCheckpoints,
  resetConsumer,
  type Consumer,
  type ConsumerOptions,
  type ConsumerStatus,
  type ConsumerLogEntry,
  type ConsumerCheckpoint,
} from './postgres-consumer.js'
export { postgresSnapshotStore } from './postgres-snapshots.js'
export { verifyStream, verifyAll, streamHead, type ChainProblem, type ChainReport, type LogReport, type StreamHead } from './postgres-hash-chain.js'
export {
  sealLog,
  startSealing,
  latestSeal,
  verifyAgainstSeal,
  sealText,
  parseSeal,
  signSeal,
  sealSignatureValid,
  type LogSeal,
  type Sealer,
  type LogProblem,
  type SealCoverage,
  type InvalidSeal,
} from './postgres-log-seal.js'
export { postgresOutbox, type PostgresOutbox } from './postgres-outbox.js'
export {
  postgresObligationSchedule,
  type PostgresObligationSchedule,
  type PostgresObligationScheduleOptions,
} from './postgres-obligation-schedule.js'
