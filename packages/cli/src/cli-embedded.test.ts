// Every command of the BUILT binary against the embedded store (PGlite) in a temporary folder.
import { contractLedger, createCalendarRegistry, KAZAKHSTAN_CALENDAR, reportLabels, type ContractId, type Instant, type TicketId } from '@support-ledger/core'
import { exampleCustomer } from '@support-ledger/core/testing'
import { postgresEventStore } from '@support-ledger/postgres'
import { openEmbeddedStorage, openPGlite } from '@support-ledger/postgres/embedded'
import * as E from 'fp-ts/lib/Either.js'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonOf, runBin, type Run } from './cli-test-run.js'
import { demoScenario } from './demo-scenario.js'

const work = mkdtempSync(join(tmpdir(), 'support-ledger-cli-'))
const demoDir = join(work, 'demo')
const store = join(demoDir, 'store')
const AS_OF = '2026-01-15T00:00:00.000Z'
const CONTRACT = 'C-2025-017'
/** A copy of the demo's store, for a test that changes it. */
const copyOfStore = (name: string) => {
  const dir = join(work, name)
  cpSync(store, dir, { recursive: true })
  return dir
}

let demo: Run
beforeAll(async () => {
  demo = await runBin(['demo', '--out', demoDir])
  expect(demo.stderr).toMatch(/recording a year of the contract: 0\//)
  expect(demo.code, demo.stderr).toBe(0)
}, 900_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('--help', () => {
  it.each([
    ['migrate', []],
    ['report', ['--contract', '--period', '--format', '--language', '--out', 'every label of the report', '--no-trend']],
    ['verify', ['--seal', '--write-seal']],
    ['schedule', ['--hours', '--from']],
    ['sync', ['--loop', '--interval']],
    ['demo', ['--out', 'DATABASE_URL']],
  ])('%s --help names its options and the exit codes', async (command, options) => {
    const r = await runBin([command, '--help'])
    expect(r.code).toBe(0)
    for (const o of [...options, 'Exit status:', '3   the store is unavailable']) expect(r.stdout).toContain(o)
  })

  it('an unknown command or option is a usage error, exit 2', async () => {
    expect((await runBin(['frobnicate'])).code).toBe(2)
    const r = await runBin(['report', '--colour', 'red'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--colour')
  })
})

describe('configuration', () => {
  it('a wrong key in the file is exit 2, names the key, and opens no store', async () => {
    const config = join(work, 'bad.json')
    writeFileSync(config, JSON.stringify({ store: { dataDir: join(work, 'never') }, report: { langauge: 'ru' } }))
    const r = await runBin(['--config', config, 'migrate'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('report.langauge')
    expect(existsSync(join(work, 'never'))).toBe(false)
    const json = jsonOf(await runBin(['--json', '--config', config, 'migrate']))
    expect(json).toMatchObject({ ok: false, exitCode: 2, error: expect.stringContaining('report.langauge') })
  })

  it('an explicit file that is missing is exit 2; the settings of a good file are used', async () => {
    expect((await runBin(['--config', join(work, 'absent.json'), 'migrate'])).code).toBe(2)
    const dataDir = join(work, 'from-config')
    const config = join(work, 'good.json')
    writeFileSync(config, JSON.stringify({ store: { dataDir } }))
    const r = await runBin(['--json', '--config', config, 'migrate'])
    expect(r.code).toBe(0)
    expect(jsonOf(r)).toMatchObject({ ok: true, where: `embedded store in ${dataDir}` })
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true)
  })

  it('a server that does not answer is exit 3, and its password is never printed', async () => {
    const r = await runBin(['verify'], { env: { DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/test' } })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('127.0.0.1:1')
    expect(r.stderr + r.stdout).not.toContain('hunter2')
  })
})

describe('migrate', () => {
  it('creates the embedded store and is current the second time', async () => {
    const dataDir = join(work, 'fresh')
    const first = jsonOf(await runBin(['--json', '--data-dir', dataDir, 'migrate']))
    expect((first.applied as unknown[]).length).toBeGreaterThan(0)
    const second = await runBin(['--data-dir', dataDir, 'migrate'])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/is current at version \d+/)
  })
})

/** Every file under `dir`, as paths relative to it. */
const filesUnder = (dir: string): string[] => (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile: () => boolean; parentPath: string; name: string }>)
  .filter((d) => d.isFile())
  .map((d) => relative(dir, join(d.parentPath, d.name)))
  .sort()
/** What the demo writes beside its store. */
const demoFiles = (dir: string) => filesUnder(dir).filter((f) => !f.startsWith('store'))

describe('demo', () => {
  it('writes the reports in every language and format, the failure reports, the mails and a Redmine CSV, and says which file to open', () => {
    const files = demoFiles(demoDir)
    expect(files.filter((f) => f.startsWith('reports/'))).toEqual(
      ['csv', 'en.html', 'en.md', 'json', 'kk.html', 'ru.html'].map((s) => `reports/compliance-report-${CONTRACT}-contract-to-date.${s}`).sort(),
    )
    expect(files.filter((f) => f.startsWith('failure-reports/'))).toEqual(
      ['en.html', 'en.md', 'ru.html', 'ru.md'].map((s) => `failure-reports/failure-report-INC-2025-01.${s}`),
    )
    const mails = files.filter((f) => f.startsWith('mail/'))
    expect(mails.length).toBeGreaterThan(10)
    for (const m of mails) expect(m).toMatch(/\.eml$/)
    const eml = readFileSync(join(demoDir, mails[0]!), 'utf8')
    expect(eml).toMatch(/^Message-ID:\s+<[^>]*@mail\.soft-service\.kz>\r$/m)
    // Dated by the scenario, not by the machine that ran it.
    expect(eml).toMatch(/^Date: \w{3}, \d{2} \w{3} 2025 /m)
    const csv = readFileSync(join(demoDir, `redmine/redmine-import-${CONTRACT}.csv`), 'utf8').split('\r\n')
    expect(csv[0]).toContain('SLA: deadline set within 2 h (clause 2)')
    expect(csv.find((r) => r.startsWith('RM-107,'))).toMatch(/,met,breached$/)
    expect(csv.find((r) => r.startsWith('RM-103,'))).toMatch(/,breached,met$/)
    const last = demo.stdout.trim().split('\n').pop() ?? ''
    expect(last).toBe(`open ${join(demoDir, `reports/compliance-report-${CONTRACT}-contract-to-date.en.html`)}`)
  })

  it('the summary names each breach the scenario plants, and no other', () => {
    const planted = demoScenario(() => 'unused' as never).planted
    // The scenario plants a breach of each kind the report proves: a late deadline, a late fix, a late delivery, a missed archive, a stalled backup.
    expect(new Set(planted.map((p) => p.clause))).toEqual(new Set([2, 3, 10, 12, 13]))
    const lines = demo.stdout.split('\n')
    const breaches = lines.slice(lines.findIndex((l) => /^breaches \(\d+\):$/.test(l)) + 1).filter((l) => /^ {2}clause /.test(l))
    expect(lines).toContain(`breaches (${planted.length}):`)
    for (const p of planted) expect(breaches.filter((l) => new RegExp(`^  clause +${p.clause}  ${p.subject}: `).test(l)), `${p.clause} ${p.subject}`).toHaveLength(1)
    expect(breaches).toHaveLength(planted.length)
    const report = JSON.parse(readFileSync(join(demoDir, 'reports', `compliance-report-${CONTRACT}-contract-to-date.json`), 'utf8')) as { obligations: Array<{ breached: number }> }
    expect(report.obligations.reduce((n, s) => n + s.breached, 0)).toBe(planted.length)
    // The refused approval is said too, with the error that refused it.
    expect(demo.stdout).toContain('ApproveChange CH-4 refused (CapExceeded)')
  })

  it('a second run writes byte-identical files', async () => {
    const again = join(work, 'demo-again')
    const r = await runBin(['demo', '--out', again])
    expect(r.code, r.stderr).toBe(0)
    const files = demoFiles(demoDir)
    expect(demoFiles(again)).toEqual(files)
    expect(files.length).toBeGreaterThan(20)
    for (const f of files) expect(readFileSync(join(again, f)).equals(readFileSync(join(demoDir, f))), f).toBe(true)
  }, 900_000)

  it('refuses to clear a folder it did not make', async () => {
    const foreign = join(work, 'foreign')
    cpSync(join(demoDir, 'reports'), join(foreign, 'reports'), { recursive: true })
    const r = await runBin(['demo', '--out', foreign])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('is not the demo')
    expect(readdirSync(join(foreign, 'reports')).length).toBeGreaterThan(0)
  })
})

describe('report', () => {
  const base = ['--data-dir', store, 'report', '--contract', CONTRACT, '--as-of', AS_OF]

  it.each(['html', 'md', 'json', 'csv'])('writes %s to the path given', async (format) => {
    const out = join(work, `q2.${format}`)
    const r = await runBin([...base, '--period', '2025-Q2', '--format', format, '--language', 'en', '--out', out])
    expect(r.code, r.stderr).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text).toContain(CONTRACT)
    if (format === 'csv') {
      const rows = text.trim().split('\r\n')
      expect(rows[0]).toBe('contract,period,clause,obligation,subject,status,opens_at,due_at,met_at,reason,evidence')
      // Every verdict of the quarter, one row each: the row count is the report's total.
      const json = JSON.parse(readFileSync(join(work, 'q2.json'), 'utf8')) as { obligations: Array<{ total: number }> }
      expect(rows.length - 1).toBe(json.obligations.reduce((n, s) => n + s.total, 0))
    }
  })

  it('Russian and Kazakh are rendered with their own labels, a headline and the quarterly trend; --no-trend leaves the trend out', async () => {
    const ru = await runBin([...base, '--format', 'html', '--language', 'ru', '--out', '-'])
    expect(ru.code).toBe(0)
    expect(ru.stdout).toMatch(/lang="ru"/)
    expect(ru.stdout).toContain(reportLabels.ru.overall)
    expect(ru.stdout).toContain(`aria-label="${reportLabels.ru.chartTrend}"`)
    const kk = await runBin([...base, '--format', 'html', '--language', 'kk', '--out', '-'])
    expect(kk.code).toBe(0)
    expect(kk.stdout).toMatch(/lang="kk"/)
    expect(kk.stdout).toContain(reportLabels.kk.overall)
    expect(kk.stdout).not.toContain(reportLabels.ru.overall)
    const flat = await runBin([...base, '--format', 'html', '--language', 'kk', '--no-trend', '--out', '-'])
    expect(flat.code).toBe(0)
    expect(flat.stdout).not.toContain(`aria-label="${reportLabels.kk.chartTrend}"`)
  })

  it('--fail-on-breach exits 1 when the period has breaches, 0 when it has none', async () => {
    const year = jsonOf(await runBin(['--json', ...base, '--fail-on-breach', '--out', join(work, 'y.html')]))
    expect(year).toMatchObject({ ok: false, exitCode: 1 })
    expect(year.breached).toBeGreaterThan(0)
    // Before the contract's first request nothing can be breached.
    const r = await runBin([...base.slice(0, -2), '--as-of', '2025-01-01T12:00:00Z', '--fail-on-breach', '--period', '2025-01', '--out', join(work, 'jan.html')])
    expect(r.code, r.stderr).toBe(0)
  })

  it('an unknown contract is exit 5, a bad period or instant exit 2', async () => {
    expect((await runBin(['--data-dir', store, 'report', '--contract', 'C-NONE', '--as-of', AS_OF])).code).toBe(5)
    const period = await runBin([...base, '--period', '2025-Q5'])
    expect(period.code).toBe(2)
    expect(period.stderr).toContain('--period 2025-Q5')
    expect((await runBin(['--data-dir', store, 'report', '--contract', CONTRACT, '--as-of', 'yesterday'])).code).toBe(2)
    expect((await runBin(['--data-dir', store, 'report', '--as-of', AS_OF])).code).toBe(2)
  })
})

describe('verify', () => {
  it('passes on an untouched log, and against a seal it wrote', async () => {
    const dir = copyOfStore('verify-ok')
    const seal = join(work, 'seal-ok.txt')
    const sealed = await runBin(['--data-dir', dir, 'verify', '--write-seal', seal])
    expect(sealed.code, sealed.stderr).toBe(0)
    expect(readFileSync(seal, 'utf8')).toMatch(/^support-ledger log seal 1 through position \d+/)
    const r = jsonOf(await runBin(['--json', '--data-dir', dir, 'verify', '--seal', seal]))
    expect(r).toMatchObject({ ok: true, verified: true, problems: [], keptSeal: { sealNo: 1, problems: 0 } })
  })

  it('fails with exit 1 when an event was changed in the database, and names the stream', async () => {
    const dir = copyOfStore('verify-tampered')
    const seal = join(work, 'seal-tampered.txt')
    expect((await runBin(['--data-dir', dir, 'verify', '--write-seal', seal])).code).toBe(0)
    // Whoever can write the tables edits one event's data in place.
    const pglite = await openPGlite(dir)
    const row = await pglite.query<{ stream_id: string }>(`UPDATE support_ledger.events SET data = '{"edited":true}' WHERE global_position = 7 RETURNING stream_id`)
    await pglite.close()
    const streamId = row.rows[0]?.stream_id ?? ''
    expect(streamId).not.toBe('')
    const r = await runBin(['--data-dir', dir, 'verify', '--seal', seal])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`problem (altered)`)
    expect(r.stdout).toContain(streamId)
    expect(r.stdout).toContain('verification FAILED')
  })

  it('a kept seal that is not a seal is exit 2, naming the part at fault', async () => {
    const bad = join(work, 'seal-bad.txt')
    writeFileSync(bad, 'support-ledger log seal 0 through position 5 (5 events) sealed 2025-01-01T00:00:00.000Z sha256 ' + 'a'.repeat(64))
    const r = await runBin(['--data-dir', store, 'verify', '--seal', bad])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('seal sealNo')
  })
})

describe('schedule', () => {
  it('lists what falls due in the window, after the schedule catches up with the log', async () => {
    const dir = copyOfStore('schedule')
    // A request filed on the year's last Friday: its deadline proposal falls due in the window.
    const embedded = await openEmbeddedStorage({ dataDir: dir })
    const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
    if (E.isLeft(calendars)) throw new Error(calendars.left.message)
    const ledger = contractLedger({ storeFor: (catalog) => postgresEventStore(catalog, embedded.storage), calendars: calendars.right })
    const at = new Date('2025-12-26T10:00:00+05:00').toISOString() as Instant
    const filed = await ledger.tickets.handle({
      type: 'FileRequest', contractId: CONTRACT as ContractId, ticketId: 'T-LATE' as TicketId, kind: 'defect', priority: 'normal', channel: 'redmine',
      subject: 'Export fails', actor: exampleCustomer, at, receivedAt: at,
    })()
    await embedded.close()
    expect(E.isRight(filed), JSON.stringify(filed)).toBe(true)

    const r = await runBin(['--json', '--data-dir', dir, 'schedule', '--from', '2025-12-26T05:00:00Z', '--hours', '168'])
    expect(r.code, r.stderr).toBe(0)
    const alarms = jsonOf(r).alarms as Array<{ subject: { id: string }; kind: string; at: string; contract: string }>
    const late = alarms.filter((a) => a.subject.id === 'T-LATE')
    expect(late.length).toBeGreaterThan(0)
    expect(late.some((a) => a.kind === 'due')).toBe(true)
    for (const a of alarms) expect(a.at >= '2025-12-26T05:00:00.000Z' && a.at < '2026-01-02T05:00:00.000Z').toBe(true)
    // A window before the request was filed holds none of its alarms; another contract's filter holds nothing.
    const before = jsonOf(await runBin(['--json', '--data-dir', dir, 'schedule', '--from', '2025-12-01T00:00:00Z', '--hours', '24']))
    expect((before.alarms as unknown[]).length).toBe(0)
    const other = jsonOf(await runBin(['--json', '--data-dir', dir, 'schedule', '--from', '2025-12-26T05:00:00Z', '--hours', '168', '--contract', 'C-OTHER']))
    expect((other.alarms as unknown[]).length).toBe(0)
    const text = await runBin(['--data-dir', dir, 'schedule', '--from', '2025-12-26T05:00:00Z', '--hours', '168'])
    expect(text.stdout).toMatch(/T-LATE .*falls due/)
  })

  it('a window that is not a positive number of hours is exit 2', async () => {
    expect((await runBin(['--data-dir', store, 'schedule', '--hours', '0'])).code).toBe(2)
    expect((await runBin(['--data-dir', store, 'schedule', '--hours', 'many'])).code).toBe(2)
  })
})

describe('sync', () => {
  it('one pass without Redmine brings the schedule up to date', async () => {
    const r = await runBin(['--json', '--data-dir', copyOfStore('sync'), 'sync'])
    expect(r.code, r.stderr).toBe(0)
    expect(jsonOf(r)).toMatchObject({ ok: true, passes: [{ schedule: 'caught up', redmine: 'not configured' }] })
  })

  it('--loop runs passes until interrupted, then exits 0', async () => {
    const { spawn } = await import('node:child_process')
    const { BIN } = await import('./cli-test-run.js')
    const { DATABASE_URL: _db, ...env } = process.env
    const child = spawn(process.execPath, [BIN, '--data-dir', copyOfStore('sync-loop'), 'sync', '--loop', '--interval', '1'], { env })
    let out = ''
    const passes = () => out.split('\n').filter((l) => l.includes('schedule caught up')).length
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (passes() === 2) child.kill('SIGINT')
    })
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    expect(code).toBe(0)
    expect(passes()).toBeGreaterThanOrEqual(2)
  })

  it('Redmine configured without its key is exit 2; a Redmine that does not answer is exit 4', async () => {
    const config = join(work, 'redmine.json')
    const { defaultRedmineMapping } = await import('@support-ledger/redmine')
    writeFileSync(config, JSON.stringify({ redmine: { url: 'http://127.0.0.1:1', mapping: defaultRedmineMapping([{ project: 'support', contractId: CONTRACT as ContractId }], [{ redmineUserId: 6, person: 'aigerim' }]) } }))
    const noKey = await runBin(['--config', config, '--data-dir', copyOfStore('sync-nokey'), 'sync'])
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toContain('REDMINE_API_KEY')
    const down = await runBin(['--config', config, '--data-dir', copyOfStore('sync-down'), 'sync'], { env: { REDMINE_API_KEY: 'k3y-never-printed' } })
    expect(down.code).toBe(4)
    expect(down.stderr + down.stdout).not.toContain('k3y-never-printed')
  })
})
