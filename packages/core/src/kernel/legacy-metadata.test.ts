// Events stored while metadata named "when it happened" `occurredAt` still read, with `at`, from the in-memory store.
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { eventCatalog, eventType } from './event-catalog.js'
import { createInMemoryStorage, inMemoryEventStore } from './in-memory-event-store.js'
import { instantOf } from './instant.js'
import { currentMetadata, type RecordedMetadata, type StoredEvent } from './recorded-event.js'

const catalog = eventCatalog([eventType('Ticked', t.type({ n: t.number }))])
const happened = instantOf(Date.UTC(2025, 0, 1, 9))
const recorded = instantOf(Date.UTC(2025, 0, 1, 10))
const actor = { party: 'system', id: 'legacy-writer' } as const
// The metadata as it was stored before the rename: a plain object, typed only as what the store held.
const legacy = { actor, occurredAt: happened, recordedAt: recorded, causationId: 'x-1' } as unknown as RecordedMetadata

describe('metadata written with the old name', () => {
  it('given a stored event whose metadata says occurredAt, the stream, the log and the contract read it with at', async () => {
    const storage = createInMemoryStorage()
    const row: StoredEvent = { streamId: 's-1', streamVersion: 1, globalPosition: 1, eventId: 'e-1', type: 'Ticked', schemaVersion: 1, data: { n: 1 }, metadata: legacy }
    storage.log.push(row)
    storage.streams.set('s-1', [row])
    storage.contracts.set('C-1', [row])
    const store = inMemoryEventStore(catalog, storage)
    const expected = { actor, at: happened, recordedAt: recorded, causationId: 'x-1' }
    for (const read of [await store.readStream('s-1')(), await store.readAll({ after: 0 })(), await store.readContract('C-1', { after: 0 })()]) {
      if (E.isLeft(read)) throw new Error(read.left.message)
      expect(read.right.events.map((e) => e.metadata)).toEqual([expected])
    }
    // The stored row is read, not rewritten.
    expect(storage.log[0]!.metadata).toBe(legacy)
  })

  it('leaves metadata that already says at as it is, and prefers at when both are present', () => {
    const current: RecordedMetadata = { actor, at: happened, recordedAt: recorded }
    expect(currentMetadata(current)).toBe(current)
    const both = { ...current, occurredAt: recorded } as RecordedMetadata
    expect(currentMetadata(both).at).toBe(happened)
  })
})
