// `migrate`, `verify` and `schedule` of the BUILT binary against a real PostgreSQL server (DATABASE_URL).
import { contractLedger, createCalendarRegistry, KAZAKHSTAN_CALENDAR, type ContractId, type Instant, type TicketId } from '@support-ledger/core'
import { exampleCustomer, exampleLedger } from '@support-ledger/core/testing'
import { createPostgresStorage, dropSchema, postgresDatabase, postgresEventStore } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { DATABASE_URL, describeWithPostgres } from '@support-ledger/test-servers'
import { afterAll, expect, it } from 'vitest'
import { jsonOf, runBin } from './cli-test-run.js'
import { demoScenario } from './demo-scenario.js'
import { recordEvents } from './record-events.js'

const schema = `sl_cli_${Math.random().toString(36).slice(2, 10)}`
const work = mkdtempSync(join(tmpdir(), 'support-ledger-cli-server-'))
const env = { DATABASE_URL }
const CONTRACT = 'C-2024-001' as ContractId

describeWithPostgres('the binary on a PostgreSQL server', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 })
  const database = postgresDatabase(pool)
  afterAll(async () => {
    await dropSchema(database.db, schema).catch(() => undefined)
    await pool.end()
    rmSync(work, { recursive: true, force: true })
  })

  it('a schema never migrated is exit 3 with a hint; migrate creates it, then it is current', async () => {
    const before = await runBin(['--schema', schema, 'verify'], { env })
    expect(before.code).toBe(3)
    expect(before.stderr).toContain('support-ledger migrate')
    const first = jsonOf(await runBin(['--json', '--schema', schema, 'migrate'], { env }))
    expect(first).toMatchObject({ ok: true, schema })
    expect((first.applied as unknown[]).length).toBeGreaterThan(0)
    const second = jsonOf(await runBin(['--json', '--schema', schema, 'migrate'], { env }))
    expect(second.applied).toEqual([])
  })

  it('verify passes on the recorded log and against its kept seal', async () => {
    const storage = createPostgresStorage({ database, schema })
    const year = exampleLedger({ tickets: 12 })
    const recorded = await recordEvents(storage, year.events)
    await storage.close()
    expect(recorded).toEqual(E.right(year.events.length))

    const seal = join(work, 'seal.txt')
    const sealed = await runBin(['--schema', schema, 'verify', '--write-seal', seal], { env })
    expect(sealed.code, sealed.stderr).toBe(0)
    expect(readFileSync(seal, 'utf8')).toContain(`(${year.events.length} events)`)
    const ok = jsonOf(await runBin(['--json', '--schema', schema, 'verify', '--seal', seal], { env }))
    expect(ok).toMatchObject({ verified: true, events: year.events.length, keptSeal: { problems: 0 } })

  })

  it('schedule lists a request filed on the server that falls due in the window', async () => {
    const storage = createPostgresStorage({ database, schema })
    const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
    if (E.isLeft(calendars)) throw new Error(calendars.left.message)
    const ledger = contractLedger({ storeFor: (catalog) => postgresEventStore(catalog, storage), calendars: calendars.right })
    const at = new Date('2024-12-27T10:00:00+05:00').toISOString() as Instant
    const filed = await ledger.tickets.handle({
      type: 'FileRequest', contractId: CONTRACT, ticketId: 'T-SERVER' as TicketId, kind: 'defect', priority: 'normal', channel: 'redmine',
      subject: 'Login fails', actor: exampleCustomer, at, receivedAt: at,
    })()
    await storage.close()
    expect(E.isRight(filed), JSON.stringify(filed)).toBe(true)
    const r = await runBin(['--json', '--schema', schema, 'schedule', '--from', '2024-12-27T05:00:00Z', '--hours', '168', '--contract', CONTRACT], { env })
    expect(r.code, r.stderr).toBe(0)
    const alarms = jsonOf(r).alarms as Array<{ subject: { id: string }; kind: string }>
    expect(alarms.filter((a) => a.subject.id === 'T-SERVER' && a.kind === 'due').length).toBeGreaterThan(0)
  })

  it('demo plays its year into a schema of its own on the server, with the breaches it plants, and leaves the named schema alone', async () => {
    const out = join(work, 'demo')
    const count = async (s: string) => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.events`)).rows[0]!.n)
    const before = await count(schema)
    const r = await runBin(['--schema', schema, 'demo', '--out', out], { env })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`, schema ${schema}_demo in `)
    expect(existsSync(join(out, 'store'))).toBe(false)
    const planted = demoScenario(() => 'unused' as never).planted
    expect(r.stdout).toContain(`breaches (${planted.length}):`)
    const report = JSON.parse(readFileSync(join(out, 'reports', 'compliance-report-C-2025-017-contract-to-date.json'), 'utf8')) as { obligations: Array<{ breached: number }> }
    expect(report.obligations.reduce((n, s) => n + s.breached, 0)).toBe(planted.length)
    // The schema the user named is left as it was: the demo wrote only to its own.
    expect(await count(schema)).toBe(before)
    expect(await count(`${schema}_demo`)).toBeGreaterThan(400)
    await dropSchema(database.db, `${schema}_demo`)
  }, 900_000)

  it('verify fails with exit 1 once an event is edited in the database', async () => {
    const seal = join(work, 'seal.txt')
    const edited = await pool.query<{ stream_id: string }>(`UPDATE ${schema}.events SET data = '{"edited":true}' WHERE global_position = (SELECT min(global_position) + 3 FROM ${schema}.events) RETURNING stream_id`)
    expect(edited.rowCount).toBe(1)
    const bad = await runBin(['--json', '--schema', schema, 'verify', '--seal', seal], { env })
    expect(bad.code).toBe(1)
    const json = jsonOf(bad)
    expect(json.verified).toBe(false)
    expect(JSON.stringify(json.problems)).toContain(edited.rows[0]!.stream_id)
  })
})
