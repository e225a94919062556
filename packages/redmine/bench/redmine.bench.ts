/**
 * Benchmarks against the local test Redmine (scripts/redmine-up.sh): issues imported per second
 * (the first poll of a project holding N new issues, each filed in the ledger) and outbox writes
 * per second (N writes that each create an issue by key, then N notes on existing issues, each read
 * back). The test Redmine is thin over sqlite and serves ONE request at a time, so these figures
 * are bounded by its request latency, not by the adapter: every import costs 2 requests per issue
 * (the list page is shared) and every write 3 to 5 (look up, create or PUT, read back). Variants
 * alternate within each repeat. Prints a table and writes bench-results.json. BENCH_SCALE
 * multiplies N (default 20).
 */
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { addMillis, type TicketId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { customer, filedNow, openTestLedger, supplier } from '../src/redmine-test-ledger.js'
import { openTestProject } from '../src/redmine-test-server.js'

const n = Math.max(1, Math.round(20 * Number(process.env.BENCH_SCALE ?? '1')))
const repeats = 5

const must = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const importRun = async (): Promise<number> => {
  const project = await openTestProject()
  const t = await openTestLedger(project)
  const bug = t.resolved.trackers.get('Bug')!
  for (let i = 0; i < n; i++) must(await project.customer.createIssue({ project_id: project.identifier, tracker_id: bug, subject: `Запрос ${i}: не формируется отчёт` })())
  const started = performance.now()
  const polled = must(await t.importer.poll()())
  const seconds = (performance.now() - started) / 1_000
  if (polled.filed !== n) throw new Error(`filed ${polled.filed} of ${n}`)
  return n / seconds
}

const writeRun = async (): Promise<{ creates: number; notes: number }> => {
  const project = await openTestProject()
  const t = await openTestLedger(project)
  for (let i = 0; i < n; i++) {
    must(await t.ledger.tickets.handle({ type: 'FileRequest', contractId: t.contractId, ticketId: `T-${i}` as TicketId, actor: customer, ...filedNow(t.clock()), kind: 'consultation', priority: 'normal', channel: 'phone', subject: `Звонок ${i}` })())
  }
  await t.sync.exportNew()
  let started = performance.now()
  const created = await t.sync.deliver()
  const creates = n / ((performance.now() - started) / 1_000)
  if (created.delivered !== n) throw new Error(`created ${created.delivered} of ${n}: ${JSON.stringify(created.failed[0])}`)
  for (let i = 0; i < n; i++) {
    must(await t.ledger.tickets.handle({ type: 'AskCustomer', contractId: t.contractId, ticketId: `T-${i}` as TicketId, actor: supplier, at: addMillis(t.clock(), 1), questionId: `q-${i}`, question: 'Уточните, пожалуйста, версию платформы' })())
  }
  await t.sync.exportNew()
  started = performance.now()
  const noted = await t.sync.deliver()
  const notes = n / ((performance.now() - started) / 1_000)
  if (noted.delivered !== n) throw new Error(`noted ${noted.delivered} of ${n}`)
  return { creates, notes }
}

const stats = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! }
}

if (process.env.REDMINE_API_KEY === undefined) {
  console.log('Redmine benchmark skipped: set REDMINE_URL and REDMINE_API_KEY (scripts/redmine-up.sh prints them).')
  process.exit(0)
}

const imports: number[] = []
const creates: number[] = []
const notes: number[] = []
// One warm-up of each, not counted.
await importRun()
await writeRun()
for (let r = 0; r < repeats; r++) {
  imports.push(await importRun())
  const w = await writeRun()
  creates.push(w.creates)
  notes.push(w.notes)
}
const results = {
  n,
  repeats,
  server: 'Debian Redmine 5.0 on thin + sqlite, one request at a time, loopback',
  issuesImportedPerSecond: stats(imports),
  writesCreatingIssuePerSecond: stats(creates),
  writesAddingNotePerSecond: stats(notes),
}
const row = (name: string, s: { median: number; min: number; max: number }) => `${name.padEnd(34)} ${s.median.toFixed(1).padStart(7)}  (${s.min.toFixed(1)} – ${s.max.toFixed(1)})`
console.log(`Redmine adapter, ${n} items x ${repeats} repeats; median (range) per second`)
console.log(row('issues imported', results.issuesImportedPerSecond))
console.log(row('outbox writes creating an issue', results.writesCreatingIssuePerSecond))
console.log(row('outbox writes adding a note', results.writesAddingNotePerSecond))
await writeFile(fileURLToPath(new URL('../bench-results.json', import.meta.url)), JSON.stringify(results, null, 2) + '\n')
