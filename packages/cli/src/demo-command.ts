/**
 * `support-ledger demo` (and `pnpm demo`): a year of a support contract with a Kazakhstan customer
 * on the 2025 calendar, played from the scenario table into a fresh store (the embedded one in the
 * output folder, or a schema of its own on the server in DATABASE_URL), then its reports in every
 * language, the failure reports, the mails as `.eml`, and a Redmine CSV. Time and ids follow the
 * scenario, so two runs write the same bytes.
 */
import type { Instant } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { done, type CliContext, type CommandResult } from './cli-context.js'
import type { ReportFormat, ReportLanguage } from './cli-config.js'
import { progress } from './cli-progress-line.js'
import { openStore, type StoreSettings } from './cli-store.js'
import { demoSummary } from './demo-summary.js'
import { FAILURE_REPORT_DIR, MAIL_DIR, playDemoYear, REDMINE_DIR } from './demo-year.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'
import { reportCommand } from './report-command.js'

// model

export interface DemoOptions {
  readonly outDir: string
}

/** Marks a folder as the demo's own: only then does a second run clear what the first wrote. */
const MARKER = '.support-ledger-demo'
const STORE_DIR = 'store'
const REPORT_DIR = 'reports'
/** Cleared by a new run; the embedded store is kept (its schema is dropped instead: a new folder costs an initdb). */
const OWN_DIRS = [REPORT_DIR, MAIL_DIR, FAILURE_REPORT_DIR, REDMINE_DIR]

// operations

/** Deterministic uuid v7-shaped ids: the store keeps event ids as uuid. */
const sequentialIds = () => {
  let next = 0
  return () => `00000000-0000-7000-8000-${String(++next).padStart(12, '0')}`
}

/** Clears what an earlier run wrote; refuses a folder holding anything of the same name that the demo did not make. */
const prepareOutDir = async (outDir: string): Promise<E.Either<CliFailure, void>> => {
  const ours = existsSync(join(outDir, MARKER))
  const store = join(outDir, STORE_DIR)
  // An embedded store has PG_VERSION at its top.
  if (existsSync(store) && !(ours && existsSync(join(store, 'PG_VERSION')))) return E.left(cliFailure(ExitCode.usage, `${store} exists and is not a store the demo made: choose another --out`))
  for (const dir of OWN_DIRS) {
    const path = join(outDir, dir)
    if (!existsSync(path)) continue
    if (!ours) return E.left(cliFailure(ExitCode.usage, `${path} exists and is not the demo's: choose another --out`))
    await rm(path, { recursive: true, force: true })
  }
  await mkdir(outDir, { recursive: true })
  await writeFile(join(outDir, MARKER), 'Written by `support-ledger demo`: a new run empties the schema of its store and clears reports/, mail/, failure-reports/ and redmine/ here.\n')
  return E.right(undefined)
}

export const demoCommand = async (ctx: CliContext, options: DemoOptions): Promise<E.Either<CliFailure, CommandResult>> => {
  const outDir = resolve(options.outDir)
  const prepared = await prepareOutDir(outDir)
  if (E.isLeft(prepared)) return prepared
  const onServer = ctx.store.databaseUrl !== undefined
  // Never the schema a user keeps a real record in: the demo's own, beside it.
  const settings: StoreSettings = onServer ? { ...ctx.store, schema: `${ctx.store.schema}_demo` } : { dataDir: join(outDir, STORE_DIR), schema: ctx.store.schema }

  let now = '2025-01-01T00:00:00.000Z' as Instant
  const opened = await openStore(settings, { freshSchema: true, storage: { clock: () => now, newEventId: sequentialIds(), groupCommit: false } })
  if (E.isLeft(opened)) return opened
  const store = opened.right
  const started = Date.now()
  let year: Awaited<ReturnType<typeof playDemoYear>>
  try {
    year = await playDemoYear({ storage: store.storage, setClock: (at) => (now = at), clock: () => now, outDir, progress: progress(ctx.progress) })
  } finally {
    await store.close()
  }
  if (E.isLeft(year)) return E.left(cliFailure(ExitCode.internal, `demo: ${year.left.message}`))
  const seconds = ((Date.now() - started) / 1000).toFixed(1)

  // The compliance reports, through the same command a user runs, on the store just written.
  const demoCtx: CliContext = { ...ctx, store: settings, progress: { ...ctx.progress, quiet: true } }
  const { contractId, asOf } = year.right.scenario
  const files: string[] = []
  const runs: ReadonlyArray<readonly [ReportFormat, ReportLanguage]> = [
    ['html', 'ru'],
    ['html', 'kk'],
    ['html', 'en'],
    ['md', 'en'],
    ['json', 'en'],
    ['csv', 'en'],
  ]
  for (const [format, language] of runs) {
    const made = await reportCommand(demoCtx, { contract: contractId, period: 'contract-to-date', asOf, format, language, outDir: join(outDir, REPORT_DIR), failOnBreach: false })
    if (E.isLeft(made)) return made
    files.push(relative(outDir, (made.right.json as { readonly file: string }).file))
  }
  files.push(...year.right.files)
  const open = join(outDir, files.find((f) => f.endsWith('.en.html')) ?? files[0] ?? '')
  const where = onServer ? `${store.where}, schema ${settings.schema}` : store.where
  return done(
    [
      ...demoSummary(year.right),
      `recorded in the ${where} in ${seconds} s; files in ${outDir}:`,
      `  ${files.filter((f) => f.startsWith(REPORT_DIR)).join(', ')}`,
      `  ${files.filter((f) => !f.startsWith(REPORT_DIR)).join(', ')}, ${MAIL_DIR}/ (${year.right.mail.sent} .eml)`,
      `open ${open}`,
    ],
    { contract: contractId, asOf, events: year.right.events, store: where, outDir, files, breaches: year.right.report.obligations.reduce((n, s) => n + s.breached, 0), open },
  )
}
