/** The schedule contract's fixture over a PostgreSQL storage: the ledger store and the consumer that keeps the schedule. */
import { ledgerEvents } from '@support-ledger/core'
import { scheduleContractCalendars, type ObligationScheduleFixture } from '@support-ledger/core/testing/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { consumerCheckpoints } from './postgres-consumer.js'
import { postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { postgresObligationSchedule } from './postgres-obligation-schedule.js'

export const postgresObligationScheduleFixture = (storage: PostgresStorage, close: () => Promise<void>): ObligationScheduleFixture => {
  const schedule = postgresObligationSchedule(storage, { calendars: scheduleContractCalendars })
  let consumer = schedule.start({ leaseMs: 3_000 })
  let head = 0
  const caughtUp = async (position: number) => {
    head = Math.max(head, position)
    const deadline = Date.now() + 30_000
    for (;;) {
      const rows = await consumerCheckpoints(storage, schedule.name)()
      if (E.isLeft(rows)) throw new Error(rows.left.message)
      if ((rows.right[0]?.position ?? 0) >= position) return
      if (Date.now() > deadline) throw new Error(`schedule did not reach position ${position}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  return {
    store: postgresEventStore(ledgerEvents, storage),
    schedule,
    caughtUp,
    rebuild: async () => {
      await consumer.stop()
      const reset = await schedule.reset()()
      if (E.isLeft(reset)) throw new Error(reset.left.message)
      consumer = schedule.start({ leaseMs: 3_000 })
      await caughtUp(head)
    },
    close: async () => {
      await consumer.stop()
      await close()
    },
  }
}
