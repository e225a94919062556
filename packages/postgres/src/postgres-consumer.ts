/** Checkpointed consumers: one active instance per partition by lease, each batch and its checkpoint committed together. */
import { DomainErrorException, type DomainEvent, type EventCatalog, type RecordedEvent, type StoreUnavailable } from '@support-ledger/core'
import { storeUnavailable } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql, type Transaction } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import { connectionLost } from './postgres-connection.js'
import { decodeRows, readCommittedAfter, type PostgresStorage } from './postgres-event-store.js'

// model

/** A consumer of the global log whose position is kept in the database. */
export interface ConsumerOptions<Ev extends DomainEvent> {
  /** Names the consumer; its checkpoints and leases are kept under it. */
  readonly name: string
  readonly catalog: EventCatalog<Ev>
  /**
   * Handles one batch inside the transaction that saves the checkpoint. Write a read model in
   * the same database through `tx` and the two commit together: a crash never handles a batch
   * twice nor skips one. On PGlite (one connection) use only `tx` here, never the store.
   */
  readonly handle: (events: ReadonlyArray<RecordedEvent<Ev>>, tx: Transaction<unknown>) => Promise<void>
  /** Events read per batch (before partition filtering); default 200. */
  readonly batchSize?: number
  /**
   * Streams are hashed into this many partitions, each leased on its own, so instances can share
   * the work while each stream stays in order; default 1 (one active instance). Fixed per consumer.
   */
  readonly partitions?: number
  /** Most partitions this instance holds; default all of them. */
  readonly maxPartitions?: number
  /** How long a lease lasts without renewal; default 15 s. Renewed every third of it. */
  readonly leaseMs?: number
  /** This instance's name in the lease table; default a fresh uuid. */
  readonly owner?: string
  /** A batch whose handler runs longer than this is reported as stalled; default `leaseMs`. */
  readonly stallMs?: number
  /** Receives stalls, recoveries, lost leases and lost connections; default: warnings to `console.warn`. */
  readonly logger?: (entry: ConsumerLogEntry) => void
}

/** A running consumer instance. */
export interface Consumer {
  readonly owner: string
  /** Partitions this instance holds now. */
  readonly held: () => ReadonlyArray<number>
  /** What each held partition is doing, and what went wrong so far: the figures to export as metrics. */
  readonly status: () => ConsumerStatus
  /** Stops after the batch in hand and releases its leases. */
  readonly stop: () => Promise<void>
  /** Resolves on `stop`; rejects with the error that ended it (a handler failure, an undecodable event). */
  readonly ended: Promise<void>
}

/** A consumer instance's state, read without a query. */
export interface ConsumerStatus {
  readonly partitions: ReadonlyArray<{
    readonly partition: number
    /** The checkpoint this instance last committed or read. */
    readonly position: number
    /** How long the batch in hand has been in its handler, if one is. */
    readonly handlingMs?: number
    /** The batch in hand has run longer than `stallMs`. */
    readonly stalled: boolean
  }>
  /** Batches that ran longer than `stallMs`, since start. */
  readonly stalls: number
  /** Batches or lease ticks retried after the server ended a connection, since start. */
  readonly connectionLosses: number
}

/** One thing worth telling an operator, as a structured record. */
export interface ConsumerLogEntry {
  readonly level: 'info' | 'warn'
  readonly event: 'handler-stalled' | 'handler-recovered' | 'connection-lost' | 'lease-lost'
  readonly consumer: string
  readonly owner: string
  readonly partition?: number
  readonly message: string
  /** For a stall: how long the handler has run; for a recovery, how long it ran in all. */
  readonly elapsedMs?: number
  /** For a stall: the positions of the batch in hand. */
  readonly fromPosition?: number
  readonly toPosition?: number
  readonly error?: unknown
}

/** One row of the checkpoint table. */
export interface ConsumerCheckpoint {
  readonly partition: number
  readonly partitions: number
  readonly position: number
  readonly leaseOwner?: string
  readonly leaseExpiresAt?: string
}

class LeaseLost extends Error {}

interface Worker {
  position: number
  /** When the batch in hand entered its transaction, if one is in flight. */
  since: number | undefined
  batch: { readonly from: number; readonly to: number } | undefined
  stallReported: boolean
}

// constructors

const warnOnConsole = (entry: ConsumerLogEntry): void => {
  if (entry.level === 'warn') console.warn(`[support-ledger consumer] ${entry.message}`)
}

/**
 * Starts an instance: it claims free or expired leases, reads the log from each claimed
 * partition's checkpoint, and renews its leases while it runs. Other instances with the same
 * name wait for a lease to free up, so each partition has one active instance. Every partition
 * whose lease this instance holds has a loop working it: a loop that ends for any reason but a
 * failure is started again while the lease is held.
 */
export const startConsumer = <Ev extends DomainEvent>(storage: PostgresStorage, options: ConsumerOptions<Ev>): Consumer => {
  const { db } = storage.database
  const q = sql.raw(storage.names.q)
  const owner = options.owner ?? uuidv7()
  const partitions = Math.max(1, Math.floor(options.partitions ?? 1))
  const maxPartitions = Math.max(1, Math.min(partitions, options.maxPartitions ?? partitions))
  const leaseMs = Math.max(100, options.leaseMs ?? 15_000)
  const stallMs = Math.max(10, options.stallMs ?? leaseMs)
  const batchSize = Math.max(1, options.batchSize ?? 200)
  const log = options.logger ?? warnOnConsole
  const lease = sql`statement_timestamp() + ${leaseMs} * interval '1 millisecond'`
  // Partitions whose lease this instance holds (as of its last tick, claim or batch), and the loop working each.
  const held = new Set<number>()
  const workers = new Map<number, { readonly worker: Worker; readonly done: Promise<void> }>()
  const positions = new Map<number, number>()
  // Connections lost in a row, per partition: the pause before the next try doubles with each, up to 10 s.
  const losses = new Map<number, number>()
  let stalls = 0
  let connectionLosses = 0
  let stopping = false
  let failure: unknown
  let nudges = new Set<() => void>()
  let leaseTimer: ReturnType<typeof setTimeout> | undefined
  let finish: () => void = () => undefined
  let fail: (e: unknown) => void = () => undefined
  const ended = new Promise<void>((resolve, reject) => {
    finish = resolve
    fail = reject
  })
  ended.catch(() => undefined)
  const report = (entry: Omit<ConsumerLogEntry, 'consumer' | 'owner'>) => {
    try {
      log({ consumer: options.name, owner, ...entry })
    } catch {
      // A logger that throws must not stop the consumer it reports on.
    }
  }

  const unlisten = storage.wake.onAppend(() => {
    const current = nudges
    nudges = new Set()
    for (const n of current) n()
  })
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        nudges.delete(done)
        resolve()
      }
      nudges.add(done)
    })

  // The checkpoint of a partition this instance holds, or undefined when another owns it now.
  const checkpointIfOwned = async (partition: number): Promise<number | undefined> => {
    const r = await sql<{ position: string | number }>`
      SELECT position FROM ${q}.consumer_checkpoints
      WHERE consumer = ${options.name} AND partition = ${partition} AND lease_owner = ${owner}`.execute(db)
    const row = r.rows[0]
    return row === undefined ? undefined : Number(row.position)
  }

  const work = async (partition: number, worker: Worker) => {
    const from = await checkpointIfOwned(partition)
    if (from === undefined) {
      held.delete(partition)
      return
    }
    worker.position = from
    positions.set(partition, from)
    while (held.has(partition) && !stopping) {
      const rows = await readCommittedAfter(storage, worker.position, batchSize, partitions)
      const last = rows[rows.length - 1]
      if (last === undefined) {
        await sleep(storage.wake.pollMs ?? 1000)
        continue
      }
      const decoded = decodeRows(options.catalog, partitions > 1 ? rows.filter((r) => r.partition === partition) : rows)
      if (E.isLeft(decoded)) throw new DomainErrorException(decoded.left)
      const next = Number(last.global_position)
      worker.since = Date.now()
      worker.batch = { from: worker.position + 1, to: next }
      try {
        await db.transaction().execute(async (tx) => {
          // Claims the row for this transaction: a stale instance that lost the lease cannot commit a
          // batch, and while the row is locked no other instance can claim it.
          const claimed = await sql`
            UPDATE ${q}.consumer_checkpoints
            SET position = ${next}, lease_expires_at = ${lease}, updated_at = statement_timestamp()
            WHERE consumer = ${options.name} AND partition = ${partition} AND lease_owner = ${owner} AND position = ${worker.position}
            RETURNING partition`.execute(tx)
          if (claimed.rows.length === 0) throw new LeaseLost(`lease on ${options.name}/${partition} lost`)
          if (decoded.right.length > 0) await options.handle(decoded.right, tx)
        })
      } finally {
        const elapsedMs = Date.now() - worker.since
        if (worker.stallReported) {
          report({ level: 'info', event: 'handler-recovered', partition, elapsedMs, message: `consumer ${options.name} partition ${partition}: the stalled batch ended after ${elapsedMs} ms` })
        }
        worker.since = undefined
        worker.batch = undefined
        worker.stallReported = false
      }
      worker.position = next
      positions.set(partition, next)
      losses.delete(partition)
    }
  }

  // Starts a loop for every held partition that has none; called after each tick and each loop's end.
  const ensureWorkers = () => {
    for (const partition of held) {
      if (stopping || workers.has(partition)) continue
      const worker: Worker = { position: positions.get(partition) ?? 0, since: undefined, batch: undefined, stallReported: false }
      const done = work(partition, worker).then(
        () => loopEnded(partition, undefined),
        (e: unknown) => loopEnded(partition, e),
      )
      workers.set(partition, { worker, done })
    }
  }

  const loopEnded = async (partition: number, e: unknown) => {
    if (e instanceof LeaseLost) {
      // Another instance took over, or the checkpoint moved (a reset): the next loop reads it again, or lets go.
      report({ level: 'info', event: 'lease-lost', partition, message: `consumer ${options.name} partition ${partition}: ${e.message}` })
    } else if (e !== undefined && connectionLost(e)) {
      connectionLosses++
      report({ level: 'warn', event: 'connection-lost', partition, error: e, message: `consumer ${options.name} partition ${partition}: the server ended the connection (${describe(e)}); the batch is retried` })
      const streak = (losses.get(partition) ?? 0) + 1
      losses.set(partition, streak)
      await sleep(Math.min(10_000, Math.min(1000, Math.floor(leaseMs / 3)) * 2 ** Math.min(streak - 1, 10)))
    } else if (e !== undefined) {
      workers.delete(partition)
      if (failure === undefined) failure = e
      void shutdown()
      return
    }
    workers.delete(partition)
    ensureWorkers()
  }

  const watchStalls = () => {
    const now = Date.now()
    for (const [partition, { worker }] of workers) {
      if (worker.since === undefined || worker.stallReported || now - worker.since < stallMs) continue
      worker.stallReported = true
      stalls++
      const elapsedMs = now - worker.since
      report({
        level: 'warn',
        event: 'handler-stalled',
        partition,
        elapsedMs,
        ...(worker.batch === undefined ? {} : { fromPosition: worker.batch.from, toPosition: worker.batch.to }),
        message: `consumer ${options.name} partition ${partition}: the handler has run for ${elapsedMs} ms on positions ${worker.batch?.from ?? '?'} to ${worker.batch?.to ?? '?'} (stallMs ${stallMs}); the partition waits for it`,
      })
    }
  }
  const stallTimer = setInterval(watchStalls, Math.max(10, Math.floor(Math.min(stallMs, leaseMs) / 4)))

  const tickLeases = async () => {
    await sql`
      INSERT INTO ${q}.consumer_checkpoints (consumer, partition, partitions)
      SELECT ${options.name}, p, ${partitions} FROM generate_series(0, ${partitions - 1}) AS p
      ON CONFLICT DO NOTHING`.execute(db)
    // Renews every lease this instance owns, expired or not (if nobody claimed it, it is still ours),
    // skipping rows a batch of ours has locked: that batch renews its own row, and no one can claim it.
    const mine = await sql<{ partition: number }>`
      WITH renewed AS (
        UPDATE ${q}.consumer_checkpoints c SET lease_expires_at = ${lease}
        WHERE c.consumer = ${options.name} AND c.partition IN (
          SELECT f.partition FROM ${q}.consumer_checkpoints f
          WHERE f.consumer = ${options.name} AND f.lease_owner = ${owner} FOR UPDATE SKIP LOCKED)
        RETURNING c.partition
      )
      SELECT partition FROM ${q}.consumer_checkpoints WHERE consumer = ${options.name} AND lease_owner = ${owner}
      UNION SELECT partition FROM renewed`.execute(db)
    const owned = new Set(mine.rows.map((r) => Number(r.partition)))
    for (const p of held) if (!owned.has(p)) held.delete(p)
    for (const p of owned) held.add(p)
    const wanted = maxPartitions - held.size
    if (wanted > 0 && !stopping) {
      const claimed = await sql<{ partition: number; position: string | number; partitions: number }>`
        UPDATE ${q}.consumer_checkpoints c
        SET lease_owner = ${owner}, lease_expires_at = ${lease}
        WHERE c.consumer = ${options.name} AND c.partition IN (
          SELECT f.partition FROM ${q}.consumer_checkpoints f
          WHERE f.consumer = ${options.name} AND (f.lease_owner IS NULL OR f.lease_expires_at <= statement_timestamp())
          ORDER BY f.partition LIMIT ${wanted} FOR UPDATE SKIP LOCKED)
        RETURNING c.partition, c.position, c.partitions`.execute(db)
      for (const row of claimed.rows) {
        if (Number(row.partitions) !== partitions) {
          throw new Error(`consumer ${options.name} was set up with ${row.partitions} partitions, not ${partitions}: reset it to change`)
        }
        held.add(Number(row.partition))
      }
    }
    ensureWorkers()
  }

  const scheduleLeases = () => {
    if (stopping) return
    leaseTimer = setTimeout(() => {
      tickLeases().then(scheduleLeases, (e: unknown) => {
        if (connectionLost(e)) {
          connectionLosses++
          report({ level: 'warn', event: 'connection-lost', error: e, message: `consumer ${options.name}: the server ended the connection during a lease tick (${describe(e)}); retrying` })
          scheduleLeases()
          return
        }
        if (failure === undefined) failure = e
        void shutdown()
      })
    }, Math.floor(leaseMs / 3))
  }

  const shutdown = async () => {
    if (stopping) return
    stopping = true
    if (leaseTimer !== undefined) clearTimeout(leaseTimer)
    clearInterval(stallTimer)
    unlisten()
    for (const n of nudges) n()
    await Promise.all([...workers.values()].map((w) => w.done))
    held.clear()
    await sql`UPDATE ${q}.consumer_checkpoints SET lease_owner = NULL, lease_expires_at = NULL
      WHERE consumer = ${options.name} AND lease_owner = ${owner}`.execute(db).catch(() => undefined)
    if (failure === undefined) finish()
    else fail(failure)
  }

  tickLeases().then(scheduleLeases, (e: unknown) => {
    if (connectionLost(e)) {
      connectionLosses++
      report({ level: 'warn', event: 'connection-lost', error: e, message: `consumer ${options.name}: the server ended the connection during the first lease tick (${describe(e)}); retrying` })
      scheduleLeases()
      return
    }
    failure = e
    void shutdown()
  })

  return {
    owner,
    held: () => [...held].sort((a, b) => a - b),
    status: () => {
      const now = Date.now()
      return {
        partitions: [...held].sort((a, b) => a - b).map((partition) => {
          const worker = workers.get(partition)?.worker
          const since = worker?.since
          return {
            partition,
            position: worker?.position ?? positions.get(partition) ?? 0,
            ...(since === undefined ? {} : { handlingMs: now - since }),
            stalled: since !== undefined && now - since >= stallMs,
          }
        }),
        stalls,
        connectionLosses,
      }
    },
    stop: async () => {
      await shutdown()
      await ended.catch(() => undefined)
    },
    ended,
  }
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e))

// operations

/** The checkpoints and leases of one consumer, by partition. */
export const consumerCheckpoints = (storage: PostgresStorage, name: string): TaskEither<StoreUnavailable, ReadonlyArray<ConsumerCheckpoint>> => async () => {
  try {
    const rows = await sql<{ partition: number; partitions: number; position: string | number; lease_owner: string | null; lease_expires_at: string | null }>`
      SELECT partition, partitions, position, lease_owner,
        to_char(lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS lease_expires_at
      FROM ${sql.raw(storage.names.q)}.consumer_checkpoints WHERE consumer = ${name} ORDER BY partition`.execute(storage.database.db)
    return E.right(
      rows.rows.map((r) => ({
        partition: Number(r.partition),
        partitions: Number(r.partitions),
        position: Number(r.position),
        ...(r.lease_owner === null ? {} : { leaseOwner: r.lease_owner }),
        ...(r.lease_expires_at === null ? {} : { leaseExpiresAt: r.lease_expires_at }),
      })),
    )
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}

/** Moves a consumer back to `position` (0 replays everything), or removes it with `undefined`. Stop its instances first. */
export const resetConsumer = (storage: PostgresStorage, name: string, position?: number): TaskEither<StoreUnavailable, void> => async () => {
  const q = sql.raw(storage.names.q)
  try {
    if (position === undefined) await sql`DELETE FROM ${q}.consumer_checkpoints WHERE consumer = ${name}`.execute(storage.database.db)
    else await sql`UPDATE ${q}.consumer_checkpoints SET position = ${position}, updated_at = statement_timestamp() WHERE consumer = ${name}`.execute(storage.database.db)
    return E.right(undefined)
  } catch (e) {
    return E.left(storeUnavailable(e))
  }
}
