/**
 * `support-ledger demo`: a generated year of a contract (the example ledger: requests, incidents,
 * customizations near the cap, quarterly deliveries, operations, with breaches of each kind)
 * recorded into a fresh embedded store, then its compliance report in every language and format.
 * Ids and record times are fixed, so two runs write the same bytes.
 */
import { contractOfStream, ledgerEvents, type Instant, type LedgerEvent, type NewEvent, type RecordedEvent } from '@support-ledger/core'
import { exampleLedger } from '@support-ledger/core/testing'
import { postgresEventStore, type PostgresStorage } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { done, type CliContext, type CommandResult } from './cli-context.js'
import type { ReportFormat, ReportLanguage } from './cli-config.js'
import { progress } from './cli-progress-line.js'
import { openStore } from './cli-store.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'
import { reportCommand } from './report-command.js'

export interface DemoOptions {
  readonly outDir: string
  /** Requests over the year; about ten events each. */
  readonly tickets: number
  readonly seed: number
}

/** Deterministic uuid v7-shaped ids: the store keeps event ids as uuid. */
const sequentialIds = () => {
  let next = 0
  return () => `00000000-0000-7000-8000-${String(++next).padStart(12, '0')}`
}

/**
 * Appends recorded events (from another log, or generated) to a store in their order: consecutive
 * events of one stream in one append, as the command that decided them would have. `before` is
 * told each batch's occurrence instant before it is appended, so a store's clock can follow it.
 */
export const recordEvents = async (
  storage: PostgresStorage,
  events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
  before: (recorded: number, at: Instant) => void = () => undefined,
): Promise<E.Either<string, number>> => {
  const log = postgresEventStore(ledgerEvents, storage)
  let recorded = 0
  for (let i = 0; i < events.length; ) {
    const first = events[i]!
    const batch: Array<NewEvent<LedgerEvent>> = []
    while (i < events.length && events[i]!.streamId === first.streamId) {
      const e = events[i]!
      batch.push({ event: { type: e.type, data: e.data } as LedgerEvent, metadata: { actor: e.metadata.actor, at: e.metadata.at } })
      i++
    }
    before(recorded, first.metadata.at)
    // Stored with their contract, as the ledger's handlers store them, so that per-contract reads find them.
    const contractId = contractOfStream(first.streamId)
    const expectedVersion = first.streamVersion === 1 ? 'no-stream' : first.streamVersion - 1
    const appended = await log.append(first.streamId, batch, contractId === undefined ? { expectedVersion } : { expectedVersion, contractId })()
    if (E.isLeft(appended)) return E.left(`recording ${first.streamId}: ${appended.left.message}`)
    recorded += batch.length
  }
  before(recorded, events[events.length - 1]?.metadata.at ?? ('1970-01-01T00:00:00.000Z' as Instant))
  return E.right(recorded)
}

export const demoCommand = async (ctx: CliContext, options: DemoOptions): Promise<E.Either<CliFailure, CommandResult>> => {
  if (!Number.isInteger(options.tickets) || options.tickets < 1 || options.tickets > 100_000) {
    return E.left(cliFailure(ExitCode.usage, `--tickets ${options.tickets}: expected a whole number from 1 to 100000`))
  }
  const outDir = resolve(options.outDir)
  const dataDir = join(outDir, 'store')
  // Only a folder this command made is removed: an embedded store has PG_VERSION at its top.
  if (existsSync(dataDir)) {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) return E.left(cliFailure(ExitCode.usage, `${dataDir} exists and is not a store the demo made: choose another --out`))
    await rm(dataDir, { recursive: true, force: true })
  }
  const year = exampleLedger({ tickets: options.tickets, seed: options.seed })
  // Each event is recorded at the instant it happened, as a live system would have recorded it.
  let recordedAt: Instant = year.events[0]?.metadata.at ?? year.asOf
  const opened = await openStore({ dataDir, schema: ctx.store.schema }, { storage: { clock: () => recordedAt, newEventId: sequentialIds(), groupCommit: false } })
  if (E.isLeft(opened)) return opened
  const store = opened.right
  const bar = progress(ctx.progress)
  try {
    bar.start('demo: recording a year of the contract', year.events.length)
    const recorded = await recordEvents(store.storage, year.events, (done, at) => {
      recordedAt = at
      bar.update(done)
    })
    if (E.isLeft(recorded)) return E.left(cliFailure(ExitCode.storeUnavailable, `demo: ${recorded.left}`))
  } finally {
    bar.stop()
    await store.close()
  }

  // The reports, through the same command a user runs, on the store just written.
  const demoCtx: CliContext = { ...ctx, store: { dataDir, schema: ctx.store.schema }, progress: { ...ctx.progress, quiet: true } }
  const contract = year.terms.contractId
  const files: string[] = []
  const summary: string[] = []
  const runs: ReadonlyArray<readonly [ReportFormat, ReportLanguage]> = [
    ['html', 'ru'],
    ['html', 'kk'],
    ['html', 'en'],
    ['md', 'en'],
    ['json', 'en'],
    ['csv', 'en'],
  ]
  for (const [format, language] of runs) {
    const made = await reportCommand(demoCtx, { contract, period: 'contract-to-date', asOf: year.asOf, format, language, outDir: join(outDir, 'reports'), failOnBreach: false })
    if (E.isLeft(made)) return made
    const json = made.right.json as { readonly file: string; readonly met: number; readonly breached: number; readonly pending: number }
    files.push(json.file)
    if (summary.length === 0) summary.push(`contract ${contract}, the year to ${year.asOf}: ${json.met} met, ${json.breached} breached, ${json.pending} pending`)
  }
  const open = files[0] ?? ''
  return done(
    [
      `demo: ${year.events.length} events recorded in the embedded store in ${dataDir}`,
      ...summary,
      ...files.map((f) => `wrote ${f}`),
      `try: support-ledger --data-dir ${dataDir} verify   (or schedule, report --contract ${contract})`,
      `open ${open}`,
    ],
    { events: year.events.length, dataDir, contract, asOf: year.asOf, files, open },
  )
}
