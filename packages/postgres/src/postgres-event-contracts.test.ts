// Events stored before the store kept contracts get theirs from the stream id, once, on PGlite.
import { contractOfStream, contractStreamId, ledgerEvents, ticketStreamId, type TicketId } from '@support-ledger/core'
import { exampleLedger } from '@support-ledger/core/testing'
import * as E from 'fp-ts/lib/Either.js'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { assignContracts } from './postgres-event-contracts.js'
import { postgresEventStore } from './postgres-event-store.js'
import { openEmbeddedStorage, type EmbeddedStorage } from './pglite-storage.js'

let embedded: EmbeddedStorage
beforeAll(async () => {
  embedded = await openEmbeddedStorage({ inMemory: true })
})
afterAll(async () => {
  await embedded.close()
})

it('given a contract recorded without contract ids, assigning them makes its read whole; a second run assigns nothing', async () => {
  const store = postgresEventStore(ledgerEvents, embedded.storage)
  const ledger = exampleLedger({ tickets: 40, seed: 3 })
  for (const e of ledger.events) {
    const r = await store.append(e.streamId, [{ event: { type: e.type, data: e.data } as never, metadata: e.metadata }])()
    if (E.isLeft(r)) throw new Error(r.left.message)
  }
  // As a store before migration 7 held them: the store now takes each append's contract from its stream, so it is cleared by hand.
  await sql`UPDATE ${sql.raw(embedded.storage.names.q)}.events SET contract_id = NULL`.execute(embedded.storage.database.db)
  const tagged = await store.append('redmine-export-x', [{ event: ledger.events[0]! as never, metadata: ledger.events[0]!.metadata }])()
  expect(E.isRight(tagged)).toBe(true)
  const read = async () => {
    const page = await store.readContract(ledger.terms.contractId, { after: 0, limit: 1_000_000 })()
    if (E.isLeft(page)) throw new Error(page.left.message)
    return page.right.events
  }
  expect(await read()).toEqual([])

  // #region assign-contracts
  const first = await assignContracts(embedded.storage, contractOfStream, { streamsPerBatch: 7 })()
  // #endregion assign-contracts
  expect(first).toEqual(E.right(ledger.events.length))
  const events = await read()
  expect(events.map((e) => e.data)).toEqual(ledger.events.map((e) => e.data))
  expect(new Set(events.map((e) => e.streamId))).toContain(contractStreamId(ledger.terms.contractId))
  expect(new Set(events.map((e) => e.streamId))).toContain(ticketStreamId(ledger.terms.contractId, 'T-000001' as TicketId))
  expect(await assignContracts(embedded.storage, contractOfStream)()).toEqual(E.right(0))
})
