/**
 * Plays the demo's year into a store: each step of the scenario at its instant (the store's clock
 * and ids follow the scenario, never the machine), Redmine's issues through the Redmine import, the
 * mails through the mail intake, and the library's own mails written as `.eml` files on the way.
 */
import {
  createInMemoryStorage,
  failureReportDocument,
  inMemoryEventStore,
  incidentStreamId,
  renderFailureReportHtml,
  renderFailureReportMarkdown,
  type ComplianceReport,
  type ContractId,
  type IncidentEvent,
  type IncidentId,
  type Instant,
  type LedgerEvent,
  type RecordedEvent,
} from '@support-ledger/core'
import { ticketIdOfMessage } from '@support-ledger/email'
import type { PostgresStorage } from '@support-ledger/postgres'
import { csvField, parseCsv, redmineCsv, redmineImportEvents } from '@support-ledger/redmine'
import * as E from 'fp-ts/lib/Either.js'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Progress } from './cli-progress-line.js'
import { demoLedger, type Refusal } from './demo-ledger.js'
import { demoMail, type DemoMail } from './demo-mail.js'
import { recordedRedmine, type RecordedRedmine } from './demo-redmine.js'
import { demoScenario, type Scenario } from './demo-scenario.js'

// model

export interface DemoYearDeps {
  readonly storage: PostgresStorage
  /** Moves the store's clock: each event is recorded at the instant its step happens. */
  readonly setClock: (at: Instant) => void
  readonly clock: () => Instant
  readonly outDir: string
  readonly progress: Progress
}

/** What the year left: the record, its report as of the scenario's end, and what each channel did. */
export interface DemoYear {
  readonly scenario: Scenario
  readonly report: ComplianceReport
  readonly events: number
  readonly steps: number
  readonly redmine: { readonly filed: number; readonly applied: number }
  readonly mail: { readonly filed: number; readonly duplicate: number; readonly setAside: number; readonly sent: number }
  /** Steps the ledger refused, as the scenario expected. */
  readonly refusals: ReadonlyArray<{ readonly label: string; readonly tag: string; readonly message: string }>
  /** Files written, relative to the output folder. */
  readonly files: ReadonlyArray<string>
}

export const MAIL_DIR = 'mail'
export const FAILURE_REPORT_DIR = 'failure-reports'
export const REDMINE_DIR = 'redmine'

// constructors

const fail = (label: string, r: Refusal): Refusal => ({ _tag: r._tag, message: `${label}: ${r.message}` })

export const playDemoYear = async (deps: DemoYearDeps): Promise<E.Either<Refusal, DemoYear>> => {
  const scenario = demoScenario((messageId) => ticketIdOfMessage(messageId) as never)
  const { setClock, clock } = deps
  setClock(scenario.steps[0]!.at)
  const ledger = demoLedger(deps.storage, clock)
  if (E.isLeft(ledger)) return ledger
  const l = ledger.right

  let position = 0
  let mail: DemoMail | undefined
  let redmine: RecordedRedmine | undefined
  const counts = { redmineFiled: 0, redmineApplied: 0, mailFiled: 0, mailDuplicate: 0, mailSetAside: 0, sent: 0 }
  const refusals: Array<DemoYear['refusals'][number]> = []

  deps.progress.start('demo: recording a year of the contract', scenario.steps.length)
  try {
    for (const [i, step] of scenario.steps.entries()) {
      setClock(step.at)
      switch (step.by) {
        case 'ledger': {
          const r = await l.handle(step.command)
          if (E.isLeft(r) && r.left._tag !== step.refusal) return E.left(fail(step.label, r.left))
          if (E.isLeft(r)) refusals.push({ label: step.label, tag: r.left._tag, message: r.left.message })
          else if (step.refusal !== undefined) return E.left({ _tag: 'UnexpectedSuccess', message: `${step.label}: expected ${step.refusal}, but the ledger accepted it` })
          break
        }
        case 'redmine': {
          if (redmine === undefined) return E.left({ _tag: 'NotReady', message: `${step.label}: the contract is not in force yet` })
          const r = await redmine.import.poll()()
          if (E.isLeft(r)) return E.left(fail(step.label, r.left))
          if (r.right.rejected > 0) return E.left({ _tag: 'ImportRefused', message: `${step.label}: the import refused ${r.right.rejected} change(s)` })
          counts.redmineFiled += r.right.filed
          counts.redmineApplied += r.right.applied
          break
        }
        case 'mail': {
          if (mail === undefined) return E.left({ _tag: 'NotReady', message: `${step.label}: the contract is not in force yet` })
          const r = await mail.takeIn(step.mail, step.at)
          if (E.isLeft(r)) return E.left(fail(step.label, r.left))
          if (r.right === 'filed' || r.right === 'answered') counts.mailFiled++
          else if (r.right === 'duplicate') counts.mailDuplicate++
          else counts.mailSetAside++
          break
        }
      }
      // Once the contract is signed, the channels open.
      if (mail === undefined && step.by === 'ledger' && step.command.aggregate === 'contract' && step.command.command.type === 'CountersignContract') {
        const m = await demoMail(scenario, l, join(deps.outDir, MAIL_DIR), clock)
        if (E.isLeft(m)) return m
        mail = m.right
        // The import's own checkpoints stay in memory: the year's log holds the contract's events only.
        const record = inMemoryEventStore(redmineImportEvents, createInMemoryStorage({ clock }))
        const r = await recordedRedmine(scenario, l, { record, outbox: m.right.outbox, clock })
        if (E.isLeft(r)) return r
        redmine = r.right
      }
      // The library's mails about what this step recorded, sent at once.
      for (;;) {
        const page = await l.eventsAfter(position)
        if (E.isLeft(page)) return page
        if (page.right.events.length === 0) break
        position = page.right.next
        if (mail !== undefined) {
          const sent = await mail.send(page.right.events, step.at)
          if (E.isLeft(sent)) return E.left(fail(step.label, sent.left))
          counts.sent += sent.right
        }
      }
      deps.progress.update(i + 1)
    }
  } finally {
    deps.progress.stop()
    await mail?.close()
  }

  setClock(scenario.asOf)
  const report = await l.report(scenario.contractId, scenario.asOf, { kind: 'contract-to-date' })
  if (E.isLeft(report)) return report
  const all = await l.events()
  if (E.isLeft(all)) return all
  const files = await writeRecordFiles(deps.outDir, scenario, report.right, all.right, redmine?.mapping)
  return E.right({
    scenario,
    report: report.right,
    events: all.right.length,
    steps: scenario.steps.length,
    redmine: { filed: counts.redmineFiled, applied: counts.redmineApplied },
    mail: { filed: counts.mailFiled, duplicate: counts.mailDuplicate, setAside: counts.mailSetAside, sent: counts.sent },
    refusals,
    files,
  })
}

/** The failure reports and the Redmine CSV: what the record itself gives, beside the compliance report. */
const writeRecordFiles = async (
  outDir: string,
  scenario: Scenario,
  report: ComplianceReport,
  events: ReadonlyArray<RecordedEvent<LedgerEvent>>,
  mapping: Parameters<typeof redmineCsv>[0] | undefined,
): Promise<ReadonlyArray<string>> => {
  const files: Array<readonly [string, string]> = []
  for (const incident of report.incidents) {
    const streamId = incidentStreamId(report.contractId as ContractId, incident.incidentId as IncidentId)
    const document = failureReportDocument(events.filter((e): e is RecordedEvent<IncidentEvent> => e.streamId === streamId))
    if (document === undefined) continue
    for (const language of ['ru', 'en'] as const) {
      files.push([join(FAILURE_REPORT_DIR, `failure-report-${incident.incidentId}.${language}.md`), renderFailureReportMarkdown(document, language)])
      files.push([join(FAILURE_REPORT_DIR, `failure-report-${incident.incidentId}.${language}.html`), renderFailureReportHtml(document, language)])
    }
  }
  if (mapping !== undefined) files.push([join(REDMINE_DIR, `redmine-import-${scenario.contractId}.csv`), redmineCsvWithVerdicts(mapping, events, report)])
  for (const [name, content] of files) {
    await mkdir(join(outDir, name, '..'), { recursive: true })
    await writeFile(join(outDir, name), content, 'utf8')
  }
  return files.map(([name]) => name)
}

/** Redmine's import CSV of the contract's requests, with each request's SLA verdicts in two more columns. */
export const redmineCsvWithVerdicts = (mapping: Parameters<typeof redmineCsv>[0], events: ReadonlyArray<RecordedEvent<LedgerEvent>>, report: ComplianceReport): string => {
  const rows = parseCsv(redmineCsv(mapping, events, { contractId: report.contractId }))
  const verdictOf = (clauses: ReadonlyArray<number>) => {
    const bySubject = new Map<string, string>()
    for (const s of report.obligations) if (clauses.includes(s.clause)) for (const v of s.verdicts) bySubject.set(v.subject, v.verdict)
    return bySubject
  }
  const deadlineSet = verdictOf([2])
  const doneByDeadline = verdictOf([3, 4, 5])
  const [header, ...body] = rows
  const out = [
    [...(header ?? []), 'SLA: deadline set within 2 h (clause 2)', 'SLA: result by the agreed deadline (clauses 3-5)'],
    // The report names a request's verdicts `ticket <id>`; the first column is the id.
    ...body.map((r) => [...r, deadlineSet.get(`ticket ${r[0] ?? ''}`) ?? '', doneByDeadline.get(`ticket ${r[0] ?? ''}`) ?? '']),
  ]
  return out.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}
