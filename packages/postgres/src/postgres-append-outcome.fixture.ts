/** A check run on both engines: every kind of append call reports the event ids that were stored, a replay the first request's. */
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { expect } from 'vitest'
import { postgresEventStore, type PostgresStorage } from './postgres-event-store.js'

const Counted = eventType('Counted', t.type({ n: t.number }))
const catalog = eventCatalog([Counted])
const meta: EventMetadata = { actor: { party: 'system', id: 'outcome-ids' }, occurredAt: instantOf(Date.UTC(2025, 0, 1)) }
const counted = (n: number, eventId?: string) => ({ event: { type: 'Counted' as const, data: { n } }, metadata: meta, ...(eventId === undefined ? {} : { eventId }) })
const upper = () => crypto.randomUUID().toUpperCase()

/**
 * One-event appends (scalar statement), several events (array statement) and a batch leave out
 * the ids of what they appended and the store fills them in: they must equal what reads back, in
 * the database's lower case, and a replay must give the first request's ids, not the retry's.
 */
export const appendOutcomeIdsCheck = async (storage: PostgresStorage, prefix: string): Promise<void> => {
  const store = postgresEventStore(catalog, storage)
  const must = <A>(r: E.Either<{ message: string }, A>): A => {
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }
  const oneId = upper()
  const one = must(await store.append(`${prefix}-one`, [counted(1, oneId)], { idempotencyKey: `${prefix}-k1` })())
  const many = must(await store.append(`${prefix}-many`, [counted(1, upper()), counted(2, upper()), counted(3)])())
  // Appends made at one moment leave together: the batch statement.
  const batch = (await Promise.all([1, 2, 3].map((i) => store.append(`${prefix}-batch-${i}`, [counted(i, upper())])()))).map(must)
  const generated = must(await store.append(`${prefix}-gen`, [counted(7)], { idempotencyKey: `${prefix}-k2` })())

  expect(one.eventIds).toEqual([oneId.toLowerCase()])
  for (const result of [one, many, ...batch, generated]) {
    const read = must(await store.readStream(result.streamId)())
    expect(result.eventIds).toEqual(read.events.map((e) => e.eventId))
    expect(result.replayed).toBe(false)
  }
  // Retries: the same id again, and a generated id that differs from the first try's.
  const replayOne = must(await store.append(`${prefix}-one`, [counted(1, oneId)], { idempotencyKey: `${prefix}-k1` })())
  const replayGenerated = must(await store.append(`${prefix}-gen`, [counted(7)], { idempotencyKey: `${prefix}-k2` })())
  expect(replayOne).toEqual({ ...one, replayed: true })
  expect(replayGenerated).toEqual({ ...generated, replayed: true })
  const replayedInBatch = (await Promise.all([
    store.append(`${prefix}-gen`, [counted(7)], { idempotencyKey: `${prefix}-k2` })(),
    store.append(`${prefix}-batch-4`, [counted(4)])(),
  ])).map(must)
  expect(replayedInBatch[0]).toEqual({ ...generated, replayed: true })
}
