// A connection lost at commit on a real server: every append that may have committed is reported as unknown, and its key tells the truth.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { postgresDatabase } from './postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { DATABASE_URL, describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta: EventMetadata = { actor: { party: 'system', id: 'commit-lost-test' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const noted = (n: number) => ({ event: { type: 'Noted' as const, data: { n } }, metadata: meta })
const VICTIM = 'sl-commit-lost-victim'

// The commit is held open by a synchronous standby that never comes: the transaction is committed
// locally and waits, and ending its backend then is a connection lost after the commit. Only the
// victim's sessions wait (synchronous_commit on); every other session commits locally as before.
describeWithServer('a connection lost at commit (PostgreSQL)', () => {
  let server: TestServer
  let admin: pg.Client
  let victims: pg.Pool
  let superuser = false

  const holdCommits = async (hold: boolean) => {
    if (hold) {
      await admin.query(`ALTER SYSTEM SET synchronous_standby_names = 'sl_absent_standby'`)
      await admin.query(`ALTER SYSTEM SET synchronous_commit = 'local'`)
    } else {
      await admin.query('ALTER SYSTEM RESET synchronous_standby_names')
      await admin.query('ALTER SYSTEM RESET synchronous_commit')
    }
    await admin.query('SELECT pg_reload_conf()')
    // The reload reaches backends asynchronously; a new session shows when it has.
    for (let i = 0; i < 50; i++) {
      const probe = new pg.Client({ connectionString: DATABASE_URL })
      await probe.connect()
      const shown = await probe.query('SHOW synchronous_standby_names')
      await probe.end()
      if ((shown.rows[0] as { synchronous_standby_names: string }).synchronous_standby_names === (hold ? 'sl_absent_standby' : '')) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error('the server did not reload its configuration')
  }

  beforeAll(async () => {
    server = await openTestServer()
    admin = new pg.Client({ connectionString: DATABASE_URL })
    await admin.connect()
    superuser = ((await admin.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0] as { rolsuper: boolean }).rolsuper
    victims = new pg.Pool({ connectionString: DATABASE_URL, max: 4, application_name: VICTIM, options: '-c synchronous_commit=on' })
    // Idle connections the server ends report here; the appends in flight get their own errors.
    victims.on('error', () => undefined)
  })
  afterAll(async () => {
    await holdCommits(false).catch(() => undefined)
    await victims.end()
    await admin.end()
    await server.drop()
  })

  it('given a batch whose backend is ended while its commit waits, every append in it is StoreUnavailable and a retry with its key replays the committed result', async (ctx) => {
    if (!superuser) {
      if (process.env.CI === 'true') throw new Error('this test needs a superuser to hold commits (ALTER SYSTEM)')
      ctx.skip()
    }
    const store = postgresEventStore(catalog, createPostgresStorage({ database: postgresDatabase(victims), schema: server.schema }))
    await holdCommits(true)
    let settled = false
    // End every victim backend that waits at commit, until the appends have all answered.
    const killer = (async () => {
      while (!settled) {
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND wait_event = 'SyncRep'`, [VICTIM])
        await new Promise((r) => setTimeout(r, 30))
      }
    })()
    // The first append leaves alone; the next six queue behind it and leave together as one batch.
    // Half carry an idempotency key; all are new streams expecting no stream.
    const appends = Array.from({ length: 7 }, (_, i) => ({ stream: `lost-${i}`, key: i % 2 === 0 ? `lost-key-${i}` : undefined }))
    const outcomes = await Promise.all(
      appends.map((a, i) => store.append(a.stream, [noted(i)], { expectedVersion: 'no-stream', ...(a.key === undefined ? {} : { idempotencyKey: a.key }) })()),
    )
    settled = true
    await killer
    await holdCommits(false)

    expect(outcomes.map((o) => (E.isLeft(o) ? o.left._tag : 'appended'))).toEqual(appends.map(() => 'StoreUnavailable'))
    // They did commit: the streams exist, and the keyed ones replay with the positions recorded.
    const reader = postgresEventStore(catalog, createPostgresStorage({ database: server.database, schema: server.schema }))
    for (const [i, a] of appends.entries()) {
      const slice = await reader.readStream(a.stream)()
      expect(E.isRight(slice) && slice.right.events.map((e) => e.data.n)).toEqual([i])
      if (a.key === undefined) continue
      const retried = await reader.append(a.stream, [noted(i)], { expectedVersion: 'no-stream', idempotencyKey: a.key })()
      if (E.isLeft(retried) || E.isLeft(slice)) throw new Error('expected a replay')
      expect(retried.right).toMatchObject({ replayed: true, fromVersion: 1, fromPosition: slice.right.events[0]!.globalPosition })
    }
  })
})
