import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import { acceptedChangesOf } from '../report/compliance-report.js'
import { exampleLedger } from '../testing/example-ledger.js'
import { ledgerEvents, type LedgerEvent } from '../report/ledger-events.js'
import { acceptedChangesReadModel } from './accepted-changes.js'

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
