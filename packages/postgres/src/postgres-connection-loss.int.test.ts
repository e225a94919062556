// Connections the server ends (an administrator, idle_in_transaction_session_timeout): the process lives, subscriptions and consumers go on or end with a typed error.
import { DomainErrorException, eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { postgresDatabase, type EventDatabase } from './postgres-connection.js'
import { startConsumer, type ConsumerLogEntry } from './postgres-consumer.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { dropSchema, migrate } from './postgres-migrations.js'
import { DATABASE_URL, describeWithServer } from './postgres-test-server.js'

const Counted = eventType('Counted', t.type({ n: t.number }))
const catalog = eventCatalog([Counted])
const meta: EventMetadata = { actor: { party: 'system', id: 'loss-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const counted = (n: number) => ({ event: { type: 'Counted' as const, data: { n } }, metadata: meta })
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

// An 'error' event nobody listens to throws out of the socket's callback: vitest reports it as an
// unhandled error and fails the run, so each test below also proves the process would have lived.
describeWithServer('connections ended by the server (PostgreSQL)', () => {
  const schema = `sl_loss_${Math.random().toString(36).slice(2, 10)}`
  const applicationName = `${schema}_app`
  // The pool a caller would configure: no 'error' listener of its own.
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 6, application_name: applicationName })
  const admin = new pg.Client({ connectionString: DATABASE_URL })
  let database: EventDatabase
  let storage: PostgresStorage
  let store: ReturnType<typeof postgresEventStore<(typeof catalog)['codec']['_A']>>

  beforeAll(async () => {
    await admin.connect()
    database = postgresDatabase(pool)
    await migrate(database.db, { schema })
    storage = createPostgresStorage({ database, schema, pollMs: 100 })
    store = postgresEventStore(catalog, storage)
    await sql.raw(`CREATE TABLE "${schema}".seen (consumer text, position bigint, PRIMARY KEY (consumer, position))`).execute(database.db)
  })
  afterAll(async () => {
    await storage.close()
    await database.close()
    await dropSchema(database.db, schema)
    await pool.end()
    await admin.end()
  })

  const terminateAll = async (): Promise<number> =>
    (await admin.query<{ n: string }>('SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows.map((r) => Number(r.n))[0] ?? 0
  const append = async (streamId: string, n: number) => {
    const r = await store.append(streamId, [counted(n)])()
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right.toPosition
  }
  const seen = async (consumer: string) =>
    (await sql<{ position: string }>`SELECT position FROM ${sql.raw(`"${schema}".seen`)} WHERE consumer = ${consumer} ORDER BY position`.execute(database.db)).rows.map((r) => Number(r.position))
  const allPositions = async () =>
    (await sql<{ p: string }>`SELECT global_position AS p FROM ${sql.raw(`"${schema}".events`)} ORDER BY 1`.execute(database.db)).rows.map((r) => Number(r.p))
  const until = async (check: () => Promise<boolean>, ms = 20_000) => {
    const deadline = Date.now() + ms
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time')
      await pause(25)
    }
  }

  it('given every connection of the pool terminated, the LISTEN one included, the process lives and a subscription and a consumer go on', async () => {
    const delivered: number[] = []
    const subscription = store.subscribe({ after: 0, handle: async (events) => void delivered.push(...events.map((e) => e.globalPosition)) })
    const consumer = startConsumer(storage, {
      name: 'terminated', catalog, leaseMs: 600, logger: () => undefined,
      handle: async (events, tx) => {
        for (const e of events) await sql`INSERT INTO ${sql.raw(`"${schema}".seen`)} VALUES ('terminated', ${e.globalPosition})`.execute(tx)
      },
    })
    const first = await append('terminated-a', 1)
    await subscription.reached(first)
    await until(async () => (await seen('terminated')).includes(first))

    // Idle pooled connections, the LISTEN connection and the consumer's: all of them at once.
    expect(await terminateAll()).toBeGreaterThanOrEqual(2)
    await pause(300)
    const second = await append('terminated-b', 2)
    await subscription.reached(second)
    await until(async () => (await seen('terminated')).includes(second))
    expect(delivered).toEqual([first, second])

    // The LISTEN connection came back: a subscription that polls once a minute, on a storage this
    // process does not append through, can only be woken by a notification.
    const deaf = createPostgresStorage({ database, schema, pollMs: 60_000 })
    const woken: number[] = []
    const byNotification = postgresEventStore(catalog, deaf).subscribe({ after: second, handle: async (events) => void woken.push(...events.map((e) => e.globalPosition)) })
    const third = await append('terminated-c', 3)
    await until(async () => woken.includes(third), 10_000)
    expect(await terminateAll()).toBeGreaterThanOrEqual(1)
    await pause(500)
    const fourth = await append('terminated-d', 4)
    await until(async () => woken.includes(fourth), 10_000)
    await subscription.reached(fourth)
    await byNotification.stop()
    await deaf.close()
    await subscription.stop()
    await consumer.stop()
    await expect(consumer.ended).resolves.toBeUndefined()
    expect(await seen('terminated')).toEqual(await allPositions())
  })

  it('given a handler that leaves its transaction idle past idle_in_transaction_session_timeout, the batch is retried on a new connection, reported, and handled once', async () => {
    const reports: ConsumerLogEntry[] = []
    let idleOnce = true
    const consumer = startConsumer(storage, {
      name: 'idle', catalog, leaseMs: 3000, logger: (e) => reports.push(e),
      handle: async (events, tx) => {
        if (idleOnce) {
          idleOnce = false
          await sql`SET LOCAL idle_in_transaction_session_timeout = 150`.execute(tx)
          await pause(800)
        }
        for (const e of events) await sql`INSERT INTO ${sql.raw(`"${schema}".seen`)} VALUES ('idle', ${e.globalPosition})`.execute(tx)
      },
    })
    await append('idle-a', 1)
    const all = await allPositions()
    await until(async () => (await seen('idle')).length === all.length)
    expect(consumer.status().connectionLosses).toBe(1)
    await consumer.stop()
    await expect(consumer.ended).resolves.toBeUndefined()
    expect(await seen('idle')).toEqual(all)
    expect(reports.filter((r) => r.event === 'connection-lost')).toEqual([expect.objectContaining({ level: 'warn', partition: 0 })])
  })

  it('given a subscription whose read is terminated in flight, it reads again; terminated at every try, it ends with a typed StoreUnavailable', async () => {
    const delivered: number[] = []
    const subscription = store.subscribe({ after: 0, handle: async (events) => void delivered.push(...events.map((e) => e.globalPosition)) })
    await subscription.reached(Math.max(...(await allPositions())))
    // Holds the next read on a lock, then ends its backend while it waits, `times` times.
    const cutReads = async (times: number) => {
      const locker = new pg.Client({ connectionString: DATABASE_URL })
      await locker.connect()
      try {
        await locker.query('BEGIN')
        await locker.query(`LOCK TABLE "${schema}".events IN ACCESS EXCLUSIVE MODE`)
        const cut = new Set<number>()
        for (let i = 0; i < times; i++) {
          let waiting: number[] = []
          // A backend just ended may still be listed for a moment: only a new one is the next try.
          await until(async () => {
            waiting = (await admin.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND query LIKE '%pg_snapshot_xmin%'`, [applicationName])).rows.map((r) => r.pid).filter((pid) => !cut.has(pid))
            return waiting.length > 0
          })
          for (const pid of waiting) cut.add(pid)
          await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [waiting])
        }
      } finally {
        await locker.query('ROLLBACK')
        await locker.end()
      }
    }
    await cutReads(1)
    // pg learns of the end of the cut connection a moment later; an append that took it meanwhile
    // would get StoreUnavailable (its own business), not what this test is about.
    await pause(200)
    const next = await append('after-cut', 1)
    await subscription.reached(next)
    expect(delivered).toEqual(await allPositions())

    // The first read and its three retries.
    await cutReads(4)
    const ended = await subscription.ended.then(() => undefined, (e: unknown) => e)
    expect(ended).toBeInstanceOf(DomainErrorException)
    expect((ended as DomainErrorException).error._tag).toBe('StoreUnavailable')
  })
})
