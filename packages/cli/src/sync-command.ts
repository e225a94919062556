/**
 * `support-ledger sync`: one pass, or a loop, of the work that keeps the ledger and its windows in
 * step: the obligation schedule brought up to the log's end, then Redmine in and out (requests and
 * the customer's actions read in; deadlines, status, notes and SLA alarms written back), then mail
 * in and out (requests and answers from the mailbox; the mails of new events and of the schedule's
 * warnings and breaches sent through the outbox).
 */
import { contractLedger, createCalendarRegistry, incidentEvents, instantOf, KAZAKHSTAN_CALENDAR, ledgerEvents, ticketEvents, type ContractLedger, type ObligationSchedule } from '@support-ledger/core'
import { createPostgresStorage, migrate, postgresEventStore, postgresOutbox, postgresStores } from '@support-ledger/postgres'
import { redmineClient, redmineExport, redmineImport, redmineImportEvents, redmineOutboxHandler, redmineSync, resolveMapping, type SyncRound } from '@support-ledger/redmine'
import * as E from 'fp-ts/lib/Either.js'
import { done, withStore, type CliContext, type CommandResult } from './cli-context.js'
import type { OpenedStore } from './cli-store.js'
import { storeFailure } from './cli-store.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'
import { catchUpSchedule } from './schedule-command.js'
import { mailLine, mailSecretMissing, openMailSync, type MailPass, type MailSync } from './sync-mail.js'

export interface SyncOptions {
  readonly loop: boolean
  readonly intervalSeconds: number
  /** Stops a loop (SIGINT in the binary); checked between passes. */
  readonly stopping?: () => boolean
}

interface Pass {
  readonly schedule: 'caught up'
  readonly redmine: 'not configured' | { readonly imported: string; readonly enqueued: number; readonly delivered: number; readonly failed: SyncRound['failed'] }
  readonly mail: 'not configured' | MailPass
}

/** The Redmine side, set up once: the mapping is checked against the server before the first pass. */
const openRedmine = async (ctx: CliContext, store: OpenedStore, ledger: ContractLedger, schedule: () => ObligationSchedule | undefined) => {
  const redmine = ctx.config.redmine
  if (redmine === undefined) return E.right(undefined)
  const apiKey = ctx.secrets.redmineApiKey
  if (apiKey === undefined) return E.left(cliFailure(ExitCode.usage, 'redmine is configured but REDMINE_API_KEY is not set in the environment'))
  const client = redmineClient({ url: redmine.url, apiKey })
  const resolved = await resolveMapping(client, redmine.mapping)()
  // Typed errors carry no key: printing them is safe.
  if (E.isLeft(resolved)) return E.left(cliFailure(ExitCode.serviceUnavailable, `redmine ${redmine.url}: ${resolved.left._tag}: ${resolved.left.message}`))
  const clock = () => instantOf(Date.now())
  const source = new URL(redmine.url).host
  // The import's record is a log of its own: the ledger's log holds only ledger events, which every
  // reader of it (the report, the schedule, the export) decodes with the ledger's catalog.
  const recordSchema = `${ctx.store.schema}_redmine`.slice(0, 63)
  try {
    await migrate(store.storage.database.db, { schema: recordSchema })
  } catch (e) {
    return E.left(cliFailure(ExitCode.storeUnavailable, `cannot migrate schema ${recordSchema} in the ${store.where}: ${e instanceof Error ? e.message : String(e)}`))
  }
  const recordStorage = createPostgresStorage({ database: store.storage.database, schema: recordSchema })
  const record = postgresEventStore(redmineImportEvents, recordStorage)
  const outbox = postgresOutbox(store.storage)
  const ticketStore = postgresEventStore(ticketEvents, store.storage)
  const importer = redmineImport({ client, mapping: resolved.right, tickets: ledger.tickets, ticketEvents: ticketStore, record, outbox, source, clock })
  const exporter = redmineExport({ mapping: resolved.right, source, ticketEvents: ticketStore, incidentEvents: postgresEventStore(incidentEvents, store.storage) })
  return E.right({
    close: () => recordStorage.close(),
    round: () => {
      const s = schedule()
      return redmineSync({
        import: importer,
        export: exporter,
        log: postgresEventStore(ledgerEvents, store.storage),
        record,
        outbox,
        handler: redmineOutboxHandler(client, resolved.right),
        source,
        clock,
        owner: `support-ledger-cli-${process.pid}`,
        ...(s === undefined ? {} : { schedule: s }),
      }).round()
    },
  })
}

export const syncCommand = async (ctx: CliContext, options: SyncOptions): Promise<E.Either<CliFailure, CommandResult>> => {
  // A secret missing from the environment is a usage error: nothing is opened.
  const missing = mailSecretMissing(ctx)
  if (missing !== undefined) return E.left(missing)
  return withStore(ctx, async (store) => {
    let schedule: ObligationSchedule | undefined
    const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
    if (E.isLeft(calendars)) return E.left(cliFailure(ExitCode.internal, calendars.left.message))
    const ledger = contractLedger({ storeFor: postgresStores(store.storage), calendars: calendars.right })
    const redmine = await openRedmine(ctx, store, ledger, () => schedule)
    if (E.isLeft(redmine)) return redmine
    try {
      const mail = await openMailSync(ctx, store, ledger)
      if (E.isLeft(mail)) return mail
      try {
        return await passes(ctx, store, options, redmine.right, mail.right, (s) => {
          schedule = s
        })
      } finally {
        await mail.right?.close()
      }
    } finally {
      await redmine.right?.close()
    }
  })
}

const passes = async (
  ctx: CliContext,
  store: OpenedStore,
  options: SyncOptions,
  redmine: { readonly round: () => Promise<SyncRound> } | undefined,
  mail: MailSync | undefined,
  scheduled: (schedule: ObligationSchedule) => void,
): Promise<E.Either<CliFailure, CommandResult>> => {
  const made: Pass[] = []
  const lines: string[] = []
  for (;;) {
    // Mail in first, so that the schedule caught up next holds the requests it filed.
    const received = mail === undefined ? undefined : await mail.receive()
    const caughtUp = await catchUpSchedule(ctx, store.storage)
    if (E.isLeft(caughtUp)) return E.left(storeFailure(store, caughtUp.left.message))
    scheduled(caughtUp.right)
    let pass: Pass = { schedule: 'caught up', redmine: 'not configured', mail: 'not configured' }
    if (redmine !== undefined) {
      const r = await redmine.round()
      const imported = E.isLeft(r.imported) ? `stopped (${r.imported.left.message})` : JSON.stringify(r.imported.right)
      pass = { ...pass, redmine: { imported, enqueued: r.enqueued, delivered: r.delivered, failed: r.failed } }
    }
    if (mail !== undefined && received !== undefined) {
      const m = await mail.send(caughtUp.right, received)
      if (E.isLeft(m)) return m
      pass = { ...pass, mail: m.right }
    }
    made.push(pass)
    const redmineText =
      pass.redmine === 'not configured'
        ? 'redmine not configured'
        : `redmine imported ${pass.redmine.imported}, enqueued ${pass.redmine.enqueued}, delivered ${pass.redmine.delivered}, failed ${pass.redmine.failed.length}`
    const line = `${new Date().toISOString()} schedule caught up; ${redmineText}; ${pass.mail === 'not configured' ? 'mail not configured' : mailLine(pass.mail)}`
    if (options.loop && !ctx.json) ctx.io.out(line)
    else lines.push(line)
    if (!options.loop || options.stopping?.() === true) break
    await new Promise((r) => setTimeout(r, options.intervalSeconds * 1_000))
    if (options.stopping?.() === true) break
  }
  const failedWrites = made.flatMap((p) => (p.redmine === 'not configured' ? [] : p.redmine.failed))
  for (const f of failedWrites) lines.push(`  write ${f.id} ${f.dead ? 'dead-lettered' : 'will be retried'}: ${f.reason}`)
  const mails = made.flatMap((p) => (p.mail === 'not configured' ? [] : [p.mail]))
  const failedMails = mails.flatMap((m) => m.failed)
  for (const f of failedMails) lines.push(`  mail ${f.id} ${f.dead ? 'dead-lettered' : 'will be retried'}: ${f.reason}`)
  for (const r of mails.flatMap((m) => m.refused)) lines.push(`  mail refused: ${r}`)
  // A dead letter is a check that failed; a mailbox unreadable in the last pass is a service that did not answer.
  const last = mails[mails.length - 1]
  const code = failedWrites.some((f) => f.dead) || failedMails.some((f) => f.dead) ? ExitCode.checkFailed : last?.mailboxFailed !== undefined ? ExitCode.serviceUnavailable : ExitCode.ok
  return done(lines, { passes: made }, code)
}
