/**
 * @support-ledger/postgres/embedded: the store on PGlite, PostgreSQL compiled to WebAssembly, in a local folder
 * or in memory. A separate entry so that a server-only application never loads (or installs) PGlite.
 */
export { pgliteDatabase, openPGlite, type PGliteClient } from './pglite-connection.js'
export { pgliteDialect } from './pglite-dialect.js'
export { openEmbeddedStorage, type EmbeddedStorage, type EmbeddedStorageOptions } from './pglite-storage.js'
