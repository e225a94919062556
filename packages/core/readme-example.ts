import { commandHandler, eventCatalog, eventType, inMemoryEventStore, instantOf, type Decider } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'

const catalog = eventCatalog([eventType('CallLogged', t.type({ topic: t.string }))])
type CallEvent = (typeof catalog)['codec']['_A']
const calls: Decider<{ readonly topic: string }, number, CallEvent, never> = {
  initialState: 0,
  evolve: (count) => count + 1,
  decide: (c) => E.right([{ type: 'CallLogged', data: { topic: c.topic } }]),
}
const handle = commandHandler(inMemoryEventStore(catalog), calls)
const done = await handle('call-1', { topic: 'Report totals differ' }, { actor: { party: 'customer', id: 'aigerim' }, at: instantOf(Date.now()) })()
console.log(E.isRight(done) ? `version ${done.right.version}` : done.left.message)
