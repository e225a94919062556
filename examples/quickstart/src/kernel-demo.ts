/** The kernel at work: a decider, its event catalog, command handling, a projection fed by a subscription. */
import {
  commandHandler,
  eventCatalog,
  eventType,
  inMemoryCheckpointStore,
  instantOf,
  reducerProjection,
  startProjection,
  type Decider,
  type DomainError,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { inMemoryDemoStorage, type OpenDemoStorage } from './demo-storage.js'

// #region decider
// A call log: the customer phones, the supplier answers. Nothing is lost, and no call is answered twice.
const catalog = eventCatalog([
  eventType('CallLogged', t.readonly(t.type({ topic: t.string }))),
  eventType('CallAnswered', t.readonly(t.type({ answer: t.string }))),
])
type CallEvent = (typeof catalog)['codec']['_A']
type CallCommand = { readonly type: 'LogCall'; readonly topic: string } | { readonly type: 'Answer'; readonly answer: string }
type CallState = { readonly status: 'none' | 'open' | 'answered' }
type CallRefused = DomainError<'CallNotOpen'>

const calls: Decider<CallCommand, CallState, CallEvent, CallRefused> = {
  initialState: { status: 'none' },
  evolve: (_s, e) => ({ status: e.type === 'CallLogged' ? 'open' : 'answered' }),
  decide: (c, s) =>
    c.type === 'LogCall'
      ? E.right([{ type: 'CallLogged', data: { topic: c.topic } }])
      : s.status === 'open'
        ? E.right([{ type: 'CallAnswered', data: { answer: c.answer } }])
        : E.left({ _tag: 'CallNotOpen', message: `the call is ${s.status}, not open` }),
}
// #endregion decider

export const kernelDemo = async (log: (line: string) => void, openStorage: OpenDemoStorage = inMemoryDemoStorage): Promise<void> => {
  const storage = await openStorage('kernel')
  // #region handle
  const store = storage.storeFor(catalog)
  const handle = commandHandler(store, calls)
  const at = (hhmm: string) => instantOf(new Date(`2025-03-03T${hhmm}:00+05:00`))
  const customer = { party: 'customer' as const, id: 'aigerim' }
  const supplier = { party: 'supplier' as const, id: 'daniyar' }

  const open = reducerProjection('open-calls', new Set<string>(), (s, e: { streamId: string; type: string }) => {
    const next = new Set(s)
    if (e.type === 'CallLogged') next.add(e.streamId)
    else next.delete(e.streamId)
    return next
  })
  const sub = await startProjection({ store, checkpoints: inMemoryCheckpointStore(), projection: open })()
  if (E.isLeft(sub)) throw new Error(sub.left.message)

  await handle('call-1', { type: 'LogCall', topic: 'Report totals differ' }, { actor: customer, at: at('09:05') })()
  await handle('call-2', { type: 'LogCall', topic: 'How to export to Excel' }, { actor: customer, at: at('09:20') })()
  const answered = await handle('call-2', { type: 'Answer', answer: 'File → Export' }, { actor: supplier, at: at('09:31') })()
  const twice = await handle('call-2', { type: 'Answer', answer: 'again' }, { actor: supplier, at: at('09:40') })()
  // #endregion handle

  const last = E.isRight(answered) ? (answered.right.appended?.toPosition ?? 0) : 0
  await sub.right.reached(last)
  await sub.right.stop()
  await storage.close()
  log(`kernel: call-2 answered at version ${E.isRight(answered) ? answered.right.version : '?'}`)
  log(`kernel: answering it again is refused: ${E.isLeft(twice) ? twice.left._tag : 'accepted?!'}`)
  log(`kernel: open calls from the projection: ${[...open.state()].join(', ')}`)
}
