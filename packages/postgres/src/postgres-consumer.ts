/** Checkpointed consumers: one active instance per partition by lease, each batch and its checkpoint committed together. */
import { DomainErrorException, type DomainEvent, type EventCatalog, type RecordedEvent, type StoreUnavailable } from '@support-ledger/core'
import { storeUnavailable } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { sql, type Transaction } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
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
}

/** A running consumer instance. */
export interface Consumer {
  readonly owner: string
  /** Partitions this instance holds now. */
  readonly held: () => ReadonlyArray<number>
  /** Stops after the batch in hand and releases its leases. */
  readonly stop: () => Promise<void>
  /** Resolves on `stop`; rejects with the error that ended it (a handler failure, an undecodable event). */
  readonly ended: Promise<void>
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

// constructors

/**
 * Starts an instance: it claims free or expired leases, reads the log from each claimed
 * partition's checkpoint, and renews its leases while it runs. Other instances with the same
 * name wait for a lease to free up, so each partition has one active instance.
 */
export const startConsumer = <Ev extends DomainEvent>(storage: PostgresStorage, options: ConsumerOptions<Ev>): Consumer => {
  const { db } = storage.database
  const q = sql.raw(storage.names.q)
  const owner = options.owner ?? uuidv7()
  const partitions = Math.max(1, Math.floor(options.partitions ?? 1))
  const maxPartitions = Math.max(1, Math.min(partitions, options.maxPartitions ?? partitions))
  const leaseMs = Math.max(100, options.leaseMs ?? 15_000)
  const batchSize = Math.max(1, options.batchSize ?? 200)
  const loops = new Map<number, { stopping: boolean; done: Promise<void> }>()
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

  const runPartition = (partition: number, from: number) => {
    const state = { stopping: false, done: Promise.resolve() }
    state.done = (async () => {
      let position = from
      while (!state.stopping && !stopping) {
        const rows = await readCommittedAfter(storage, position, batchSize, partitions)
        const last = rows[rows.length - 1]
        if (last === undefined) {
          await sleep(storage.wake.pollMs ?? 1000)
          continue
        }
        const decoded = decodeRows(options.catalog, partitions > 1 ? rows.filter((r) => r.partition === partition) : rows)
        if (E.isLeft(decoded)) throw new DomainErrorException(decoded.left)
        const next = Number(last.global_position)
        await db.transaction().execute(async (tx) => {
          // Claims the row for this transaction: a stale instance that lost the lease cannot commit a batch.
          const claimed = await sql`
            UPDATE ${q}.consumer_checkpoints
            SET position = ${next}, lease_expires_at = statement_timestamp() + ${leaseMs} * interval '1 millisecond',
              updated_at = statement_timestamp()
            WHERE consumer = ${options.name} AND partition = ${partition} AND lease_owner = ${owner} AND position = ${position}
            RETURNING partition`.execute(tx)
          if (claimed.rows.length === 0) throw new LeaseLost(`lease on ${options.name}/${partition} lost`)
          if (decoded.right.length > 0) await options.handle(decoded.right, tx)
        })
        position = next
      }
    })().then(
      () => {
        if (loops.get(partition) === state) loops.delete(partition)
      },
      (e: unknown) => {
      if (loops.get(partition) === state) loops.delete(partition)
      if (e instanceof LeaseLost) return
      if (failure === undefined) failure = e
      void shutdown()
      },
    )
    loops.set(partition, state)
  }

  const tickLeases = async () => {
    await sql`
      INSERT INTO ${q}.consumer_checkpoints (consumer, partition, partitions)
      SELECT ${options.name}, p, ${partitions} FROM generate_series(0, ${partitions - 1}) AS p
      ON CONFLICT DO NOTHING`.execute(db)
    const renewed = await sql<{ partition: number }>`
      UPDATE ${q}.consumer_checkpoints SET lease_expires_at = statement_timestamp() + ${leaseMs} * interval '1 millisecond'
      WHERE consumer = ${options.name} AND lease_owner = ${owner} AND lease_expires_at > statement_timestamp()
      RETURNING partition`.execute(db)
    const still = new Set(renewed.rows.map((r) => Number(r.partition)))
    for (const [p, loop] of loops) if (!still.has(p)) loop.stopping = true
    const wanted = maxPartitions - still.size
    if (wanted <= 0 || stopping) return
    const claimed = await sql<{ partition: number; position: string | number; partitions: number }>`
      UPDATE ${q}.consumer_checkpoints c
      SET lease_owner = ${owner}, lease_expires_at = statement_timestamp() + ${leaseMs} * interval '1 millisecond'
      WHERE c.consumer = ${options.name} AND c.partition IN (
        SELECT f.partition FROM ${q}.consumer_checkpoints f
        WHERE f.consumer = ${options.name} AND (f.lease_owner IS NULL OR f.lease_expires_at <= statement_timestamp())
        ORDER BY f.partition LIMIT ${wanted} FOR UPDATE SKIP LOCKED)
      RETURNING c.partition, c.position, c.partitions`.execute(db)
    for (const row of claimed.rows) {
      if (Number(row.partitions) !== partitions) {
        throw new Error(`consumer ${options.name} was set up with ${row.partitions} partitions, not ${partitions}: reset it to change`)
      }
      const p = Number(row.partition)
      if (!loops.has(p)) runPartition(p, Number(row.position))
    }
  }

  const scheduleLeases = () => {
    if (stopping) return
    leaseTimer = setTimeout(() => {
      tickLeases().then(scheduleLeases, (e: unknown) => {
        if (failure === undefined) failure = e
        void shutdown()
      })
    }, Math.floor(leaseMs / 3))
  }

  const shutdown = async () => {
    if (stopping) return
    stopping = true
    if (leaseTimer !== undefined) clearTimeout(leaseTimer)
    unlisten()
    for (const n of nudges) n()
    await Promise.all([...loops.values()].map((l) => l.done))
    await sql`UPDATE ${q}.consumer_checkpoints SET lease_owner = NULL, lease_expires_at = NULL
      WHERE consumer = ${options.name} AND lease_owner = ${owner}`.execute(db).catch(() => undefined)
    if (failure === undefined) finish()
    else fail(failure)
  }

  tickLeases().then(scheduleLeases, (e: unknown) => {
    failure = e
    void shutdown()
  })

  return {
    owner,
    held: () => [...loops.keys()].sort((a, b) => a - b),
    stop: async () => {
      await shutdown()
      await ended.catch(() => undefined)
    },
    ended,
  }
}

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
