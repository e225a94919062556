/** The embedded engine: PGlite in a local folder (or in memory), the store's default when there is no server. */
import { PGlite } from '@electric-sql/pglite'
import { Kysely } from 'kysely'
import { mkdir } from 'node:fs/promises'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { EventDatabase } from './postgres-connection.js'

// constructors

/**
 * A database on a PGlite instance the caller created and owns. PGlite has one connection:
 * queries and transactions run one at a time, which the dialect serializes.
 */
export const pgliteDatabase = (pglite: PGlite): EventDatabase => ({
  db: new Kysely<unknown>({ dialect: new PGliteDialect(pglite) }),
  engine: 'pglite',
  listen: async (channel, onNotify) => {
    const unlisten = await pglite.listen(channel, (payload) => onNotify(payload))
    return async () => {
      await unlisten()
    }
  },
  close: async () => undefined,
})

/**
 * Opens (creating if needed) a PGlite database in `dataDir`, or in memory when it is undefined.
 * Creating one costs a few seconds and several hundred MB; share it. PGlite runs with fsync off:
 * a commit is not durable against power loss.
 */
export const openPGlite = async (dataDir?: string): Promise<PGlite> => {
  // PGlite creates the last folder only; `.data/support-ledger` in a fresh checkout needs its parent too.
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true })
  return PGlite.create(dataDir)
}
