// The fence as a property on a real server: whatever transactions do around their appends, and however they interleave, a reader moving a checkpoint delivers every committed event once, in order.
import { eventCatalog, eventType, instantOf, type EventMetadata } from '@support-ledger/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import pg from 'pg'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresStorage, postgresEventStore } from './postgres-event-store.js'
import { DATABASE_URL, describeWithServer, openTestServer, type TestServer } from './postgres-test-server.js'

const Noted = eventType('Noted', t.type({ n: t.number }))
const catalog = eventCatalog([Noted])
const meta = JSON.stringify({ actor: { party: 'system', id: 'stamp-property' }, at: instantOf(Date.UTC(2025, 0, 1)), recordedAt: instantOf(Date.UTC(2025, 0, 1)) } satisfies EventMetadata & { recordedAt: string })

/** What one session does, in order: begin, maybe write its own row, one or two appends, commit or roll back. */
interface Script {
  readonly ownRowFirst: boolean
  readonly appends: 1 | 2
  readonly commit: boolean
}
type Step = 'begin' | 'own-row' | 'append' | 'end'
const steps = (s: Script): Step[] => ['begin', ...(s.ownRowFirst ? ['own-row' as const] : []), ...Array.from({ length: s.appends }, () => 'append' as const), 'end']

describeWithServer('fence stamps as a property (PostgreSQL)', () => {
  const sessions = 3
  let server: TestServer
  let clients: pg.Client[]
  beforeAll(async () => {
    server = await openTestServer()
    await server.pool.query(`CREATE TABLE "${server.schema}".app_rows (id text PRIMARY KEY)`)
    clients = await Promise.all(Array.from({ length: sessions }, async () => {
      const c = new pg.Client({ connectionString: DATABASE_URL })
      await c.connect()
      return c
    }))
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()))
    await server.drop()
  })

  it('given sessions that write their own rows, append once or twice, commit or roll back, in any interleaving, a polling reader delivers exactly the committed events in position order', async () => {
    const store = postgresEventStore(catalog, createPostgresStorage({ database: server.database, schema: server.schema }))
    // How often a run reaches the case the stamps are for: an append by a transaction that already had an id
    // (its own row, or an earlier append) after another session appended and before it committed.
    let reached = 0
    let runs = 0
    const script: fc.Arbitrary<Script> = fc.record({ ownRowFirst: fc.boolean(), appends: fc.constantFrom(1 as const, 2 as const), commit: fc.constantFrom(true, true, false) })
    await fc.assert(
      fc.asyncProperty(fc.array(script, { minLength: sessions, maxLength: sessions }), fc.array(fc.nat(sessions - 1), { minLength: 40, maxLength: 40 }), async (scripts, order) => {
        runs++
        const run = randomUUID().slice(0, 8)
        const plans = scripts.map(steps)
        const next = plans.map(() => 0)
        const committed = new Set<string>()
        const pending = plans.map(() => [] as string[])
        const hasId = plans.map(() => false)
        let appendedByOthersSinceId = plans.map(() => false)
        let checkpoint = (await must(store.readAll({ after: 0, limit: 100_000 }))).next
        const delivered: Array<{ id: string; position: number }> = []
        const poll = async () => {
          const page = await must(store.readAll({ after: checkpoint, limit: 1000 }))
          delivered.push(...page.events.filter((e) => e.streamId.startsWith(`p-${run}`)).map((e) => ({ id: e.eventId, position: e.globalPosition })))
          checkpoint = page.next
        }
        // The generated order picks which session steps next; sessions done are skipped, then the rest finish in turn.
        const queue = [...order, ...plans.flatMap((p, i) => p.map(() => i))]
        for (const i of queue) {
          const step = plans[i]![next[i]!]
          if (step === undefined) continue
          next[i]!++
          const c = clients[i]!
          if (step === 'begin') await c.query('BEGIN')
          else if (step === 'own-row') {
            await c.query(`INSERT INTO "${server.schema}".app_rows (id) VALUES ($1)`, [`${run}-${i}`])
            hasId[i] = true
            appendedByOthersSinceId[i] = false
          } else if (step === 'append') {
            if (hasId[i] && appendedByOthersSinceId[i]) reached++
            const id = randomUUID()
            await c.query(
              `SELECT * FROM "${server.schema}".append_to_stream($1, -1, NULL, NULL, NULL, ARRAY[$2]::uuid[], ARRAY['Noted'], ARRAY[1], ARRAY['{"n":1}']::json[], ARRAY[$3]::json[], false)`,
              [`p-${run}-${i}`, id, meta],
            )
            pending[i]!.push(id)
            appendedByOthersSinceId = appendedByOthersSinceId.map((seen, j) => (j === i ? seen : hasId[j] ? true : seen))
            hasId[i] = true
            appendedByOthersSinceId[i] = false
          } else {
            await c.query(scripts[i]!.commit ? 'COMMIT' : 'ROLLBACK')
            if (scripts[i]!.commit) for (const id of pending[i]!) committed.add(id)
          }
          await poll()
        }
        await poll()
        expect(delivered.map((d) => d.id).sort()).toEqual([...committed].sort())
        expect(delivered.map((d) => d.position)).toEqual([...delivered.map((d) => d.position)].sort((a, b) => a - b))
      }),
      { numRuns: 40 },
    )
    // Counted over all runs: the late appends of transactions that already had an id must be common.
    expect(runs).toBe(40)
    expect(reached / runs).toBeGreaterThan(0.3)
  })
})

const must = async <A>(te: () => Promise<E.Either<{ message: string }, A>>): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
