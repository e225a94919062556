import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { commandHandler } from './command-handler.js'
import { counterCatalog, counterDecider } from './counter.fixture.js'
import type { EventStore } from './event-store.js'
import { inMemoryEventStore } from './in-memory-event-store.js'
import { instantOf } from './instant.js'
import type { EventMetadata } from './recorded-event.js'

const meta: EventMetadata = { actor: { party: 'supplier', id: 'p' }, at: instantOf(0) }

/** A store in which another writer always gets in first, `times` times: every append but the last loses. */
const contested = (times: number) => {
  const store = inMemoryEventStore(counterCatalog)
  let left = times
  const wrapped: EventStore<(typeof counterCatalog)['codec']['_A']> = {
    ...store,
    append: (id, events, options) => async () => {
      if (left-- > 0) await store.append(id, [{ event: { type: 'Incremented', data: { by: 100 } }, metadata: meta }])()
      return store.append(id, events, options)()
    },
  }
  return { store, wrapped }
}

describe('command handling', () => {
  it('loads, decides and appends at the version read', async () => {
    const store = inMemoryEventStore(counterCatalog)
    const handle = commandHandler(store, counterDecider())
    const first = await handle('c-1', { type: 'Increment', by: 2 }, meta)()
    expect(first).toEqual(E.right(expect.objectContaining({ version: 1, state: { total: 2, increments: 1, resets: 0 } })))
    const second = await handle('c-1', { type: 'Increment', by: 3 }, meta)()
    expect(E.isRight(second) && second.right.state.total).toBe(5)
  })

  it('returns the decider refusal and writes nothing', async () => {
    const store = inMemoryEventStore(counterCatalog)
    const handle = commandHandler(store, counterDecider(5))
    await handle('c-1', { type: 'Increment', by: 4 }, meta)()
    expect(await handle('c-1', { type: 'Increment', by: 4 }, meta)()).toEqual(E.left(expect.objectContaining({ _tag: 'CeilingReached', total: 4 })))
    const slice = await store.readStream('c-1')()
    expect(E.isRight(slice) && slice.right.version).toBe(1)
  })

  it('appends nothing when the command changes nothing', async () => {
    const store = inMemoryEventStore(counterCatalog)
    const out = await commandHandler(store, counterDecider())('c-1', { type: 'Increment', by: 0 }, meta)()
    expect(out).toEqual(E.right({ state: { total: 0, increments: 0, resets: 0 }, events: [], version: 0 }))
  })

  it('decides again on the newer state after a conflict', async () => {
    const { store, wrapped } = contested(2)
    const out = await commandHandler(wrapped, counterDecider(), { maxRetries: 2 })('c-1', { type: 'Increment', by: 1 }, meta)()
    expect(E.isRight(out) && out.right.state.total).toBe(201)
    const slice = await store.readStream('c-1')()
    expect(E.isRight(slice) && slice.right.version).toBe(3)
  })

  it('gives up with the conflict after maxRetries', async () => {
    const { wrapped } = contested(3)
    const out = await commandHandler(wrapped, counterDecider(), { maxRetries: 2 })('c-1', { type: 'Increment', by: 1 }, meta)()
    expect(out).toEqual(E.left(expect.objectContaining({ _tag: 'WrongExpectedVersion', actual: 3 })))
  })

  it('a refusal found on the newer state is returned, not retried forever', async () => {
    const { wrapped } = contested(1)
    const out = await commandHandler(wrapped, counterDecider(150))('c-1', { type: 'Increment', by: 60 }, meta)()
    expect(out).toEqual(E.left(expect.objectContaining({ _tag: 'CeilingReached', total: 100 })))
  })
})
