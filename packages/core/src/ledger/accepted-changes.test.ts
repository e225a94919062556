import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import { acceptedChangesOf } from '../report/compliance-report.js'
import { exampleLedger } from '../testing/example-ledger.js'
import { ledgerEvents, type LedgerEvent } from '../report/ledger-events.js'
import { inMemorySnapshotStore } from '../kernel/snapshot-store.js'
import { acceptedChangesReadModel, acceptedChangesSnapshots } from './accepted-changes.js'

describe('accepted changes read model', () => {
  it("reads a contract's whole record once, then only what was recorded since, and answers as the whole record does", async () => {
    const { events, terms, asOf } = exampleLedger({ tickets: 40, seed: 7 })
    const store = inMemoryEventStore(ledgerEvents, createInMemoryStorage())
    const append = async (slice: ReadonlyArray<RecordedEvent<LedgerEvent>>) => {
      for (const e of slice) {
        const appended = await store.append(e.streamId, [{ event: { type: e.type, data: e.data } as LedgerEvent, metadata: e.metadata }])()
        if (E.isLeft(appended)) throw new Error(appended.left.message)
      }
    }
    let read = 0
    const model = acceptedChangesReadModel((contractId, options) => async () => {
      const page = await store.readContract(contractId, options)()
      if (E.isRight(page)) read += page.right.events.length
      return page
    }, { pageSize: 50 })
    // Split before the last accepted customization, so that the second ask has something new to find.
    const half = events.findLastIndex((e) => e.type === 'ChangeAccepted')
    expect(half).toBeGreaterThan(0)
    await append(events.slice(0, half))
    const early = await model(terms.contractId, asOf)()
    expect(read).toBe(half)
    expect(early).toEqual(E.right(acceptedChangesOf(events.slice(0, half), terms.contractId, asOf)))
    expect(E.isRight(early) && early.right.length).toBeGreaterThan(0)

    await append(events.slice(half))
    const late = await model(terms.contractId, asOf)()
    // The second ask read the events recorded since the first, and none before them.
    expect(read).toBe(events.length)
    expect(late).toEqual(E.right(acceptedChangesOf(events, terms.contractId, asOf)))
    expect(E.isRight(late) && E.isRight(early) && late.right.length).toBeGreaterThan(E.isRight(early) ? early.right.length : 0)
    // An earlier as-of instant leaves out what was accepted after it, from the same state.
    const mid = events[half]!.data.at
    expect(await model(terms.contractId, mid)()).toEqual(E.right(acceptedChangesOf(events, terms.contractId, mid)))
    expect(read).toBe(events.length)
    // Another contract has nothing accepted, and asking it reads nothing of this one's.
    expect(await model('C-NONE', asOf)()).toEqual(E.right([]))
    expect(read).toBe(events.length)
  })
})

describe('accepted changes read model with snapshots', () => {
  const { events, terms, asOf } = exampleLedger({ tickets: 40, seed: 11 })
  const setUp = async () => {
    const store = inMemoryEventStore(ledgerEvents, createInMemoryStorage())
    for (const e of events) {
      const appended = await store.append(e.streamId, [{ event: { type: e.type, data: e.data } as LedgerEvent, metadata: e.metadata }])()
      if (E.isLeft(appended)) throw new Error(appended.left.message)
    }
    const counted = { read: 0 }
    const readContract: typeof store.readContract = (contractId, options) => async () => {
      const page = await store.readContract(contractId, options)()
      if (E.isRight(page)) counted.read += page.right.events.length
      return page
    }
    return { store, readContract, counted }
  }

  it('a fresh process starts from the snapshot another saved, reads only what follows it, and answers as the whole record does', async () => {
    const { store, readContract, counted } = await setUp()
    const snapshots = inMemorySnapshotStore()
    const expected = E.right(acceptedChangesOf(events, terms.contractId, asOf))
    expect(await acceptedChangesReadModel(readContract, { snapshots, every: 20 })(terms.contractId, asOf)()).toEqual(expected)
    expect(counted.read).toBe(events.length)
    const saved = await snapshots.load(terms.contractId, acceptedChangesSnapshots)()
    const at = E.isRight(saved) ? saved.right?.streamVersion : undefined
    expect(at).toBe(events.at(-1)!.globalPosition)

    // Later events, then a fresh model: it reads the snapshot's last event again and the ones after it, nothing before.
    const later = events.filter((e) => e.type === 'ResultAccepted' || e.type === 'ChangeAccepted').slice(0, 3)
    expect(later).toHaveLength(3)
    for (const e of later) {
      const appended = await store.append(`later-${e.streamId}`, [{ event: { type: e.type, data: e.data } as LedgerEvent, metadata: e.metadata }], { contractId: terms.contractId })()
      if (E.isLeft(appended)) throw new Error(appended.left.message)
    }
    counted.read = 0
    const fresh = await acceptedChangesReadModel(readContract, { snapshots, every: 20 })(terms.contractId, asOf)()
    expect(counted.read).toBe(1 + later.length)
    const all = await store.readContract(terms.contractId, { after: 0, limit: 100_000 })()
    if (E.isLeft(all)) throw new Error(all.left.message)
    expect(fresh).toEqual(E.right(acceptedChangesOf(all.right.events, terms.contractId, asOf)))
  })

  it('a snapshot whose last event is not in the log (an older backup restored) is ignored and the record read from the start', async () => {
    const { readContract, counted } = await setUp()
    const snapshots = inMemorySnapshotStore()
    const ahead = events.at(-1)!.globalPosition + 7
    const wrong = { contractId: terms.contractId, position: ahead, defects: new Map(), customizations: [{ changeId: 'CH-GHOST', acceptedAt: asOf }] }
    await snapshots.save(terms.contractId, acceptedChangesSnapshots, { state: wrong, streamVersion: ahead })()
    const answer = await acceptedChangesReadModel(readContract, { snapshots })(terms.contractId, asOf)()
    expect(answer).toEqual(E.right(acceptedChangesOf(events, terms.contractId, asOf)))
    expect(counted.read).toBe(events.length)
  })

  it('a snapshot under another schema version is ignored', async () => {
    const { readContract, counted } = await setUp()
    const snapshots = inMemorySnapshotStore()
    const ghost = { contractId: terms.contractId, position: 1, defects: new Map(), customizations: [{ changeId: 'CH-GHOST', acceptedAt: asOf }] }
    await snapshots.save(terms.contractId, { ...acceptedChangesSnapshots, version: 'accepted-changes-0' }, { state: ghost, streamVersion: 1 })()
    const answer = await acceptedChangesReadModel(readContract, { snapshots })(terms.contractId, asOf)()
    expect(answer).toEqual(E.right(acceptedChangesOf(events, terms.contractId, asOf)))
    expect(counted.read).toBe(events.length)
  })
})
