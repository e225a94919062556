/** One round of the sync: read Redmine into the ledger, enqueue the ledger's new events as writes, deliver the writes due. */
import {
  nextAttemptAt,
  defaultRetryPolicy,
  type EventStore,
  type Instant,
  type LedgerEvent,
  type Outbox,
  type OutboxHandler,
  type RetryPolicy,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { RedmineExport } from './redmine-export.js'
import { exportStreamId, type RedmineImportEvent } from './redmine-import-events.js'
import type { ImportFailed, PollOutcome, RedmineImport } from './redmine-import.js'
import { REDMINE_CHANNEL } from './redmine-write.js'

// model

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
  readonly clock: () => Instant
  /** This worker's name for its leases. */
  readonly owner: string
  readonly retry?: RetryPolicy
  readonly random?: () => number
  /** How long a claimed write is held; default 2 minutes. */
  readonly leaseMs?: number
}

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

  /** Delivers the writes due now, one at a time (Redmine answers one request at a time anyway). */
  const deliver = async (): Promise<{ delivered: number; failed: SyncRound['failed'] }> => {
    let delivered = 0
    const failed: Array<SyncRound['failed'][number]> = []
    for (;;) {
      const now = deps.clock()
      const claimed = await deps.outbox.claim({ channel: REDMINE_CHANNEL, owner: deps.owner, now, leaseMs, limit: 10 })()
      if (E.isLeft(claimed) || claimed.right.length === 0) break
      for (const message of claimed.right) {
        const r = await deps.handler(message)()
        if (E.isRight(r)) {
          await deps.outbox.markDelivered({ id: message.id, owner: deps.owner, at: deps.clock() })()
          delivered++
          continue
        }
        const retryAt = r.left.permanent === true ? undefined : nextAttemptAt(policy, message.attempts + 1, deps.clock(), random)
        const outcome = await deps.outbox.markFailed({ id: message.id, owner: deps.owner, at: deps.clock(), reason: r.left.message, ...(retryAt === undefined ? {} : { retryAt }) })()
        failed.push({ id: message.id, reason: r.left.message, dead: E.isRight(outcome) && outcome.right.status === 'dead' })
      }
    }
    return { delivered, failed }
  }

  const round = async (): Promise<SyncRound> => {
    const imported = await deps.import.poll()()
    const enqueued = await exportNew()
    const { delivered, failed } = await deliver()
    return { imported, enqueued, delivered, failed }
  }

  return { round, exportNew, deliver }
}
