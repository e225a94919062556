// The in-memory schedule against the shared contract, run as a projection with its checkpoint.
import * as E from 'fp-ts/lib/Either.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { Subscription } from '../kernel/event-store.js'
import { inMemoryCheckpointStore, replayProjection, startProjection } from '../kernel/projection.js'
import { ledgerEvents } from '../report/ledger-events.js'
import { obligationScheduleContract, scheduleContractCalendars } from '../testing/obligation-schedule-contract.js'
import { inMemoryObligationSchedule } from './in-memory-obligation-schedule.js'

obligationScheduleContract('in memory', async () => {
  const store = inMemoryEventStore(ledgerEvents, createInMemoryStorage())
  const schedule = inMemoryObligationSchedule({ calendars: scheduleContractCalendars })
  const checkpoints = inMemoryCheckpointStore()
  const start = async (): Promise<Subscription> => {
    const started = await startProjection({ store, checkpoints, projection: schedule })()
    if (E.isLeft(started)) throw new Error(started.left.message)
    return started.right
  }
  let subscription = await start()
  return {
    store,
    schedule,
    caughtUp: (position) => subscription.reached(position),
    rebuild: async () => {
      await subscription.stop()
      const replayed = await replayProjection({ store, projection: schedule, checkpoints })()
      if (E.isLeft(replayed)) throw new Error(replayed.left.message)
      subscription = await start()
    },
    close: () => subscription.stop(),
  }
})
