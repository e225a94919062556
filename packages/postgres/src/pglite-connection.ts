/** The embedded engine: PGlite in a local folder (or in memory), the store's default when there is no server. */
import { Kysely } from 'kysely'
import { mkdir } from 'node:fs/promises'
import { pglitePrepared } from './pglite-append.js'
import { pgliteSession } from './pglite-dialect.js'
import type { EventDatabase } from './postgres-connection.js'

// model

/**
 * The part of a PGlite instance the store calls, described structurally so that these declarations never load
 * PGlite's own (which need Emscripten's types). A `PGlite` from `@electric-sql/pglite` 0.5 is one.
 */
export interface PGliteClient {
  /** Runs one statement with positional parameters (`$1`, `$2`, ...). */
  query<R>(sql: string, params?: unknown[], options?: { rowMode?: 'object' }): Promise<{ rows: R[]; affectedRows?: number }>
  /** Calls back with each notification on a channel; resolves to a function that stops listening. */
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>
  /** Closes the database, flushing its files. */
  close(): Promise<void>
}

// constructors

/**
 * A database on a PGlite instance the caller created and owns. PGlite has one connection:
 * queries and transactions run one at a time, which the dialect serializes.
 */
export const pgliteDatabase = (pglite: PGliteClient): EventDatabase => {
  const session = pgliteSession(pglite)
  const database: EventDatabase = {
    db: new Kysely<unknown>({ dialect: session.dialect }),
    engine: 'pglite',
    // PGlite has no named statements: the name is not used; the statement skips Kysely only.
    prepared: (_name, text, values) => session.query(text, values),
    listen: async (channel, onNotify) => {
      const unlisten = await pglite.listen(channel, (payload) => onNotify(payload))
      return async () => {
        await unlisten()
      }
    },
    close: async () => undefined,
  }
  if (session.statement) pglitePrepared.set(database, session.statement)
  return database
}

/**
 * Opens (creating if needed) a PGlite database in `dataDir`, or in memory when it is undefined.
 * Creating one costs a few seconds and several hundred MB; share it. PGlite runs with fsync off:
 * a commit is not durable against power loss.
 */
export const openPGlite = async (dataDir?: string): Promise<PGliteClient> => {
  // Loaded on first use: the entry itself stays importable where PGlite is not installed.
  const { PGlite } = await import('@electric-sql/pglite')
  // PGlite creates the last folder only; `.data/support-ledger` in a fresh checkout needs its parent too.
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true })
  return PGlite.create(dataDir)
}
