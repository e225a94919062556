/** fast-check helpers shared by the property tests of every package; they need fast-check, not a particular test runner. */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import type { Decider } from '../kernel/decider.js'
import { fold } from '../kernel/decider.js'
import { instantOf, type Instant } from '../kernel/instant.js'
import type { Actor } from '../kernel/recorded-event.js'
import { assertEqual } from './assertions.js'

// constructors

/** Instants between two dates, at millisecond precision. */
export const instantArb = (min = new Date('2024-01-01T00:00:00Z'), max = new Date('2026-12-31T23:59:59Z')): fc.Arbitrary<Instant> =>
  fc.integer({ min: min.getTime(), max: max.getTime() }).map((ms) => instantOf(ms))

/** Actors of a party (any party when none is given), with short ids. */
export const actorArb = (party?: Actor['party']): fc.Arbitrary<Actor> =>
  fc.record({
    party: party === undefined ? fc.constantFrom<Actor['party']>('customer', 'supplier', 'system') : fc.constant(party),
    id: fc.stringMatching(/^[a-z][a-z0-9.-]{0,15}$/),
  })

/** Stream ids of the shape `prefix-hex`, as the stores accept them. */
export const streamIdArb: fc.Arbitrary<string> = fc.stringMatching(/^[a-z]{1,8}-[0-9a-f]{1,12}$/)

/** Splits an array into consecutive non-empty chunks at random cut points. */
export const chunksOf = <A>(items: ReadonlyArray<A>): fc.Arbitrary<ReadonlyArray<ReadonlyArray<A>>> =>
  fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, items.length - 1) }), { maxLength: items.length }).map((cuts) => {
    const points = [0, ...cuts.filter((c) => c < items.length).sort((a, b) => a - b), items.length]
    const out: A[][] = []
    for (let i = 0; i + 1 < points.length; i++) {
      const chunk = items.slice(points[i], points[i + 1])
      if (chunk.length > 0) out.push(chunk)
    }
    return out
  })

// operations

/** A state a property is about, and the least share of generated values that must reach it. */
export interface Reach<A> {
  readonly atLeast: number
  /** Whether a generated value reaches the state. */
  readonly reached: (value: A) => boolean
}

/**
 * Draws `numRuns` values from a property's generator and fails unless each state the property
 * is about is reached in at least its stated share of them: a generator that never closes an
 * incident proves nothing about closed incidents. Returns the shares measured.
 */
export const expectReaches = <A>(arb: fc.Arbitrary<A>, states: Readonly<Record<string, Reach<A>>>, numRuns = 1000): Readonly<Record<string, number>> => {
  const values = fc.sample(arb, numRuns)
  const shares: Record<string, number> = {}
  for (const [name, state] of Object.entries(states)) {
    const count = values.filter((v) => state.reached(v)).length
    shares[name] = count / numRuns
    assert.ok(count / numRuns >= state.atLeast, `${name}: reached in ${count} of ${numRuns} generated values, below the stated share ${state.atLeast}`)
  }
  return shares
}

/** Asserts that decode(encode(x)) equals x and that `is` agrees, for every generated value. */
export const assertCodecRoundTrip = <A, O>(codec: t.Type<A, O, unknown>, arb: fc.Arbitrary<A>, params: fc.Parameters<[A]> = {}): void => {
  fc.assert(
    fc.property(arb, (value) => {
      const decoded = codec.decode(codec.encode(value))
      if (E.isLeft(decoded)) throw new Error(`a generated value does not decode after encoding: ${JSON.stringify(value)}`)
      assertEqual(decoded.right, value)
      if (!codec.is(value)) throw new Error(`the codec's guard refuses a generated value: ${JSON.stringify(value)}`)
    }),
    params,
  )
}

/** Asserts that folding a history at once equals folding it chunk by chunk, each chunk from the last state. */
export const assertFoldIsChunkable = <S, Ev>(
  decider: Pick<Decider<unknown, S, Ev, unknown>, 'evolve' | 'initialState'>,
  histories: fc.Arbitrary<ReadonlyArray<Ev>>,
  params: fc.Parameters<[[ReadonlyArray<Ev>, ReadonlyArray<ReadonlyArray<Ev>>]]> = {},
): void => {
  fc.assert(
    fc.property(
      histories.chain((h) => fc.tuple(fc.constant(h), chunksOf(h))),
      ([history, chunks]) => {
        const whole = fold(decider, history)
        const chunked = chunks.reduce((s, chunk) => fold(decider, chunk, s), decider.initialState)
        assertEqual(chunked, whole)
      },
    ),
    params,
  )
}
