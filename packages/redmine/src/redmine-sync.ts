/** One round of the sync: read Redmine into the ledger, enqueue the ledger's new events as writes, deliver the writes due. */
import {
  addMillis,
  defaultRetryPolicy,
  drainOnce,
  type EventStore,
  type Instant,
  type LedgerEvent,
  type ObligationSchedule,
  type Outbox,
  type OutboxHandler,
  type OutboxWorkerLogger,
  type RetryPolicy,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { RedmineExport } from './redmine-export.js'
import { alarmStreamId, exportStreamId, type RedmineImportEvent } from './redmine-import-events.js'
import type { ImportFailed, PollOutcome, RedmineImport } from './redmine-import.js'
import { REDMINE_CHANNEL } from './redmine-write.js'

// model

/**
 * What a sync round needs: the import and export, the ledger's log, the outbox and its Redmine handler, and the
 * worker's clock, name and retry policy.
 */
export interface RedmineSyncDeps {
  readonly import: RedmineImport
  readonly export: RedmineExport
  /** The ledger's whole log (`storeFor(ledgerEvents)`), read from the export's checkpoint. */
  readonly log: EventStore<LedgerEvent>
  /** Where the export keeps its checkpoint (the import's record store). */
  readonly record: EventStore<RedmineImportEvent>
  readonly outbox: Outbox
  /** The `redmine` channel's handler (`redmineOutboxHandler`). */
  readonly handler: OutboxHandler
  readonly source: string
  /** The worker's clock: when commands are recorded and writes are due. */
  readonly clock: () => Instant
  /** This worker's name for its leases. */
  readonly owner: string
  readonly retry?: RetryPolicy
  /** Jitter for retry delays; default `Math.random`. */
  readonly random?: () => number
  /** How long a claimed write is held; default 2 minutes. */
  readonly leaseMs?: number
  /** The obligation schedule: with it, each round notes the SLA warnings and breaches that came due. */
  readonly schedule?: ObligationSchedule
}

/** What one round of the sync did: the import, the writes enqueued and delivered, and the failed attempts. */
export interface SyncRound {
  /** What the poll did, or why it stopped (the next round starts from the same checkpoint). */
  readonly imported: E.Either<ImportFailed, PollOutcome>
  /** Writes enqueued from new ledger events (duplicates of earlier ones are not counted). */
  readonly enqueued: number
  readonly delivered: number
  /** Failed attempts: retried later with backoff, or dead-lettered when permanent. */
  readonly failed: ReadonlyArray<{ readonly id: string; readonly reason: string; readonly dead: boolean }>
}

// constructors

/**
 * Builds the sync; call `round` on a timer. Each step is also exposed for tests and the command line.
 *
 * @example
 * const sync = redmineSync({ import: imp, export: exp, log, record, outbox, handler, source, clock, owner: 'redmine-sync' })
 * const round = await sync.round()
 */
export const redmineSync = (deps: RedmineSyncDeps) => {
  const policy = deps.retry ?? defaultRetryPolicy
  const random = deps.random ?? Math.random
  const leaseMs = deps.leaseMs ?? 120_000

  /** Enqueues the writes of every ledger event after the checkpoint; the checkpoint moves only after the enqueue. */
  const exportNew = async (): Promise<number> => {
    const streamId = exportStreamId(deps.source)
    const prior = await deps.record.readStream(streamId)()
    if (E.isLeft(prior)) return 0
    const last = prior.right.events[prior.right.events.length - 1]
    let after = last?.type === 'RedmineExportCheckpointed' ? last.data.position : 0
    let enqueued = 0
    for (;;) {
      const page = await deps.log.readAll({ after, limit: 500 })()
      if (E.isLeft(page) || page.right.events.length === 0) return enqueued
      const r = await deps.export.enqueue(deps.outbox, page.right.events, deps.clock())()
      if (E.isLeft(r)) return enqueued
      enqueued += r.right.enqueued.length
      after = page.right.next
      const saved = await deps.record.append(streamId, [{ event: { type: 'RedmineExportCheckpointed', data: { position: after, at: deps.clock() } }, metadata: { actor: { party: 'system', id: 'redmine-export' }, occurredAt: deps.clock() } }])()
      if (E.isLeft(saved)) return enqueued
    }
  }

  /** Delivers the writes due now through core's outbox worker pass, one at a time (Redmine answers one request at a time anyway). */
  const deliver = async (): Promise<{ delivered: number; failed: SyncRound['failed'] }> => {
    let delivered = 0
    const failed: Array<SyncRound['failed'][number]> = []
    const logger: OutboxWorkerLogger = (entry) => {
      if (entry._tag === 'RetryScheduled') failed.push({ id: entry.id, reason: entry.reason, dead: false })
      if (entry._tag === 'DeadLettered') failed.push({ id: entry.id, reason: entry.reason, dead: true })
    }
    for (;;) {
      const pass = await drainOnce({ outbox: deps.outbox, channel: REDMINE_CHANNEL, handler: deps.handler, owner: deps.owner, clock: deps.clock, retry: policy, random, leaseMs, batchSize: 10, logger })
      delivered += pass.delivered
      if (pass.claimed === 0) break
    }
    return { delivered, failed }
  }

  /** Notes for the warnings and breaches that came due since the last round (needs `schedule`). */
  const alarms = async (): Promise<number> => {
    if (deps.schedule === undefined) return 0
    const streamId = alarmStreamId(deps.source)
    const prior = await deps.record.readStream(streamId)()
    if (E.isLeft(prior)) return 0
    const last = prior.right.events[prior.right.events.length - 1]
    const to = deps.clock()
    // The first round looks back a day: warnings due while no sync ran are still worth a note.
    const from = last?.type === 'RedmineAlarmsChecked' ? last.data.through : addMillis(to, -86_400_000)
    if (from >= to) return 0
    const found = await deps.schedule.alarmsBetween({ from, to })()
    if (E.isLeft(found)) return 0
    const writes = await deps.export.alarmWrites(found.right, to)()
    if (E.isLeft(writes)) return 0
    if (writes.right.length > 0) {
      const r = await deps.outbox.enqueue(writes.right)()
      if (E.isLeft(r)) return 0
    }
    const saved = await deps.record.append(streamId, [{ event: { type: 'RedmineAlarmsChecked', data: { through: to, at: to } }, metadata: { actor: { party: 'system', id: 'redmine-export' }, occurredAt: to } }])()
    return E.isLeft(saved) ? 0 : writes.right.length
  }

  /** One round: import, export the new events, note the alarms that came due, deliver the writes due. */
  const round = async (): Promise<SyncRound> => {
    const imported = await deps.import.poll()()
    const enqueued = (await exportNew()) + (await alarms())
    const { delivered, failed } = await deliver()
    return { imported, enqueued, delivered, failed }
  }

  return { round, exportNew, alarms, deliver }
}
