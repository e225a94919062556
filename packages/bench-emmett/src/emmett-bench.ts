/**
 * Emmett's PostgreSQL event store, opened for the workloads @support-ledger/postgres measures:
 * its bench imports this module and runs Emmett in the same process as the other variants.
 */
import { randomUUID } from 'node:crypto'
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett'
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql'

export interface EmmettBench {
  /** Appends `count` events to a new stream, expecting it not to exist. */
  readonly append: (streamId: string, count: number) => Promise<void>
  readonly close: () => Promise<void>
}

const event = (n: number) => ({
  type: 'Counted',
  data: { n, note: 'a short note about the work done' },
  metadata: { actor: { party: 'supplier', id: 'bench' }, at: '2025-01-01T09:00:00.000Z', correlationId: 'c-1' },
})

/** Opens Emmett's store on the database and migrates it (its first append does), outside any timing. */
export const openEmmett = async (connectionString: string): Promise<EmmettBench> => {
  const store = getPostgreSQLEventStore(connectionString)
  await store.appendToStream(`warmup-${randomUUID()}`, [event(0)])
  return {
    append: async (streamId, count) => {
      await store.appendToStream(streamId, Array.from({ length: count }, (_, k) => event(k)), { expectedStreamVersion: STREAM_DOES_NOT_EXIST })
    },
    close: () => store.close(),
  }
}
