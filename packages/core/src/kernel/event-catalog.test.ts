import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { assertCodecRoundTrip, expectReaches } from '../testing/arbitraries.js'
import { counterCatalog } from './counter.fixture.js'
import { decodeIssues, eventCatalog, eventType, upcaster } from './event-catalog.js'
import { Instant, instantOf } from './instant.js'
import type { StoredEvent } from './recorded-event.js'

const stored = (type: string, schemaVersion: number, data: unknown): StoredEvent => ({
  streamId: 'ticket-7',
  streamVersion: 3,
  globalPosition: 42,
  eventId: 'e-1',
  type,
  schemaVersion,
  data,
  metadata: { actor: { party: 'customer', id: 'c' }, at: instantOf(0), recordedAt: instantOf(1) },
})

const Filed = eventType(
  'Filed',
  t.readonly(t.type({ title: t.string, priority: t.keyof({ low: null, high: null }), lines: t.readonlyArray(t.type({ amount: t.number })) })),
  {
    version: 3,
    upcasters: [
      upcaster(1, t.type({ subject: t.string }), (v1) => ({ title: v1.subject, urgent: false })),
      upcaster(2, t.type({ title: t.string, urgent: t.boolean }), (v2) => ({ title: v2.title, priority: v2.urgent ? 'high' : 'low', lines: [] })),
    ],
  },
)
const catalog = eventCatalog([Filed])

describe('event catalog', () => {
  const counterEventArb = fc.oneof(
    fc.record({ type: fc.constant('Incremented' as const), data: fc.record({ by: fc.integer() }) }),
    fc.record({ type: fc.constant('Reset' as const), data: fc.record({ reason: fc.string({ unit: 'grapheme' }) }) }),
  )
  it('round-trips every event through its codec', () => {
    assertCodecRoundTrip(counterCatalog.codec, counterEventArb)
    expectReaches(counterEventArb, {
      Incremented: { atLeast: 0.3, reached: (e) => e.type === 'Incremented' },
      'Incremented by a negative amount': { atLeast: 0.1, reached: (e) => e.type === 'Incremented' && e.data.by < 0 },
      Reset: { atLeast: 0.3, reached: (e) => e.type === 'Reset' },
      'Reset with a non-ASCII reason': { atLeast: 0.01, reached: (e) => e.type === 'Reset' && /[^\x20-\x7e]/.test(e.data.reason) },
    })
  })

  it('encodes with the current schema version and decodes back', () => {
    const enc = catalog.encode({ type: 'Filed', data: { title: 'x', priority: 'low', lines: [] } }, 's', 0)
    expect(enc).toEqual(E.right({ type: 'Filed', schemaVersion: 3, data: { title: 'x', priority: 'low', lines: [] } }))
  })

  it('upcasts through every older version in turn', () => {
    const v1 = catalog.decode(stored('Filed', 1, { subject: 'printer' }))
    expect(v1).toEqual(E.right(expect.objectContaining({ schemaVersion: 3, data: { title: 'printer', priority: 'low', lines: [] } })))
    const v2 = catalog.decode(stored('Filed', 2, { title: 't', urgent: true }))
    expect(E.isRight(v2) && v2.right.data).toEqual({ title: 't', priority: 'high', lines: [] })
  })

  it('names stream, version and path when data does not decode', () => {
    const out = catalog.decode(stored('Filed', 3, { title: 'x', priority: 'urgent', lines: [{ amount: 'ten' }] }))
    expect(E.isLeft(out)).toBe(true)
    if (E.isRight(out)) return
    expect(out.left).toMatchObject({ _tag: 'EventDecodeFailed', streamId: 'ticket-7', streamVersion: 3, globalPosition: 42, reason: 'invalid-data' })
    expect(out.left.issues.map((i) => i.path).sort()).toEqual(['lines.0.amount', 'priority'])
    expect(out.left.message).toMatch(/stream ticket-7 version 3/)
    expect(out.left.message).toContain('lines.0.amount')
  })

  it('checks old data against the old codec before upcasting', () => {
    const out = catalog.decode(stored('Filed', 1, { title: 'renamed too early' }))
    expect(out).toEqual(E.left(expect.objectContaining({ reason: 'invalid-data', issues: [expect.objectContaining({ path: 'subject' })] })))
  })

  it('refuses unknown types and versions', () => {
    expect(catalog.decode(stored('Nope', 1, {}))).toEqual(E.left(expect.objectContaining({ reason: 'unknown-type' })))
    expect(catalog.decode(stored('Filed', 4, {}))).toEqual(E.left(expect.objectContaining({ reason: 'unknown-version' })))
    expect(catalog.decode(stored('Filed', 0, {}))).toEqual(E.left(expect.objectContaining({ reason: 'unknown-version' })))
  })

  it('refuses to encode an event its codec rejects, naming it', () => {
    const bad = { type: 'Filed', data: { title: 1, priority: 'low', lines: [] } } as never
    expect(catalog.encode(bad, 'ticket-9', 2)).toEqual(
      E.left(expect.objectContaining({ _tag: 'InvalidEvent', streamId: 'ticket-9', index: 2, issues: [expect.objectContaining({ path: 'title' })] })),
    )
  })

  it('refuses, rather than throws, when a codec with a real encoder meets data of the wrong shape', () => {
    const At = new t.Type<Date, string, unknown>(
      'At',
      (u): u is Date => u instanceof Date,
      (u, c) => (typeof u === 'string' && !Number.isNaN(Date.parse(u)) ? t.success(new Date(u)) : t.failure(u, c)),
      (d) => d.toISOString(),
    )
    const dated = eventCatalog([eventType('Dated', t.type({ at: At }))])
    const out = dated.encode({ type: 'Dated', data: { at: 'not a date' } } as never, 'd-1', 0)
    expect(out).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidEvent', streamId: 'd-1', index: 0 })))
    expect(dated.encode({ type: 'Dated', data: { at: new Date(0) } }, 'd-1', 0)).toEqual(
      E.right({ type: 'Dated', schemaVersion: 1, data: { at: '1970-01-01T00:00:00.000Z' } }),
    )
  })

  // Data read back is checked with `is` where decode could only hand it back unchanged: the
  // result must be what the full decode gives, for sound data and for every kind of damage.
  const Rich = t.readonly(
    t.intersection([
      t.type({
        title: t.string,
        priority: t.keyof({ low: null, high: null }),
        at: Instant,
        kind: t.union([t.literal('a'), t.literal('b')]),
        lines: t.readonlyArray(t.type({ amount: t.number })),
        flag: t.boolean,
        note: t.union([t.string, t.null]),
      }),
      t.partial({ tags: t.array(t.string), count: t.Int }),
    ]),
  )
  const rich = eventCatalog([eventType('Rich', Rich)])
  const soundRich = fc.record(
    {
      title: fc.string(),
      priority: fc.constantFrom('low', 'high'),
      at: fc.integer({ min: 0, max: 4_102_444_800_000 }).map(instantOf),
      kind: fc.constantFrom('a', 'b'),
      lines: fc.array(fc.record({ amount: fc.double() }), { maxLength: 3 }),
      flag: fc.boolean(),
      note: fc.option(fc.string(), { nil: null }),
      tags: fc.array(fc.string(), { maxLength: 2 }),
      count: fc.integer(),
    },
    { requiredKeys: ['title', 'priority', 'at', 'kind', 'lines', 'flag', 'note'] },
  ) as fc.Arbitrary<Record<string, unknown>>
  const damagedRich = fc
    .tuple(soundRich, fc.constantFrom('title', 'priority', 'at', 'kind', 'lines', 'flag', 'note', 'tags', 'count'), fc.option(fc.jsonValue(), { nil: undefined }))
    .map(([v, key, value]) => (value === undefined ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== key)) : { ...v, [key]: value }))
  const richData = fc.oneof(soundRich, damagedRich, fc.jsonValue())

  it('gives, property-wise, what the full decode gives: the same data, or the same issues', () => {
    const reached = expectReaches(richData, {
      sound: { atLeast: 0.3, reached: (d) => E.isRight(Rich.decode(d)) },
      'damaged in one field': { atLeast: 0.2, reached: (d) => E.isLeft(Rich.decode(d)) && typeof d === 'object' && d !== null && !Array.isArray(d) && 'title' in d },
      'not an object at all': { atLeast: 0.05, reached: (d) => typeof d !== 'object' || d === null || Array.isArray(d) },
    })
    expect(reached.sound).toBeGreaterThan(0)
    fc.assert(
      fc.property(richData, (data) => {
        const full = Rich.decode(data)
        const out = rich.decode(stored('Rich', 1, data))
        if (E.isRight(full)) {
          // Equal, not always the same object: decode copies a record holding NaN (NaN !== NaN).
          expect(E.isRight(out) && out.right.data).toEqual(full.right)
        } else {
          expect(E.isLeft(out) && out.left.issues).toEqual(decodeIssues(full.left))
        }
      }),
      { numRuns: 500 },
    )
  })

  it('decodes in full where the codec strips or converts: an exact type drops unknown keys, a hand-made type converts', () => {
    const At = new t.Type<Date, string, unknown>(
      'At',
      (u): u is Date => u instanceof Date,
      (u, c) => (typeof u === 'string' && !Number.isNaN(Date.parse(u)) ? t.success(new Date(u)) : t.failure(u, c)),
      (d) => d.toISOString(),
    )
    const both = eventCatalog([eventType('Strict', t.strict({ a: t.number })), eventType('Dated', t.type({ at: At }))])
    const strict = both.decode(stored('Strict', 1, { a: 1, extra: 2 }))
    expect(E.isRight(strict) && strict.right.data).toEqual({ a: 1 })
    const dated = both.decode(stored('Dated', 1, { at: '1970-01-01T00:00:00.000Z' }))
    expect(E.isRight(dated) && dated.right.data).toEqual({ at: new Date(0) })
  })

  it('refuses a catalog with a missing upcaster or a duplicate type', () => {
    expect(() => eventType('X', t.type({}), { version: 2 })).toThrow(/upcaster from version 1/)
    expect(() => eventCatalog([eventType('X', t.type({})), eventType('X', t.type({}))])).toThrow(/duplicate/)
  })
})
