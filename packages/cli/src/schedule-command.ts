/**
 * `support-ledger schedule`: what falls due, or crosses a warning threshold, in the next N hours.
 * The schedule is a read model kept by a consumer; the command brings it up to the log's end first.
 */
import { addMillis, createCalendarRegistry, KAZAKHSTAN_CALENDAR, ledgerEvents, type Instant, type ScheduleAlarm } from '@support-ledger/core'
import { consumerCheckpoints, postgresEventStore, postgresObligationSchedule, type PostgresStorage } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import { done, withStore, type CliContext, type CommandResult } from './cli-context.js'
import { progress } from './cli-progress-line.js'
import { storeFailure } from './cli-store.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'

export interface ScheduleOptions {
  readonly hours: number
  readonly from: Instant
  readonly contract?: string
}

/** The log's last position after `after` (events not yet handled by the schedule), read page by page. */
const headAfter = async (storage: PostgresStorage, after: number): Promise<E.Either<{ readonly message: string }, number>> => {
  const log = postgresEventStore(ledgerEvents, storage)
  for (let position = after; ; ) {
    const page = await log.readAll({ after: position, limit: 5_000 })()
    if (E.isLeft(page)) return page
    if (page.right.events.length === 0) return E.right(position)
    position = page.right.next
  }
}

const checkpoint = async (storage: PostgresStorage, name: string): Promise<E.Either<{ readonly message: string }, number>> => {
  const rows = await consumerCheckpoints(storage, name)()
  return E.isLeft(rows) ? rows : E.right(rows.right.reduce((max, r) => Math.max(max, r.position), 0))
}

/** Runs the schedule's consumer until it has handled the log to its end; the progress shows how far it is. */
export const catchUpSchedule = async (ctx: CliContext, storage: PostgresStorage): Promise<E.Either<{ readonly message: string }, ReturnType<typeof postgresObligationSchedule>>> => {
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) return calendars
  const schedule = postgresObligationSchedule(storage, { calendars: calendars.right })
  const start = await checkpoint(storage, schedule.name)
  if (E.isLeft(start)) return start
  const head = await headAfter(storage, start.right)
  if (E.isLeft(head)) return head
  if (head.right <= start.right) return E.right(schedule)
  const bar = progress(ctx.progress)
  bar.start('schedule: catching up with the log', head.right - start.right)
  const consumer = schedule.start({ batchSize: 500, logger: () => undefined })
  try {
    for (;;) {
      const at = await checkpoint(storage, schedule.name)
      if (E.isLeft(at)) return at
      bar.update(Math.min(head.right, at.right) - start.right)
      if (at.right >= head.right) break
      const failed = await Promise.race([consumer.ended.then(() => 'stopped', (e: unknown) => String(e)), new Promise<undefined>((r) => setTimeout(() => r(undefined), 50))])
      if (failed !== undefined) return E.left({ message: `the schedule's consumer ${failed}` })
    }
  } finally {
    bar.stop()
    await consumer.stop()
  }
  return E.right(schedule)
}

const describe = (a: ScheduleAlarm): string => {
  const o = a.obligation
  const what = a.kind === 'due' ? 'falls due' : `reaches ${(a.bps ?? 0) / 100}% of its time`
  return `${a.at}  ${o.contractId}  ${o.subject.aggregate} ${o.subject.id}  clause ${o.clause} ${o.obligation}  ${what}`
}

export const scheduleCommand = async (ctx: CliContext, options: ScheduleOptions): Promise<E.Either<CliFailure, CommandResult>> => {
  if (!Number.isFinite(options.hours) || options.hours <= 0) return E.left(cliFailure(ExitCode.usage, `--hours ${options.hours}: expected a positive number of hours`))
  return withStore(ctx, async (store) => {
    const schedule = await catchUpSchedule(ctx, store.storage)
    if (E.isLeft(schedule)) return E.left(storeFailure(store, schedule.left.message))
    const to = addMillis(options.from, options.hours * 3_600_000)
    const alarms = await schedule.right.alarmsBetween({ from: options.from, to })()
    if (E.isLeft(alarms)) return E.left(storeFailure(store, alarms.left.message))
    const shown = alarms.right.filter((a) => options.contract === undefined || a.obligation.contractId === options.contract)
    const lines = [
      `from ${options.from} to ${to}${options.contract === undefined ? '' : `, contract ${options.contract}`}: ${shown.length} alarm(s)`,
      ...shown.map(describe),
    ]
    return done(lines, {
      from: options.from,
      to,
      alarms: shown.map((a) => ({
        at: a.at,
        kind: a.kind,
        ...(a.bps === undefined ? {} : { bps: a.bps }),
        contract: a.obligation.contractId,
        subject: a.obligation.subject,
        clause: a.obligation.clause,
        obligation: a.obligation.obligation,
        dueAt: a.obligation.dueAt,
      })),
    })
  })
}
