/** @support-ledger/postgres: the PostgreSQL event store, on a server through pg or embedded through PGlite. */
export * from './postgres-connection.js'
export * from './pglite-connection.js'
export * from './postgres-migrations.js'
export * from './postgres-append-batcher.js'
export * from './postgres-event-store.js'
export * from './postgres-reader-fence.js'
export * from './postgres-consumer.js'
