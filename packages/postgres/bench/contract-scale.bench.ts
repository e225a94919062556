/**
 * Benchmark of one contract's work in a store of many: two stores of 100 contracts on one server
 * (two schemas), of a small and a large size (default 500,000 and 5,000,000 events), holding the
 * same measured contract (about 100,000 events of its own) while the other 99 grow. Measured in
 * rounds that alternate the two stores, in one process: the contract's quarterly report,
 * recording a delivery (its accepted changes asked of the ledger's read model, which reads what
 * was recorded since its last ask; the same as the first ask in a fresh ledger, which starts from
 * the read model's snapshot, and in a fresh ledger without snapshots, which reads the contract's
 * whole record; and given), a ticket
 * command (p50, p99), and the schedule query "due in the next hour across all contracts". Then,
 * on the large store, the report of a contract of about 1,000,000 events in a child process that
 * reports its peak RSS. BENCH_SCALE multiplies every size (CI runs a small one); BENCH_TOTALS
 * (e.g. `500000,2000000`) sets the two sizes. Events are generated once (one contract's year)
 * and copied server-side under other contract and ticket ids; their hash chains are
 * placeholders. The ledgers keep their snapshots in the store (`postgresSnapshotStore`). Last, on
 * the large store, a year of daily backup sync checks on two contracts, interleaved: one ledger
 * with snapshots, one whose snapshot store keeps nothing (every check folds the whole operations
 * stream, as before snapshots); the cost of the 10th, 100th and 365th check of each. Writes
 * `contractScale` into bench-results.json.
 */
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { contractLedger, type ContractLedger, type SnapshotStore, createCalendarRegistry, instantOf, KAZAKHSTAN_CALENDAR, type DeliveryId, type Instant, type QuarterLabel, type Sha256Hex, type TicketId } from '@support-ledger/core'
import { exampleCustomer, exampleLedger, exampleSupplier } from '@support-ledger/core/testing'
import { build } from 'esbuild'
import * as E from 'fp-ts/lib/Either.js'
import { sql } from 'kysely'
import pg from 'pg'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage, postgresEventStore, type PostgresStorage } from '../src/postgres-event-store.js'
import { dropSchema, migrate } from '../src/postgres-migrations.js'
import { postgresObligationSchedule } from '../src/postgres-obligation-schedule.js'
import { postgresSnapshotStore } from '../src/postgres-snapshots.js'
import { loadTemplate } from './bench-template.js'

const scale = Number(process.env.BENCH_SCALE ?? '1')
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const totals = (process.env.BENCH_TOTALS?.split(',').map(Number) ?? [500_000, 5_000_000]).map((n) => Math.round(n * scale))
const CONTRACTS = 100
const TEMPLATE_ID = 'C-2024-001'
const SUBJECT = 'C-B000'
const LARGE = 'C-B001'
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? '5'))

type Figure = { median: number; min: number; max: number; unit: string }
const results: Record<string, Record<string, Figure | number>> = {}
const record = (at: string, name: string, values: ReadonlyArray<number>, unit: string) => {
  const sorted = [...values].sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 100) / 100
  const figure = { median: round(sorted[Math.floor(sorted.length / 2)]!), min: round(sorted[0]!), max: round(sorted[sorted.length - 1]!), unit }
  ;(results[at] ??= {})[name] = figure
  console.log(`  ${name.padEnd(52)} ${String(figure.median).padStart(10)} ${unit}  (${figure.min} – ${figure.max})`)
}
const must = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.message)
  return e.right
}
const percentile = (values: ReadonlyArray<number>, p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!
const cid = (k: number) => `C-B${String(k).padStart(3, '0')}`

const calendars = must(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const pool = new pg.Pool({ connectionString: url, max: 4 })
const database = postgresDatabase(pool)
const run = Math.random().toString(36).slice(2, 8)

/** One contract's year, about 100,000 events at scale 1: the subject's history and the pattern every other contract copies. */
const template = (() => {
  const tickets = Math.max(50, Math.round(11_300 * scale))
  const t0 = performance.now()
  const generated = exampleLedger({ tickets })
  console.log(`template: ${generated.events.length} events of ${tickets} requests, generated in ${Math.round(performance.now() - t0)} ms`)
  return generated
})()
const L = template.events.length

const freshLedger = (storage: PostgresStorage, snapshots: SnapshotStore = postgresSnapshotStore(storage)): ContractLedger =>
  contractLedger({ storeFor: (catalog) => postgresEventStore(catalog, storage), calendars, snapshots })
// Keeps nothing: every command folds its whole stream, as the ledger did before snapshots.
const noSnapshots: SnapshotStore = { load: () => async () => E.right(undefined), save: () => async () => E.right(undefined) }

/** A year of daily backup checks on two contracts of the store, interleaved: with snapshots, and without. */
const dailyChecks = async (store: Store) => {
  const ledgers = { snapshots: freshLedger(store.storage), 'no snapshots': freshLedger(store.storage, noSnapshots) }
  const contracts = { snapshots: cid(50), 'no snapshots': cid(51) }
  const costs: Record<string, number[]> = { snapshots: [], 'no snapshots': [] }
  // The client's CPU time too (decoding and folding is where the whole stream's cost went): less noisy than the wall clock on a shared machine.
  const cpu: Record<string, number[]> = { snapshots: [], 'no snapshots': [] }
  for (let n = 1; n <= 365; n++) {
    const at = instantOf(Date.UTC(2024, 0, 1, 9, 0) + (n - 1) * 86_400_000)
    for (const variant of (n % 2 === 0 ? ['snapshots', 'no snapshots'] : ['no snapshots', 'snapshots']) as Array<keyof typeof ledgers>) {
      const before = process.cpuUsage()
      costs[variant]!.push(await timed(() => ledgers[variant].operations.handle({ type: 'RecordBackupSyncCheck', contractId: contracts[variant] as never, actor: exampleSupplier, at, checkId: `K-bench-${run}-${n}`, lastSyncedAt: at })()))
      const used = process.cpuUsage(before)
      cpu[variant]!.push((used.user + used.system) / 1000)
    }
  }
  // The median of the ten checks ending at the 10th, the 100th and the 365th.
  for (const [variant, values] of Object.entries(costs)) {
    for (const nth of [10, 100, 365]) record(store.label, `daily backup check, the ${nth}th (${variant})`, values.slice(nth - 10, nth), 'ms')
    for (const nth of [10, 100, 365]) record(store.label, `daily backup check, the ${nth}th (${variant}), client CPU`, cpu[variant]!.slice(nth - 10, nth), 'ms')
  }
}

interface Store {
  readonly label: string
  readonly schema: string
  readonly storage: PostgresStorage
  readonly ledger: ContractLedger
  events: number
}

const openStore = async (label: string): Promise<Store> => {
  const schema = `sl_bench_${run}_${label}`
  await migrate(database.db, { schema })
  const storage = createPostgresStorage({ database, schema, notify: false })
  const q = sql.raw(`"${schema}"`)
  await loadTemplate(database.db, schema, template.events)
  await sql`CREATE UNLOGGED TABLE ${q}.bench_plan (k integer, cid text, r_from integer, r_to integer, take integer)`.execute(database.db)
  return { label, schema, storage, ledger: freshLedger(storage), events: 0 }
}

/**
 * Copies the template into the log per the plan: contract `cid` gets repetitions r_from..r_to-1
 * of the template's first `take` events (repetition 0 whole; later ones only the requests,
 * under other ticket ids). Each contract's events are spread evenly over the positions written,
 * interleaved with the others', as a store recording all of them at once would hold them.
 */
const copy = async (store: Store, plan: ReadonlyArray<{ k: number; rFrom: number; rTo: number; take: number }>) => {
  const t0 = performance.now()
  const q = sql.raw(`"${store.schema}"`)
  await sql`TRUNCATE ${q}.bench_plan`.execute(database.db)
  await sql`INSERT INTO ${q}.bench_plan SELECT * FROM unnest(${plan.map((p) => p.k)}::integer[], ${plan.map((p) => cid(p.k))}::text[],
    ${plan.map((p) => p.rFrom)}::integer[], ${plan.map((p) => p.rTo)}::integer[], ${plan.map((p) => p.take)}::integer[])`.execute(database.db)
  await database.db.transaction().execute(async (tx) => {
    await sql`SET LOCAL work_mem = '512MB'`.execute(tx)
    await sql`
      WITH base AS (SELECT coalesce(max(global_position), 0) AS b FROM ${q}.events),
      rows AS (
        SELECT c.k, c.cid, r.r, t.seq,
          CASE WHEN r.r = 0 THEN t.stream_id ELSE replace(t.stream_id, '/T-', '/T-' || r.r || '-') END AS sid,
          t.stream_version, t.type, t.schema_version,
          CASE WHEN r.r = 0 THEN t.data ELSE replace(t.data, '"ticketId":"T-', '"ticketId":"T-' || r.r || '-') END AS data, t.metadata,
          ((r.r - c.r_from) * c.take + t.seq)::float8 / ((c.r_to - c.r_from) * c.take) AS frac
        FROM ${q}.bench_plan c
        CROSS JOIN LATERAL generate_series(c.r_from, c.r_to - 1) AS r(r)
        JOIN ${q}.bench_template t ON t.seq <= c.take AND (r.r = 0 OR t.stream_id LIKE 'ticket-%')
      )
      INSERT INTO ${q}.events (global_position, transaction_id, stream_id, stream_version, event_id, type, schema_version, data, metadata, hash, contract_id)
      SELECT base.b + row_number() OVER (ORDER BY rows.frac, rows.k), pg_current_xact_id(), replace(rows.sid, ${TEMPLATE_ID}, rows.cid),
        rows.stream_version, gen_random_uuid(), rows.type, rows.schema_version, replace(rows.data, ${TEMPLATE_ID}, rows.cid)::json, rows.metadata::json,
        '\\x00'::bytea, rows.cid
      FROM rows, base`.execute(tx)
  })
  const { rows } = await sql<{ n: string }>`SELECT max(global_position)::text AS n FROM ${q}.events`.execute(database.db)
  const last = Number(rows[0]!.n)
  await sql`INSERT INTO ${q}.streams (stream_id, version, head_hash)
    SELECT stream_id, max(stream_version), '\\x00'::bytea FROM ${q}.events GROUP BY stream_id
    ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`.execute(database.db)
  await sql`SELECT setval(${`"${store.schema}".event_position`}, ${last})`.execute(database.db)
  await sql`VACUUM ANALYZE ${sql.raw(`"${store.schema}".events`)}`.execute(database.db)
  console.log(`  ${store.label}: loaded to ${last} events in ${Math.round((performance.now() - t0) / 1000)} s`)
  store.events = last
}

/** Open obligations in proportion to the log (one per 20 events), spread over two years, two alarms each. */
const fillSchedule = async (store: Store) => {
  const n = Math.max(100, Math.round(store.events / 20))
  const q = sql.raw(`"${store.schema}"`)
  await sql`
    INSERT INTO ${q}.obligation_schedule (source_key, subject_key, obligation, contract_id, due_at, scheduled)
    SELECT 'ticket:T-' || i, 'ticket:T-' || i, 'agreed-deadline', 'C-B' || lpad((i % ${CONTRACTS})::text, 3, '0'), timestamptz '2025-01-01' + i * (interval '2 years' / ${n}),
      jsonb_build_object('contractId', 'C-B' || lpad((i % ${CONTRACTS})::text, 3, '0'), 'subject', jsonb_build_object('aggregate', 'ticket', 'id', 'T-' || i), 'obligation', 'agreed-deadline',
        'clause', 3, 'measure', 'elapsed', 'startedAt', '2024-12-01T00:00:00.000Z', 'windowMinutes', 600, 'awaiting', false, 'warnings', '[]'::jsonb,
        'openedBy', '[]'::jsonb, 'knownAt', '2024-12-01T00:00:00.000Z')
    FROM generate_series(1, ${n}) AS i`.execute(database.db)
  await sql`
    INSERT INTO ${q}.obligation_schedule_alarms (at, kind, bps, subject_key, obligation)
    SELECT due_at - k * interval '3 hours', CASE WHEN k = 0 THEN 'due' ELSE 'warning' END, CASE WHEN k = 0 THEN NULL ELSE 8000 END, subject_key, obligation
    FROM ${q}.obligation_schedule, generate_series(0, 1) AS k`.execute(database.db)
  await sql`ANALYZE ${q}.obligation_schedule_alarms`.execute(database.db)
  await sql`ANALYZE ${q}.obligation_schedule`.execute(database.db)
  return n
}

type Samples = Record<string, number[]>
const samples: Record<string, Samples> = {}
const add = (store: Store, name: string, ms: number) => ((samples[store.label] ??= {})[name] ??= []).push(ms)
/** Alarms each schedule query returned, per store. */
const alarmsFound: Record<string, number[]> = {}

const timed = async <A>(work: () => Promise<E.Either<{ message: string }, A>>): Promise<number> => {
  const t0 = performance.now()
  must(await work())
  return performance.now() - t0
}

let ticketNo = 0
let deliveryNo = 0
const deliveredAt = '2024-12-30T10:00:00.000Z' as Instant
// Another build in the last quarter: every accepted change is delivered already, as the ledger finds by reading the contract's events.
const delivery = (store: Store, given: boolean) => () =>
  store.ledger.deliveries.handle({
    type: 'RecordDelivery',
    contractId: SUBJECT as never,
    actor: exampleSupplier,
    at: deliveredAt,
    deliveryId: `D-bench-${++deliveryNo}` as DeliveryId,
    quarter: '2024-Q4' as QuarterLabel,
    version: `9.${deliveryNo}.0`,
    artifactSha256: 'b'.repeat(64) as Sha256Hex,
    changes: [],
    ...(given ? { acceptedChanges: [] } : {}),
  })()
const fileRequest = (store: Store) => () => {
  const ticketId = `T-bench-${++ticketNo}` as TicketId
  const filedAt = instantOf(Date.UTC(2024, 11, 20, 4, 0, 0) + ticketNo * 60_000)
  return store.ledger.tickets.handle({
    type: 'FileRequest',
    contractId: SUBJECT as never,
    ticketId,
    actor: exampleCustomer,
    at: filedAt,
    receivedAt: filedAt,
    kind: 'defect',
    priority: 'normal',
    channel: 'redmine',
    subject: `bench ${ticketNo}`,
  } as never)()
}
const report = (store: Store) => () => store.ledger.report({ contractId: SUBJECT, asOf: template.asOf, period: { kind: 'quarter', quarter: '2024-Q4' as QuarterLabel } })()

/** One round on one store: every operation, each a few times. */
const round = async (store: Store, warm: boolean) => {
  const schedule = postgresObligationSchedule(store.storage, { calendars })
  const r = await timed(report(store))
  const read = await timed(delivery(store, false))
  const cold = await timed(delivery({ ...store, ledger: freshLedger(store.storage) }, false))
  const coldWithout = await timed(delivery({ ...store, ledger: freshLedger(store.storage, noSnapshots) }, false))
  const given: number[] = []
  for (let i = 0; i < 5; i++) given.push(await timed(delivery(store, true)))
  const commands: number[] = []
  for (let i = 0; i < 50; i++) commands.push(await timed(fileRequest(store)))
  const windows: number[] = []
  for (let i = 0; i < 50; i++) {
    const from = Date.UTC(2025, 3, 1) + ((i * 7) % 50) * 3_600_000 * 7
    windows.push(await timed(async () => {
      const alarms = await schedule.alarmsBetween({ from: instantOf(from), to: instantOf(from + 3_600_000) })()
      if (E.isRight(alarms) && !warm) (alarmsFound[store.label] ??= []).push(alarms.right.length)
      return alarms
    }))
  }
  if (warm) return
  add(store, "one contract's quarterly report", r)
  add(store, 'recording a delivery (accepted changes read since the last)', read)
  add(store, 'recording a delivery (first in its ledger, from the snapshots)', cold)
  add(store, 'recording a delivery (first in its ledger, no snapshots: whole record read)', coldWithout)
  for (const g of given) add(store, 'recording a delivery (accepted changes given)', g)
  for (const c of commands) add(store, 'ticket command (file a request)', c)
  for (const w of windows) add(store, 'due in the next hour, all contracts', w)
}

/**
 * The report script as plain JavaScript run by plain node on the built packages (`pnpm bench` builds them
 * first), as an application runs the library: under tsx, its loader thread alone adds ~60 MB of RSS.
 */
const reportScript = async (): Promise<string> => {
  // Inside the package, so that node resolves the script's imports from the package's node_modules.
  const outfile = fileURLToPath(new URL('./out/contract-report-rss.mjs', import.meta.url))
  await build({ entryPoints: [fileURLToPath(new URL('./contract-report-rss.ts', import.meta.url))], platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning' })
  return outfile
}

/** The report of the large contract in a process of its own, so that its peak RSS is the report's alone. */
const largeReport = (store: Store): Promise<{ events: number; ms: number; cpuMs: number; rssMB: number; baselineMB: number }> =>
  reportScript().then((script) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, DATABASE_URL: url, BENCH_SCHEMA: store.schema, BENCH_CONTRACT: LARGE, BENCH_AS_OF: template.asOf },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as never) : reject(new Error(`report process exited ${code}: ${out}`))))
  }))

const stores: Store[] = []
try {
  const [small, large] = totals as [number, number]
  const others = CONTRACTS - 1
  const take1 = Math.max(10, Math.floor((small - L) / others))
  const basePlan = [{ k: 0, rFrom: 0, rTo: 1, take: L }, ...Array.from({ length: others }, (_, i) => ({ k: i + 1, rFrom: 0, rTo: 1, take: Math.min(L, take1) }))]
  const a = await openStore('small')
  const b = await openStore('large')
  stores.push(a, b)
  console.log(`\nloading ${small} events into each store, then ${large} into the large one`)
  await copy(a, basePlan)
  await copy(b, basePlan)
  const extra = large - b.events
  const largeReps = Math.max(1, Math.min(9, Math.round(extra / 2 / L)))
  const perOther = Math.floor((extra - largeReps * L) / (others - 1))
  const otherReps = Math.max(1, Math.ceil(perOther / L))
  await copy(b, [
    { k: 1, rFrom: 1, rTo: 1 + largeReps, take: L },
    ...Array.from({ length: others - 1 }, (_, i) => ({ k: i + 2, rFrom: 1, rTo: 1 + otherReps, take: Math.max(10, Math.floor(perOther / otherReps)) })),
  ])
  const open = { small: await fillSchedule(a), large: await fillSchedule(b) }

  console.log(`\n${ROUNDS} rounds, alternating the stores; the measured contract has ${L} events in both`)
  await round(a, true)
  await round(b, true)
  for (let i = 0; i < ROUNDS; i++) for (const store of i % 2 === 0 ? [a, b] : [b, a]) await round(store, false)

  for (const store of [a, b]) {
    console.log(`\n${store.label}: ${store.events} events, ${CONTRACTS} contracts, ${open[store.label as 'small' | 'large']} open obligations`)
    // The schedule query is across all contracts: what it returns grows with every contract's open obligations.
    const found = alarmsFound[store.label] ?? []
    console.log(`  (the schedule query found ${Math.round(found.reduce((n, k) => n + k, 0) / Math.max(1, found.length))} alarms per hour's window on average)`)
    const mine = samples[store.label] ?? {}
    for (const [name, values] of Object.entries(mine)) {
      if (values.length <= ROUNDS + 1 && !name.includes('given')) record(store.label, name, values, 'ms')
      else {
        record(store.label, `${name}, p50`, [percentile(values, 0.5)], 'ms')
        record(store.label, `${name}, p99`, [percentile(values, 0.99)], 'ms')
      }
    }
    Object.assign((results[store.label] ??= {}), { events: store.events, openObligations: open[store.label as 'small' | 'large'] })
  }
  const ratios: Record<string, number> = {}
  for (const [name, figure] of Object.entries(results.small ?? {})) {
    const later = results.large?.[name]
    if (typeof figure === 'object' && typeof later === 'object') ratios[name] = Math.round((later.median / figure.median) * 100) / 100
  }
  console.log('\nlarge / small (medians):', ratios)

  console.log('\na year of daily backup checks on the large store')
  await dailyChecks(b)

  const big = await largeReport(b)
  ;(results.large ??= {}).largeContractEvents = big.events
  record('large', `report of one contract of ${big.events} events`, [big.ms], 'ms')
  record('large', 'its CPU time (child process)', [big.cpuMs], 'ms')
  record('large', 'its peak RSS (child process)', [big.rssMB], 'MB')
  record('large', 'the child process before the report', [big.baselineMB], 'MB')

  const out = fileURLToPath(new URL('../bench-results.json', import.meta.url))
  const prior = await readFile(out, 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>, () => ({}))
  await writeFile(out, `${JSON.stringify({ ...prior, contractScale: { scale, totals, rounds: ROUNDS, contracts: CONTRACTS, templateEvents: L, results, ratios } }, null, 2)}\n`)
  console.log(`wrote ${out}`)
} finally {
  for (const store of stores) {
    await store.storage.close()
    if (process.env.BENCH_KEEP !== '1') await dropSchema(database.db, store.schema)
  }
  await pool.end()
}
