import { test } from 'node:test'
import { scenario } from '@support-ledger/core/testing'
import * as E from 'fp-ts/lib/Either.js'
import type { Decider } from '@support-ledger/core'

type Event = { readonly type: 'Opened' } | { readonly type: 'Closed' }
const door: Decider<'open' | 'close', boolean, Event, { readonly _tag: 'AlreadyOpen'; readonly message: string }> = {
  initialState: false,
  evolve: (_open, e) => e.type === 'Opened',
  decide: (c, open) => (c === 'close' ? E.right([{ type: 'Closed' }]) : open ? E.left({ _tag: 'AlreadyOpen', message: 'the door is open' }) : E.right([{ type: 'Opened' }])),
}
test('an open door does not open again', () => {
  scenario(door).given([{ type: 'Opened' }]).when('open').thenFails({ _tag: 'AlreadyOpen' })
})
