// Through the ledger, a daily operations command and a delivery cost the same however long their streams: each folds only what follows its stream's latest snapshot.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import type { DeliveryId } from '../delivery/delivery-events.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { EventStore } from '../kernel/event-store.js'
import { instantOf } from '../kernel/instant.js'
import type { DomainEvent } from '../kernel/recorded-event.js'
import { inMemorySnapshotStore, type SnapshotStore } from '../kernel/snapshot-store.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../testing/contract-fixtures.js'
import type { ChangeId, ContractId } from '../values/domain-ids.js'
import type { Tiyn } from '../values/money.js'
import type { QuarterLabel } from '../values/quarter-label.js'
import type { Sha256Hex } from '../delivery/delivery-events.js'
import { contractLedger } from './contract-ledger.js'

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const contractId = exampleRegistration().contractId as ContractId
const day = (n: number) => instantOf(Date.UTC(2024, 1, 1, 9, 0) + n * 86_400_000)

const setUp = async (snapshots: SnapshotStore | undefined, every: number) => {
  const storage = createInMemoryStorage()
  // Counts the events each stream read returns, by the stream's kind.
  const read = new Map<string, number>()
  const storeFor = <Ev extends DomainEvent>(catalog: Parameters<typeof inMemoryEventStore<Ev>>[0]): EventStore<Ev> => {
    const store = inMemoryEventStore(catalog, storage)
    return {
      ...store,
      readStream: (streamId, options) => async () => {
        const slice = await store.readStream(streamId, options)()
        const kind = streamId.split('-')[0]!
        if (E.isRight(slice)) read.set(kind, (read.get(kind) ?? 0) + slice.right.events.length)
        return slice
      },
    }
  }
  const ledger = contractLedger({ storeFor, calendars, ...(snapshots === undefined ? {} : { snapshots }), snapshotEvery: every })
  for (const command of [exampleRegistration(), exampleCountersignature()]) {
    const r = await ledger.contracts.handle(command)()
    if (E.isLeft(r)) throw new Error(r.left.message)
  }
  return { ledger, read }
}

describe('snapshots through the ledger', () => {
  it('a year of daily backup checks: each check reads fewer events than the snapshot interval, and a duplicate of the first is still refused', async () => {
    const { ledger, read } = await setUp(inMemorySnapshotStore(), 20)
    const perCommand: number[] = []
    for (let n = 0; n < 365; n++) {
      const before = read.get('operations') ?? 0
      const r = await ledger.operations.handle({ type: 'RecordBackupSyncCheck', contractId, actor: exampleSupplier, at: day(n), checkId: `K-${n}`, lastSyncedAt: day(n) })()
      if (E.isLeft(r)) throw new Error(r.left.message)
      expect(r.right.state.checks.size).toBe(n + 1)
      perCommand.push((read.get('operations') ?? 0) - before)
    }
    // Without snapshots the 365th check reads the 364 before it.
    expect(Math.max(...perCommand)).toBeLessThan(20)
    expect(perCommand[364]).toBeLessThan(20)
    const again = await ledger.operations.handle({ type: 'RecordBackupSyncCheck', contractId, actor: exampleSupplier, at: day(365), checkId: 'K-0', lastSyncedAt: day(365) })()
    expect(again).toMatchObject(E.left({ _tag: 'OperationAlreadyRecorded', id: 'K-0' }))
  })

  it('deliveries with their changes given read fewer delivery events than the snapshot interval, and a repeated delivery id is refused', async () => {
    const { ledger, read } = await setUp(undefined, 5)
    const perCommand: number[] = []
    for (let n = 0; n < 40; n++) {
      const before = read.get('delivery') ?? 0
      const r = await ledger.deliveries.handle({
        type: 'RecordDelivery', contractId, actor: exampleSupplier, at: instantOf(Date.UTC(2024, 11, 20, 9, n)), deliveryId: `D-${n}` as DeliveryId,
        quarter: '2024-Q4' as QuarterLabel, version: `1.${n}`, artifactSha256: 'a'.repeat(64) as Sha256Hex, changes: [], acceptedChanges: [],
      })()
      if (E.isLeft(r)) throw new Error(r.left.message)
      expect(r.right.state.deliveries.size).toBe(n + 1)
      perCommand.push((read.get('delivery') ?? 0) - before)
    }
    expect(Math.max(...perCommand)).toBeLessThan(5)
    const again = await ledger.deliveries.handle({
      type: 'RecordDelivery', contractId, actor: exampleSupplier, at: instantOf(Date.UTC(2024, 11, 21)), deliveryId: 'D-0' as DeliveryId,
      quarter: '2024-Q4' as QuarterLabel, version: '2.0', artifactSha256: 'a'.repeat(64) as Sha256Hex, changes: [], acceptedChanges: [],
    })()
    expect(again).toMatchObject(E.left({ _tag: 'QuarterlyDeliveryAlreadyRecorded' }))
  })

  it('a budget of many changes: each command reads fewer budget events than the snapshot interval, the cap still counts every approval, and the state is the whole fold', async () => {
    const { ledger, read } = await setUp(inMemorySnapshotStore(), 8)
    const perCommand: number[] = []
    const step = async (request: Parameters<typeof ledger.budget.handle>[0]) => {
      const before = read.get('budget') ?? 0
      const r = await ledger.budget.handle(request)()
      perCommand.push((read.get('budget') ?? 0) - before)
      return r
    }
    // 30 changes of 400,000 KZT, each estimated and approved: 12,000,000 KZT of a 15,000,000 KZT cap.
    for (let n = 0; n < 30; n++) {
      const changeId = `CH-${n}` as ChangeId
      for (const r of [
        await step({ type: 'EstimateChange', contractId, changeId, actor: exampleSupplier, at: day(2 * n), title: `change ${n}`, amount: 40_000_000 as Tiyn }),
        await step({ type: 'ApproveChange', contractId, changeId, actor: exampleCustomer, at: day(2 * n + 1) }),
      ]) if (E.isLeft(r)) throw new Error(r.left.message)
    }
    const big = await step({ type: 'EstimateChange', contractId, changeId: 'CH-big' as ChangeId, actor: exampleSupplier, at: day(70), title: 'too big', amount: 400_000_000 as Tiyn })
    if (E.isLeft(big)) throw new Error(big.left.message)
    const refused = await step({ type: 'ApproveChange', contractId, changeId: 'CH-big' as ChangeId, actor: exampleCustomer, at: day(71) })
    expect(refused).toMatchObject(E.left({ _tag: 'CapExceeded', committed: 1_200_000_000 }))
    expect(Math.max(...perCommand)).toBeLessThan(8)
    const folded = await ledger.customizationBudget(contractId)()
    const last = await step({ type: 'ApproveChange', contractId, changeId: 'CH-0' as ChangeId, actor: exampleCustomer, at: day(72) })
    expect(last).toMatchObject(E.left({ _tag: 'ChangeStatusForbids' }))
    if (E.isLeft(folded)) throw new Error(folded.left.message)
    expect(folded.right.changes.size).toBe(31)
    expect(folded.right.approvedOpen).toBe(1_200_000_000)
    // The state the handler decided on, from a snapshot, is the state folded from the first event.
    expect(big.right.state).toEqual(folded.right)
  })
})
