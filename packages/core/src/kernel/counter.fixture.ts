/** A tiny aggregate the kernel's own tests exercise: a counter with a ceiling. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { Decider } from './decider.js'
import type { DomainError } from './domain-error.js'
import { eventCatalog, eventType } from './event-catalog.js'

export const counterCatalog = eventCatalog([
  eventType('Incremented', t.readonly(t.type({ by: t.number }))),
  eventType('Reset', t.readonly(t.type({ reason: t.string }))),
])
export type CounterEvent = (typeof counterCatalog)['codec']['_A']
export type CounterCommand = { readonly type: 'Increment'; readonly by: number } | { readonly type: 'Reset'; readonly reason: string }
export interface CounterState {
  readonly total: number
  readonly increments: number
  readonly resets: number
}
export type CeilingReached = DomainError<'CeilingReached'> & { readonly total: number }

export const counterDecider = (ceiling = Number.MAX_SAFE_INTEGER): Decider<CounterCommand, CounterState, CounterEvent, CeilingReached> => ({
  initialState: { total: 0, increments: 0, resets: 0 },
  evolve: (s, e) => {
    switch (e.type) {
      case 'Incremented':
        return { ...s, total: s.total + e.data.by, increments: s.increments + 1 }
      case 'Reset':
        return { ...s, total: 0, resets: s.resets + 1 }
    }
  },
  decide: (c, s) => {
    switch (c.type) {
      case 'Increment':
        if (c.by === 0) return E.right([])
        return s.total + c.by > ceiling
          ? E.left({ _tag: 'CeilingReached', message: `total ${s.total} + ${c.by} passes ${ceiling}`, total: s.total })
          : E.right([{ type: 'Incremented', data: { by: c.by } }])
      case 'Reset':
        return E.right([{ type: 'Reset', data: { reason: c.reason } }])
    }
  },
})
