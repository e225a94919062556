/** Appends a record kept elsewhere (another log, or a generated one) to a store, in its order and with its contracts. */
import { contractOfStream, ledgerEvents, type Instant, type LedgerEvent, type NewEvent, type RecordedEvent } from '@support-ledger/core'
import { postgresEventStore, type PostgresStorage } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'

/**
 * Appends recorded events (from another log, or generated) to a store in their order: consecutive
 * events of one stream in one append, as the command that decided them would have. `before` is
 * told each batch's occurrence instant before it is appended, so a store's clock can follow it.
 */
export const recordEvents = async (
  storage: PostgresStorage,
  events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
  before: (recorded: number, at: Instant) => void = () => undefined,
): Promise<E.Either<string, number>> => {
  const log = postgresEventStore(ledgerEvents, storage)
  let recorded = 0
  for (let i = 0; i < events.length; ) {
    const first = events[i]!
    const batch: Array<NewEvent<LedgerEvent>> = []
    while (i < events.length && events[i]!.streamId === first.streamId) {
      const e = events[i]!
      batch.push({ event: { type: e.type, data: e.data } as LedgerEvent, metadata: { actor: e.metadata.actor, at: e.metadata.at } })
      i++
    }
    before(recorded, first.metadata.at)
    // Stored with their contract, as the ledger's handlers store them, so that per-contract reads find them.
    const contractId = contractOfStream(first.streamId)
    const expectedVersion = first.streamVersion === 1 ? 'no-stream' : first.streamVersion - 1
    const appended = await log.append(first.streamId, batch, contractId === undefined ? { expectedVersion } : { expectedVersion, contractId })()
    if (E.isLeft(appended)) return E.left(`recording ${first.streamId}: ${appended.left.message}`)
    recorded += batch.length
  }
  before(recorded, events[events.length - 1]?.metadata.at ?? ('1970-01-01T00:00:00.000Z' as Instant))
  return E.right(recorded)
}
