// Torture on a real server: racing writers with rollbacks and an idle transaction, a writer killed mid-append, and corrupt rows.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { eventCatalog, eventType, instantOf, type EventMetadata, type RecordedEvent } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { callAppend, type EncodedAppend } from './postgres-append-batcher.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from './postgres-event-store.js'
import { verifyAll } from './postgres-hash-chain.js'
import { whoHoldsReadersBack } from './postgres-reader-fence.js'
import { DATABASE_URL, describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Counted = eventType('Counted', t.type({ n: t.number }))
const catalog = eventCatalog([Counted])
type Ev = (typeof catalog)['codec']['_A']
const meta: EventMetadata = { actor: { party: 'system', id: 'torture' }, at: instantOf(Date.UTC(2025, 0, 1)) }
const counted = (n: number) => ({ event: { type: 'Counted' as const, data: { n } }, metadata: meta })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const uuid = () => crypto.randomUUID()

describeWithServer('torture (PostgreSQL)', () => {
  let server: TestServer
  let storage: PostgresStorage
  let store: ReturnType<typeof postgresEventStore<Ev>>

  beforeAll(async () => {
    server = await openTestServer({ max: 24 })
    storage = createPostgresStorage({ database: server.database, schema: server.schema, pollMs: 50 })
    store = postgresEventStore(catalog, storage)
  })
  afterAll(async () => {
    await storage.close()
    await server.drop()
  })

  it('given 10 racing writers with random delays and rollbacks and an idle transaction holding an id, a consumer gets every committed event once, in stream order', async () => {
    const received: RecordedEvent<Ev>[] = []
    const sub = store.subscribe({ after: 0, batchSize: 37, handle: async (events) => void received.push(...events) })
    const committed = new Set<string>()
    const rolledBack = new Set<string>()
    const deadline = Date.now() + 4_000

    // A session that takes a transaction id and sits idle with it: readers must wait for it, then go on.
    const idle = new pg.Client({ connectionString: DATABASE_URL, application_name: 'torture-idle' })
    await idle.connect()
    const idleSession = (async () => {
      await sleep(500)
      await idle.query('BEGIN')
      await idle.query('SELECT pg_current_xact_id()')
      await sleep(1_500)
      const fence = await whoHoldsReadersBack(storage)()
      await idle.query('COMMIT')
      await idle.end()
      return fence
    })()

    // Writers in explicit transactions: positions taken early, commit (or rollback) after a random delay.
    const slowWriter = async (w: number) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const events = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ eventId: uuid(), type: 'Counted', schemaVersion: 1, data: JSON.stringify({ n: k }), metadata: JSON.stringify({ ...meta, recordedAt: instantOf(Date.now()) }) }))
        const append: EncodedAppend = { streamId: `torture-${(w * 7 + i) % 6}`, expected: -1, idempotencyKey: null, digest: new Uint8Array(0), events }
        const rollback = Math.random() < 0.25
        try {
          await server.database.db.transaction().execute(async (tx) => {
            await sleep(Math.random() * 15)
            await callAppend(tx, storage.names, true, [append])
            await sleep(Math.random() * 30)
            if (rollback) throw new Error('rollback')
          })
          for (const e of events) committed.add(e.eventId)
        } catch {
          for (const e of events) rolledBack.add(e.eventId)
        }
      }
    }
    // Writers through the store: group-committed, with expected versions that sometimes lose a race.
    const fastWriter = async (w: number) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const id = `torture-${(w + i) % 6}`
        const slice = await store.readStream(id, { fromVersion: 1_000_000 })()
        const version = E.isRight(slice) ? slice.right.version : 0
        await sleep(Math.random() * 5)
        const r = await store.append(id, [counted(i), counted(i)], { expectedVersion: version === 0 ? 'no-stream' : version })()
        if (E.isRight(r)) for (const e of r.right.eventIds) committed.add(e)
        else expect(r.left._tag).toBe('WrongExpectedVersion')
      }
    }
    await Promise.all([...Array.from({ length: 5 }, (_, w) => slowWriter(w)), ...Array.from({ length: 5 }, (_, w) => fastWriter(w)), idleSession])

    const fence = await idleSession
    expect(E.isRight(fence) && fence.right.holders.map((h) => h.application)).toContain('torture-idle')
    // Every writer has finished: the highest committed position, read without the fence.
    const max = await sql<{ top: string | null }>`SELECT max(global_position) AS top FROM ${sql.raw(`"${server.schema}".events`)}`.execute(server.database.db)
    const top = Number(max.rows[0]?.top ?? 0)
    await sub.reached(top)
    await sub.stop()

    expect(committed.size).toBeGreaterThan(200)
    expect(rolledBack.size).toBeGreaterThan(0)
    const ids = received.map((e) => e.eventId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(new Set(ids)).toEqual(committed)
    const positions = received.map((e) => e.globalPosition)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
    const byStream = new Map<string, number[]>()
    for (const e of received) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion])
    for (const [, versions] of byStream) expect(versions).toEqual(versions.map((_, i) => i + 1))
    const chain = await verifyAll(storage)()
    expect(E.isRight(chain) && chain.right.problems).toEqual([])
  })

  it('given a writer process killed with SIGKILL mid-append, no append is left in part and every chain verifies', async () => {
    const script = fileURLToPath(new URL('../scripts/torture-writer.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@support-ledger/source', script, server.schema], {
      env: { ...process.env, DATABASE_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the writer did not start: ${stderr}`)), 20_000)
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('appending')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    await sleep(300 + Math.random() * 300)
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    // The server ends the dead client's backends on its own; wait until they are gone.
    for (let i = 0; i < 100; i++) {
      const left = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'torture-writer'`.execute(server.database.db)
      if (Number(left.rows[0]?.n) === 0) break
      await sleep(100)
    }
    const streams = await sql<{ stream_id: string; version: string; events: string; max: string }>`
      SELECT st.stream_id, st.version, count(e.*) AS events, max(e.stream_version) AS max
      FROM ${sql.raw(`"${server.schema}".streams`)} st JOIN ${sql.raw(`"${server.schema}".events`)} e USING (stream_id)
      WHERE st.stream_id LIKE 'crash-%' GROUP BY st.stream_id, st.version`.execute(server.database.db)
    expect(streams.rows.length).toBe(5)
    for (const s of streams.rows) {
      // Every append wrote three events: a stream that is not a multiple of three kept part of one.
      expect(Number(s.version) % 3).toBe(0)
      expect(Number(s.events)).toBe(Number(s.version))
      expect(Number(s.max)).toBe(Number(s.version))
    }
    const chain = await verifyAll(storage)()
    expect(E.isRight(chain) && chain.right.problems).toEqual([])
  })

  it('given rows corrupted by hand, reads fail with EventDecodeFailed naming stream and version, and a subscription stops there', async () => {
    const r = await store.append('corrupted', [counted(1), counted(2), counted(3)])()
    if (E.isLeft(r)) throw new Error(r.left.message)
    const events = sql.raw(`"${server.schema}".events`)
    await sql`UPDATE ${events} SET data = '"not an object"' WHERE stream_id = 'corrupted' AND stream_version = 2`.execute(server.database.db)
    const fromStream = await store.readStream('corrupted')()
    expect(E.isLeft(fromStream) && fromStream.left).toMatchObject({ _tag: 'EventDecodeFailed', streamId: 'corrupted', streamVersion: 2, reason: 'invalid-data' })
    expect(E.isLeft(fromStream) && fromStream.left.message).toMatch(/corrupted version 2/)
    const fromLog = await store.readAll({ after: r.right.fromPosition - 1 })()
    expect(E.isLeft(fromLog) && fromLog.left).toMatchObject({ _tag: 'EventDecodeFailed', streamId: 'corrupted', streamVersion: 2, globalPosition: r.right.fromPosition + 1 })
    const delivered: number[] = []
    const sub = store.subscribe({ after: r.right.fromPosition - 1, batchSize: 1, handle: async (es) => void delivered.push(...es.map((e) => e.streamVersion)) })
    await expect(sub.ended).rejects.toThrow(/corrupted version 2/)
    expect(delivered).toEqual([1])

    await sql`UPDATE ${events} SET metadata = '{"actor": 7}' WHERE stream_id = 'corrupted' AND stream_version = 3`.execute(server.database.db)
    const badMeta = await store.readStream('corrupted', { fromVersion: 3 })()
    expect(E.isLeft(badMeta) && badMeta.left).toMatchObject({ _tag: 'EventDecodeFailed', streamId: 'corrupted', streamVersion: 3 })
    expect(E.isLeft(badMeta) && badMeta.left._tag === 'EventDecodeFailed' && badMeta.left.issues.map((i) => i.path)).toContain('metadata.actor')
    const chain = await verifyAll(storage)()
    expect(E.isRight(chain) && chain.right.problems.flatMap((p) => ('streamId' in p && p.streamId === 'corrupted' ? [[p.kind, p.streamVersion]] : []))).toEqual([
      ['altered', 2],
      ['altered', 3],
    ])
  })
})
