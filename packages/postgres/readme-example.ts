import { eventCatalog, eventType, instantOf } from '@support-ledger/core'
import { postgresEventStore } from '@support-ledger/postgres'
import { openEmbeddedStorage } from '@support-ledger/postgres/embedded'
import * as t from 'io-ts'

const catalog = eventCatalog([eventType('CallLogged', t.type({ topic: t.string }))])
const embedded = await openEmbeddedStorage({ inMemory: true })
const calls = postgresEventStore(catalog, embedded.storage)
const metadata = { actor: { party: 'customer' as const, id: 'aigerim' }, at: instantOf(Date.now()) }
await calls.append('call-1', [{ event: { type: 'CallLogged', data: { topic: 'Report totals differ' } }, metadata }])()
const read = await calls.readStream('call-1')()
console.log(read._tag === 'Right' ? read.right.events.map((e) => e.data.topic) : read.left.message)
await embedded.close()
