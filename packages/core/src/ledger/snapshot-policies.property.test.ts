// Every snapshot policy of the ledger: a state snapshotted at any point of a generated contract's stream, stored as JSON and
// decoded, then folded on with the rest of the stream, is the state folded from the first event.
import { fc, test as propTest } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect } from 'vitest'
import { budgetDecider, budgetSnapshots } from '../budget/budget-decider.js'
import { deliveryDecider, deliverySnapshots } from '../delivery/delivery-decider.js'
import { fold, type Decider } from '../kernel/decider.js'
import type { SnapshotPolicy } from '../kernel/snapshot-store.js'
import { operationsDecider, operationsSnapshots } from '../operations/operations-decider.js'
import { exampleLedger } from '../testing/example-ledger.js'

const policies: ReadonlyArray<readonly [string, Pick<Decider<unknown, unknown, never, unknown>, 'evolve' | 'initialState'>, SnapshotPolicy<unknown>]> = [
  ['budget', budgetDecider as never, budgetSnapshots as SnapshotPolicy<unknown>],
  ['delivery', deliveryDecider as never, deliverySnapshots as SnapshotPolicy<unknown>],
  ['operations', operationsDecider as never, operationsSnapshots as SnapshotPolicy<unknown>],
]

describe('snapshot policies', () => {
  // Each run: a contract's year (30 to 80 requests, any seed) and, per stream, snapshot points spread over the whole stream
  // (a fraction of its length, so the first event, the last, and everything between are reached alike).
  propTest.prop([fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 30, max: 80 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 8 })], { numRuns: 15 })(
    'a state snapshotted anywhere and folded on from its JSON equals the fold from the start',
    (seed, tickets, fractions) => {
      const { events } = exampleLedger({ tickets, seed })
      for (const [kind, decider, policy] of policies) {
        const stream = events.filter((e) => e.streamId.startsWith(`${kind}-`)).map((e) => ({ type: e.type, data: e.data }) as never)
        expect(stream.length).toBeGreaterThan(0)
        const whole = fold(decider, stream)
        for (const k of [0, stream.length, ...fractions.map((f) => Math.round(f * stream.length))]) {
          const stored = JSON.parse(JSON.stringify(policy.codec.encode(fold(decider, stream.slice(0, k))))) as unknown
          const decoded = policy.codec.decode(stored)
          if (E.isLeft(decoded)) throw new Error(`${kind}: the snapshot at ${k} does not decode`)
          expect(fold(decider, stream.slice(k), decoded.right)).toEqual(whole)
        }
      }
    },
  )
})
