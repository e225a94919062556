/** Gives events stored without a contract (before migration 7, or by a caller that named none) the contract their stream belongs to. */
import { storeUnavailable, type StoreUnavailable } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql } from 'kysely'
import type { PostgresStorage } from './postgres-event-store.js'

// model

/** Options of `assignContracts`; the default suits most logs. */
export interface AssignContractsOptions {
  /** Streams looked at per statement; default 1000. */
  readonly streamsPerBatch?: number
}

// operations

/**
 * Walks the streams in id order and sets `contract_id` on their events that have none, to
 * `contractOf(streamId)` (the ledger's is `contractOfStream`); streams of no contract are left
 * alone. Each batch is its own statement, so appends go on meanwhile; running it again assigns
 * nothing new. Returns the number of events given a contract. Until it has run, a contract's
 * read does not see the events it has not reached.
 */
export const assignContracts = (
  storage: PostgresStorage,
  contractOf: (streamId: string) => string | undefined,
  options: AssignContractsOptions = {},
): TaskEither<StoreUnavailable, number> => async () => {
  const { db } = storage.database
  const q = sql.raw(storage.names.q)
  const batch = Math.max(1, options.streamsPerBatch ?? 1000)
  let assigned = 0
  try {
    for (let last = ''; ; ) {
      const page = await sql<{ stream_id: string }>`
        SELECT stream_id FROM ${q}.streams WHERE stream_id > ${last} ORDER BY stream_id LIMIT ${batch}`.execute(db)
      if (page.rows.length === 0) return E.right(assigned)
      last = page.rows[page.rows.length - 1]!.stream_id
      const owned = page.rows.flatMap((r) => {
        const contractId = contractOf(r.stream_id)
        return contractId === undefined ? [] : [[r.stream_id, contractId] as const]
      })
      if (owned.length === 0) continue
      const updated = await sql`
        UPDATE ${q}.events e SET contract_id = u.contract_id
        FROM unnest(${owned.map(([s]) => s)}::text[], ${owned.map(([, c]) => c)}::text[]) AS u(stream_id, contract_id)
        WHERE e.stream_id = u.stream_id AND e.contract_id IS NULL`.execute(db)
      assigned += Number(updated.numAffectedRows ?? 0n)
    }
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}
