/** The outbox contract's fixture over a PostgreSQL storage: the outbox, its event store, and a consumer whose transaction enqueues. */
import type { OutboxFixture } from '@support-ledger/core/testing/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { consumerCheckpoints, startConsumer } from './postgres-consumer.js'
import { postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { postgresOutbox } from './postgres-outbox.js'

export const postgresOutboxFixture = (storage: PostgresStorage, close: () => Promise<void>): OutboxFixture => {
  const outbox = postgresOutbox(storage)
  return {
    outbox,
    store: (catalog) => postgresEventStore(catalog, storage),
    startConsumer: (options) => {
      const consumer = startConsumer(storage, {
        name: options.name,
        catalog: options.catalog,
        batchSize: options.batchSize,
        leaseMs: 3_000,
        handle: (events, tx) => options.handle(events, outbox.within(tx)),
      })
      return {
        ended: consumer.ended,
        stop: consumer.stop,
        checkpoint: async () => {
          const rows = await consumerCheckpoints(storage, options.name)()
          if (E.isLeft(rows)) throw new Error(rows.left.message)
          return rows.right[0]?.position ?? 0
        },
      }
    },
    close,
  }
}
