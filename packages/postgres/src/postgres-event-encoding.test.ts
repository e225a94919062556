// What an append writes for the caller: metadata with its recording time, and event ids.
import { instantOf, type EventMetadata } from '@support-ledger/core'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { newEventIdV7, storedMetadataJson } from './postgres-event-encoding.js'

const at = instantOf(Date.UTC(2025, 4, 6, 7, 8, 9, 10))

// Metadata as callers build it, with optional fields present, absent or undefined, extra fields of
// any JSON value, and in about one case of five a `recordedAt` of their own.
const metadataArb: fc.Arbitrary<EventMetadata> = fc
  .record(
    {
      actor: fc.record({ party: fc.constantFrom('customer', 'supplier', 'system'), id: fc.string() }),
      occurredAt: fc.date({ noInvalidDate: true }).map((d) => instantOf(d.getTime())),
      correlationId: fc.option(fc.string(), { nil: undefined }),
      causationId: fc.string(),
      recordedAt: fc.constantFrom('2020-01-01T00:00:00.000Z', 42, null),
      extra: fc.jsonValue(),
      'with "quotes" \\': fc.string(),
    },
    { requiredKeys: ['actor', 'occurredAt'] },
  )
  .map((m) => m as unknown as EventMetadata)

describe('stored metadata', () => {
  it('is exactly JSON.stringify({ ...metadata, recordedAt }) for any metadata', () => {
    let ownRecordedAt = 0
    fc.assert(
      fc.property(metadataArb, (m) => {
        if ('recordedAt' in m) ownRecordedAt++
        expect(storedMetadataJson(m, at)).toBe(JSON.stringify({ ...m, recordedAt: at }))
      }),
      { numRuns: 500 },
    )
    // The generator reaches metadata that brings its own recordedAt (the slow path) often enough.
    expect(ownRecordedAt).toBeGreaterThan(50)
  })

  it('for empty metadata, an object without a prototype, and one with toJSON, is the same as the spread', () => {
    const empty = {} as EventMetadata
    const bare = Object.assign(Object.create(null) as object, { actor: { party: 'system', id: 'x' }, occurredAt: at }) as EventMetadata
    const custom = { actor: { party: 'system', id: 'x' }, occurredAt: at, toJSON: () => ({ replaced: true }) } as unknown as EventMetadata
    for (const m of [empty, bare, custom]) expect(storedMetadataJson(m, at)).toBe(JSON.stringify({ ...m, recordedAt: at }))
  })
})

describe('event ids', () => {
  it('are distinct uuid v7 stamped with the clock at creation, in non-decreasing milliseconds', () => {
    const before = Date.now()
    // More than one block of pooled random bytes (256 ids), so the pool is refilled several times.
    const ids = Array.from({ length: 5000 }, () => newEventIdV7())
    const after = Date.now()
    expect(new Set(ids).size).toBe(ids.length)
    const millis = ids.map((id) => {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      return parseInt(id.replace(/-/g, '').slice(0, 12), 16)
    })
    expect(Math.min(...millis)).toBeGreaterThanOrEqual(before)
    expect(Math.max(...millis)).toBeLessThanOrEqual(after)
    millis.forEach((ms, i) => expect(ms).toBeGreaterThanOrEqual(millis[i - 1] ?? ms))
  })
})
