/** Idempotency keys over time: each is kept until expired, and a retry after that appends again. */
import { storeUnavailable, type Instant, type StoreUnavailable } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql } from 'kysely'
import type { PostgresStorage } from './postgres-event-store.js'

// operations

/**
 * Forgets the idempotency keys recorded before `before` (by the database's clock), and returns
 * how many. After that a retry with such a key is a new append: expire only keys older than any
 * retry can be (a client's retry horizon, plus its clock's error). Events are never touched.
 */
export const expireIdempotencyKeys = (storage: PostgresStorage, before: Instant): TaskEither<StoreUnavailable, number> => async () => {
  try {
    const result = await sql`DELETE FROM ${sql.table(`${storage.names.schema}.idempotency_keys`)} WHERE created_at < ${before}::timestamptz`.execute(storage.database.db)
    return E.right(Number(result.numAffectedRows ?? 0))
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}
