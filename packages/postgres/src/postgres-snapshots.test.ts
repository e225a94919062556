// Snapshots on PGlite: loads fold only the events after a snapshot, and a new schema version discards old snapshots.
import { acceptedChangesOf, acceptedChangesReadModel, commandHandler, eventCatalog, eventType, instantOf, ledgerEvents, type Decider, type EventMetadata, type LedgerEvent, loadState, type SnapshotPolicy, type SnapshotStore } from '@support-ledger/core'
import { exampleLedger } from '@support-ledger/core/testing'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPGlite, pgliteDatabase } from './pglite-connection.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { migrate } from './postgres-migrations.js'
import { postgresSnapshotStore } from './postgres-snapshots.js'

const Added = eventType('Added', t.type({ amount: t.number }))
const catalog = eventCatalog([Added])
type Ev = (typeof catalog)['codec']['_A']
const Total = t.type({ sum: t.number, folded: t.number })
type Total = t.TypeOf<typeof Total>
interface Add {
  readonly amount: number
}
const meta: EventMetadata = { actor: { party: 'supplier', id: 'snapshot-test' }, at: instantOf(Date.UTC(2025, 5, 1)) }

// `folded` counts evolve calls, so a test can see how much of the stream a load folded.
const decider: Decider<Add, Total, Ev, never> = {
  initialState: { sum: 0, folded: 0 },
  evolve: (s, e) => ({ sum: s.sum + e.data.amount, folded: s.folded + 1 }),
  decide: (c) => E.right([{ type: 'Added', data: { amount: c.amount } }]),
}
const policy: SnapshotPolicy<Total> = { name: 'total', version: 'total-1', codec: Total, every: 5 }

describe('snapshots (PGlite)', () => {
  let pglite: Awaited<ReturnType<typeof openPGlite>>
  let storage: PostgresStorage
  let snapshots: SnapshotStore
  const store = () => postgresEventStore(catalog, storage)

  beforeAll(async () => {
    pglite = await openPGlite()
    const database = pgliteDatabase(pglite)
    await migrate(database.db)
    storage = createPostgresStorage({ database })
    snapshots = postgresSnapshotStore(storage)
  })
  afterAll(async () => {
    await storage.close()
    await pglite.close()
  })

  it('given commands through the snapshotting handler, a snapshot is saved every 5 events and loads fold only what follows it', async () => {
    const handle = commandHandler(store(), decider, {}, { store: snapshots, policy })
    for (let i = 1; i <= 12; i++) {
      const r = await handle('acct-1', { amount: i }, meta)()
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    }
    const saved = await snapshots.load('acct-1', policy)()
    expect(E.isRight(saved) && saved.right?.streamVersion).toBe(10)
    const loaded = await loadState(store(), decider, snapshots, policy)('acct-1')()
    if (E.isLeft(loaded)) throw new Error(loaded.left.message)
    expect(loaded.right).toMatchObject({ version: 12, snapshotVersion: 10 })
    expect(loaded.right.state.sum).toBe(78)
    // The snapshot held 10 folds; the load added the 2 events after it, not all 12 again.
    expect(loaded.right.state.folded).toBe(12)
    const slice = await store().readStream('acct-1')()
    expect(E.isRight(slice) && slice.right.version).toBe(12)
  })

  it('given a contract named in the handle options, the snapshotting handler stores its events under it', async () => {
    const handle = commandHandler(store(), decider, {}, { store: snapshots, policy })
    for (let i = 1; i <= 3; i++) {
      const r = await handle('acct-c', { amount: i }, meta, { contractId: 'C-snap' })()
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    }
    const page = await store().readContract('C-snap', { after: 0 })()
    if (E.isLeft(page)) throw new Error(page.left.message)
    expect(page.right.events.map((e) => [e.streamId, e.streamVersion])).toEqual([['acct-c', 1], ['acct-c', 2], ['acct-c', 3]])
  })

  it('given a snapshot saved under an older schema version, it is ignored and the whole stream is folded', async () => {
    const changed: SnapshotPolicy<Total> = { ...policy, version: 'total-2' }
    const evolveChanged = { ...decider, evolve: (s: Total, e: Ev) => ({ sum: s.sum + 2 * e.data.amount, folded: s.folded + 1 }) }
    const loaded = await loadState(store(), evolveChanged, snapshots, changed)('acct-1')()
    if (E.isLeft(loaded)) throw new Error(loaded.left.message)
    expect(loaded.right).toMatchObject({ snapshotVersion: 0, version: 12, state: { sum: 156, folded: 12 } })
  })

  it('given a snapshot ahead of its stream (a log restored from an older backup), it is not trusted', async () => {
    await snapshots.save('acct-restored', policy, { state: { sum: 999, folded: 50 }, streamVersion: 50 })()
    const r = await store().append('acct-restored', [{ event: { type: 'Added', data: { amount: 4 } }, metadata: meta }])()
    if (E.isLeft(r)) throw new Error(r.left.message)
    const loaded = await loadState(store(), decider, snapshots, policy)('acct-restored')()
    expect(E.isRight(loaded) && loaded.right).toMatchObject({ version: 1, snapshotVersion: 0, state: { sum: 4 } })
  })

  it("given the accepted-changes read model's snapshot in the database, a fresh model reads only the snapshot's last event and what follows", async () => {
    const { events, terms, asOf } = exampleLedger({ tickets: 30, seed: 5 })
    const ledger = postgresEventStore(ledgerEvents, storage)
    for (const e of events) {
      const appended = await ledger.append(e.streamId, [{ event: { type: e.type, data: e.data } as LedgerEvent, metadata: e.metadata }])()
      if (E.isLeft(appended)) throw new Error(appended.left.message)
    }
    let read = 0
    const readContract: typeof ledger.readContract = (contractId, options) => async () => {
      const page = await ledger.readContract(contractId, options)()
      if (E.isRight(page)) read += page.right.events.length
      return page
    }
    const expected = E.right(acceptedChangesOf(events, terms.contractId, asOf))
    expect(await acceptedChangesReadModel(readContract, { snapshots, every: 10 })(terms.contractId, asOf)()).toEqual(expected)
    expect(read).toBe(events.length)
    read = 0
    // A new process: its model starts from the stored snapshot (decoded from jsonb) and reads one event again, nothing before.
    expect(await acceptedChangesReadModel(readContract, { snapshots, every: 10 })(terms.contractId, asOf)()).toEqual(expected)
    expect(read).toBe(1)
  })
})
