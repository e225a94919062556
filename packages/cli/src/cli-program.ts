/** The `support-ledger` program: commander parses the line, each command returns an exit status. */
import { instantOf, type Instant } from '@support-ledger/core'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { resolve } from 'node:path'
import { readCliConfig, ReportFormat, ReportLanguage, secretsFrom, type CliConfig } from './cli-config.js'
import type { CliContext, CliIo, CommandResult } from './cli-context.js'
import { DEFAULT_DATA_DIR } from './cli-store.js'
import { demoCommand } from './demo-command.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'
import { migrateCommand } from './migrate-command.js'
import { reportCommand } from './report-command.js'
import { scheduleCommand } from './schedule-command.js'
import { syncCommand } from './sync-command.js'
import { verifyCommand } from './verify-command.js'

const DEFAULT_CONFIG = 'support-ledger.json'

const EXIT_CODES = `
Exit status:
  0   ok
  1   a check failed: verification found problems, --fail-on-breach found breaches, a write or a mail was dead-lettered
  2   usage or configuration error (nothing was read or written)
  3   the store is unavailable (server down, DATABASE_URL wrong, schema not migrated)
  4   an external service (Redmine, the IMAP or SMTP server) is unavailable or refused the setup
  5   not found (no such contract by the as-of instant, nothing to seal)
  70  internal error

Environment:
  DATABASE_URL      a PostgreSQL server; without it, the embedded store in --data-dir
  REDMINE_API_KEY   the Redmine key for sync (never in the configuration file)
  IMAP_PASSWORD     the password of mail.imap.user for sync
  SMTP_PASSWORD     the password of mail.smtp.user for sync`

interface GlobalOptions {
  readonly config?: string
  readonly dataDir?: string
  readonly schema?: string
  readonly json?: boolean
}

const positiveNumber = (name: string) => (value: string): number => {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name}: expected a positive number`)
  return n
}

const instant = (value: string): Instant => {
  const ms = Date.parse(value)
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new InvalidArgumentError('expected an ISO-8601 instant, e.g. 2025-04-15T10:30:00+05:00')
  return instantOf(ms)
}

/** Prints a result or a failure in the mode asked for and gives the exit status. */
const finish = (ctx: Pick<CliContext, 'json' | 'io'>, result: E.Either<CliFailure, CommandResult>): number => {
  if (E.isLeft(result)) {
    if (ctx.json) ctx.io.out(JSON.stringify({ ok: false, exitCode: result.left.code, error: result.left.message }))
    else ctx.io.err(`support-ledger: ${result.left.message}`)
    return result.left.code
  }
  if (ctx.json) {
    if (result.right.json !== undefined) ctx.io.out(JSON.stringify({ ok: result.right.code === ExitCode.ok, exitCode: result.right.code, ...(result.right.json as object) }))
  } else for (const line of result.right.lines) ctx.io.out(line)
  return result.right.code
}

/** Runs the program on `argv` (without `node` and the script) and resolves to the exit status. */
export const runCli = async (argv: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  let status: number = ExitCode.ok
  const program = new Command('support-ledger')
  program
    .description('The record of a software support contract: migrate the store, write reports, verify the log, list what falls due, sync with Redmine and mail.')
    .version('0.1.0')
    .option('-c, --config <file>', `configuration file (JSON); default ./${DEFAULT_CONFIG} if present`)
    .option('--data-dir <dir>', `the embedded store's folder when DATABASE_URL is not set (default ${DEFAULT_DATA_DIR})`)
    .option('--schema <name>', 'the PostgreSQL schema (default support_ledger)')
    .option('--json', 'print one JSON object per command on stdout, no progress, for scripts')
    .showHelpAfterError()
    .addHelpText('after', EXIT_CODES)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })

  /** The context of a command: the configuration file read and checked before anything else. */
  const context = async (): Promise<E.Either<CliFailure, CliContext>> => {
    const global = program.opts<GlobalOptions>()
    const config = await readCliConfig(resolve(global.config ?? DEFAULT_CONFIG), global.config !== undefined)
    if (E.isLeft(config)) return E.left(cliFailure(ExitCode.usage, config.left.message))
    const json = global.json === true
    const c: CliConfig = config.right
    const secrets = secretsFrom(io.env)
    return E.right({
      config: c,
      secrets,
      json,
      io,
      store: {
        ...(secrets.databaseUrl === undefined ? {} : { databaseUrl: secrets.databaseUrl }),
        dataDir: global.dataDir ?? c.store?.dataDir ?? io.env.PGLITE_DIR ?? DEFAULT_DATA_DIR,
        schema: global.schema ?? c.store?.schema ?? 'support_ledger',
      },
      progress: { bar: io.stdoutIsTty && !json, quiet: json, line: io.err },
      now: () => instantOf(Date.now()),
    })
  }
  const run = (work: (ctx: CliContext) => Promise<E.Either<CliFailure, CommandResult>>) => async () => {
    const ctx = await context()
    status = E.isLeft(ctx) ? finish({ json: program.opts<GlobalOptions>().json === true, io }, ctx) : finish(ctx.right, await work(ctx.right))
  }

  program
    .command('migrate')
    .description('Create or update the store schema (on a server; the embedded store migrates itself on every open).')
    .addHelpText('after', EXIT_CODES)
    .action(run((ctx) => migrateCommand(ctx)))

  program
    .command('report')
    .description('Write a contract\'s compliance report for a period.')
    .option('--contract <id>', 'the contract (default: "contract" in the configuration file)')
    .option('--period <period>', 'a quarter (2025-Q1), a month (2025-03) or contract-to-date', 'contract-to-date')
    .option('--as-of <instant>', 'what the record held at this instant (default now)', instant)
    .addOption(new Option('--format <format>', 'html, md (Markdown), json, or csv (one row per verdict)').choices(Object.keys(ReportFormat.keys)))
    .addOption(
      new Option('--language <language>', 'ru, kk or en: every label of the report in that language').choices(Object.keys(ReportLanguage.keys)),
    )
    .option('-o, --out <path>', 'a file, a folder ending in /, or - for stdout (default: a file in report.outDir, or ./out)')
    .option('--fail-on-breach', 'exit with 1 when any obligation of the period is breached')
    .option('--no-trend', 'HTML: leave out the trend over the contract\'s quarters (one more report per quarter, built from the same read of the events)')
    .addHelpText('after', EXIT_CODES)
    .action((opts: { contract?: string; period: string; asOf?: Instant; format?: ReportFormat; language?: ReportLanguage; out?: string; failOnBreach?: boolean; trend: boolean }) =>
      run(async (ctx) => {
        const contract = opts.contract ?? ctx.config.contract
        if (contract === undefined) return E.left(cliFailure(ExitCode.usage, 'report: --contract is required (or "contract" in the configuration file)'))
        return reportCommand(ctx, {
          contract,
          period: opts.period,
          asOf: opts.asOf ?? ctx.now(),
          format: opts.format ?? ctx.config.report?.format ?? 'html',
          language: opts.language ?? ctx.config.report?.language ?? 'ru',
          ...(opts.out === undefined ? {} : { out: opts.out }),
          outDir: ctx.config.report?.outDir ?? 'out',
          failOnBreach: opts.failOnBreach === true,
          trend: opts.trend,
        })
      })(),
    )

  program
    .command('verify')
    .description('Verify every stream\'s hash chain and every log seal; with --seal, that the log still matches a seal kept outside the database.')
    .option('--seal <file>', 'a kept seal line (as written by --write-seal) to check the log against')
    .option('--write-seal <file>', 'seal the log now and write the latest seal line to this file, to keep elsewhere')
    .addHelpText('after', EXIT_CODES)
    .action((opts: { seal?: string; writeSeal?: string }) =>
      run((ctx) => verifyCommand(ctx, { ...(opts.seal === undefined ? {} : { seal: opts.seal }), ...(opts.writeSeal === undefined ? {} : { writeSeal: opts.writeSeal }) }))(),
    )

  program
    .command('schedule')
    .description('List what falls due, or crosses a warning threshold, in the next N hours (the schedule is brought up to date first).')
    .option('--hours <n>', 'the window, in hours (default: schedule.hours in the configuration, or 24)', positiveNumber('--hours'))
    .option('--from <instant>', 'the start of the window (default now)', instant)
    .option('--contract <id>', 'only this contract')
    .addHelpText('after', EXIT_CODES)
    .action((opts: { hours?: number; from?: Instant; contract?: string }) =>
      run((ctx) =>
        scheduleCommand(ctx, {
          hours: opts.hours ?? ctx.config.schedule?.hours ?? 24,
          from: opts.from ?? ctx.now(),
          ...(opts.contract === undefined ? {} : { contract: opts.contract }),
        }),
      )(),
    )

  program
    .command('sync')
    .description(
      'One pass (or, with --loop, passes until interrupted): bring the obligation schedule up to date, then Redmine in and out when "redmine" is configured, then mail in and out when "mail" is configured.',
    )
    .option('--loop', 'repeat until SIGINT or SIGTERM')
    .option('--interval <seconds>', 'pause between passes of a loop (default: sync.intervalSeconds, else redmine.intervalSeconds, else 30)', positiveNumber('--interval'))
    .addHelpText('after', EXIT_CODES)
    .action((opts: { loop?: boolean; interval?: number }) =>
      run((ctx) => {
        let stopping = false
        const stop = () => {
          stopping = true
        }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
        return syncCommand(ctx, { loop: opts.loop === true, intervalSeconds: opts.interval ?? ctx.config.sync?.intervalSeconds ?? ctx.config.redmine?.intervalSeconds ?? 30, stopping: () => stopping }).finally(() => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
        })
      })(),
    )

  program
    .command('demo')
    .description('Play a year of a support contract (Kazakhstan, 2025 calendar) into a fresh store, from Redmine and mail, and write its reports (ru, kk, en), failure reports, mails (.eml) and a Redmine CSV.')
    .option('-o, --out <dir>', 'where the embedded store and the files go (with DATABASE_URL, the events go to the schema <schema>_demo on the server)', 'support-ledger-demo')
    .addHelpText('after', EXIT_CODES)
    .action((opts: { out: string }) => run((ctx) => demoCommand(ctx, { outDir: opts.out }))())

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage
    }
    io.err(`support-ledger: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    return ExitCode.internal
  }
  return status
}
