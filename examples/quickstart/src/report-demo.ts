/** A quarter of a support contract on the in-memory store, then its compliance report and one failure report written as files. */
import {
  contractLedger,
  createCalendarRegistry,
  exampleCountersignature,
  exampleCustomer,
  exampleRegistration,
  exampleSupplier,
  failureReportDocument,
  incidentStreamId,
  KAZAKHSTAN_CALENDAR,
  renderFailureReportHtml,
  renderFailureReportMarkdown,
  renderReportHtml,
  renderReportJson,
  type ChangeId,
  type ContractId,
  type DeliveryId,
  type IncidentEvent,
  type IncidentId,
  type Instant,
  type LocalDate,
  type QuarterLabel,
  type RecordedEvent,
  type Sha256Hex,
  type TicketId,
  type Tiyn,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inMemoryDemoStorage, sequentialEventIds, type OpenDemoStorage } from './demo-storage.js'

const customer = exampleCustomer
const supplier = exampleSupplier
// Times are Almaty wall clock: UTC+6 until 1 March 2024, UTC+5 since.
const at = (iso: string) => new Date(iso).toISOString() as Instant

/** Runs a step; a refusal the script did not expect stops it. */
const must = async <T>(outcome: Promise<E.Either<{ readonly message: string }, T>>): Promise<T> => {
  const r = await outcome
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

export async function reportDemo(outDir: string, log: (line: string) => void, openStorage: OpenDemoStorage = inMemoryDemoStorage): Promise<void> {
  // One storage, as one database would be. The store's clock and ids are fixed here so that two runs
  // write the same files; a real store makes uuid v7 ids from its clock.
  const storage = await openStorage('report', { clock: () => at('2024-04-15T00:00:00Z'), newEventId: sequentialEventIds() })
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) throw new Error(calendars.left.message)
  const ledger = contractLedger({ storeFor: storage.storeFor, calendars: calendars.right })

  const registration = exampleRegistration({ term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } })
  const contractId: ContractId = registration.contractId
  // The supplier proposes the terms and the customer countersigns: both sign everything, amendments too.
  await must(ledger.contracts.handle(registration)())
  await must(ledger.contracts.handle(exampleCountersignature())())
  log(`report: contract ${contractId} registered, value ${registration.value / 100} KZT, cap ${registration.customizationCapBps / 100}%`)

  // Requests: one defect answered in time, one whose deadline came late, one consultation.
  const ticket = (id: string) => ({ contractId, ticketId: id as TicketId })
  const filing = { kind: 'defect', priority: 'normal', channel: 'redmine', subject: 'Payroll report fails' } as const
  const t = ledger.tickets.handle
  await must(t({ type: 'FileRequest', ...ticket('T-1'), ...filing, actor: customer, at: at('2024-01-10T10:00:00+06:00'), receivedAt: at('2024-01-10T10:00:00+06:00') })())
  await must(t({ type: 'ProposeDeadline', ...ticket('T-1'), actor: supplier, at: at('2024-01-10T11:00:00+06:00'), deadline: at('2024-01-12T18:00:00+06:00') })())
  await must(t({ type: 'AgreeDeadline', ...ticket('T-1'), actor: customer, at: at('2024-01-10T11:30:00+06:00'), deadline: at('2024-01-12T18:00:00+06:00') })())
  await must(t({ type: 'DeliverResult', ...ticket('T-1'), actor: supplier, at: at('2024-01-11T16:00:00+06:00'), deliveryId: 'R1', summary: 'query fixed' })())
  await must(t({ type: 'AcceptResult', ...ticket('T-1'), actor: customer, at: at('2024-01-12T10:00:00+06:00'), deliveryId: 'R1' })())
  await must(t({ type: 'FileRequest', ...ticket('T-2'), ...filing, subject: 'Slow login', actor: customer, at: at('2024-01-15T09:00:00+06:00'), receivedAt: at('2024-01-15T09:00:00+06:00') })())
  await must(t({ type: 'ProposeDeadline', ...ticket('T-2'), actor: supplier, at: at('2024-01-15T12:10:00+06:00'), deadline: at('2024-01-19T18:00:00+06:00') })())
  await must(t({ type: 'FileRequest', ...ticket('T-3'), ...filing, kind: 'consultation', subject: 'How to export?', actor: customer, at: at('2024-02-01T15:00:00+06:00'), receivedAt: at('2024-02-01T15:00:00+06:00') })())
  await must(t({ type: 'DeliverResult', ...ticket('T-3'), actor: supplier, at: at('2024-02-01T15:40:00+06:00'), deliveryId: 'R1', summary: 'Use Reports > Export' })())
  log('report: three requests filed; T-2 got its deadline 3 h 10 min after receipt')

  // A failure: on-site demand, arrival, restoration, a report returned once and then accepted.
  const incident = { contractId, incidentId: 'INC-1' as IncidentId }
  const report = {
    summary: 'The database volume filled up and the application server stopped.',
    rootCauses: ['Log rotation was disabled during the January upgrade'],
    preventiveMeasures: ['Re-enable log rotation and add it to the upgrade checklist', 'Alert when the volume is 80% full'],
    timeline: [
      { at: at('2024-02-05T08:40:00+06:00'), what: 'Writes start failing' },
      { at: at('2024-02-05T09:00:00+06:00'), what: 'The customer reports the failure and asks for an engineer' },
      { at: at('2024-02-05T13:30:00+06:00'), what: 'Logs archived, volume freed, service restarted' },
    ],
  }
  const i = ledger.incidents.handle
  await must(i({ type: 'ReportFailure', ...incident, actor: customer, at: at('2024-02-05T09:00:00+06:00'), summary: 'Application server down', site: 'Almaty data centre' })())
  await must(i({ type: 'DemandOnSite', ...incident, actor: customer, at: at('2024-02-05T09:05:00+06:00'), site: 'Almaty data centre' })())
  await must(i({ type: 'RecordEngineerArrival', ...incident, actor: supplier, at: at('2024-02-05T11:20:00+06:00'), engineer: 'daniyar' })())
  await must(i({ type: 'RecordServiceRestored', ...incident, actor: supplier, at: at('2024-02-05T13:30:00+06:00'), note: 'volume freed, service restarted' })())
  await must(i({ type: 'SubmitFailureReport', ...incident, actor: supplier, at: at('2024-02-07T17:00:00+06:00'), report: { ...report, preventiveMeasures: report.preventiveMeasures.slice(0, 1) } })())
  await must(i({ type: 'ReturnFailureReport', ...incident, actor: customer, at: at('2024-02-08T10:00:00+06:00'), reason: 'We also want monitoring of the volume' })())
  await must(i({ type: 'SubmitFailureReport', ...incident, actor: supplier, at: at('2024-02-08T16:00:00+06:00'), report })())
  await must(i({ type: 'AcceptFailureReport', ...incident, actor: customer, at: at('2024-02-09T10:00:00+06:00') })())
  await must(i({ type: 'CloseIncident', ...incident, actor: supplier, at: at('2024-02-09T10:30:00+06:00') })())
  log('report: incident INC-1 restored in 4.5 h; its report was returned once, then accepted')

  // Customizations: one approved near the cap, a second refused because it would pass it.
  const b = ledger.budget.handle
  const change = (id: string) => ({ contractId, changeId: id as ChangeId })
  await must(b({ type: 'EstimateChange', ...change('CH-1'), actor: supplier, at: at('2024-01-20T10:00:00+06:00'), title: 'Tax form 910 export', amount: 1_300_000_000 as Tiyn })())
  await must(b({ type: 'ApproveChange', ...change('CH-1'), actor: customer, at: at('2024-01-22T10:00:00+06:00') })())
  await must(b({ type: 'DeliverChange', ...change('CH-1'), actor: supplier, at: at('2024-02-20T10:00:00+06:00') })())
  await must(b({ type: 'AcceptChange', ...change('CH-1'), actor: customer, at: at('2024-02-22T10:00:00+06:00') })())
  await must(b({ type: 'EstimateChange', ...change('CH-2'), actor: supplier, at: at('2024-03-01T10:00:00+05:00'), title: 'New dashboard', amount: 300_000_000 as Tiyn })())
  const refused = await b({ type: 'ApproveChange', ...change('CH-2'), actor: customer, at: at('2024-03-04T10:00:00+05:00') })()
  if (E.isLeft(refused) && refused.left._tag === 'CapExceeded') {
    log(`report: approving CH-2 is refused: ${refused.left._tag}, short by ${refused.left.shortfall / 100} KZT`)
  }

  // The first quarter's delivery into the software fund; the ledger works out that T-1 and CH-1 must be in it.
  await must(ledger.deliveries.handle({
    type: 'RecordDelivery', contractId, deliveryId: 'D-2024-Q1' as DeliveryId, actor: supplier, at: at('2024-04-03T11:00:00+05:00'),
    quarter: '2024-Q1' as QuarterLabel, version: '2.1.0', artifactSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' as Sha256Hex,
    changes: [{ kind: 'fix', id: 'T-1' }, { kind: 'customization', id: 'CH-1' }],
  })())

  // Operations: archives for January and February only, daily backup checks, one stand.
  const o = ledger.operations.handle
  await must(o({ type: 'RegisterTestStand', contractId, actor: supplier, at: at('2024-01-03T10:00:00+06:00'), standId: 'QA', name: 'Quality assurance stand' })())
  await must(o({ type: 'RecordArchive', contractId, actor: supplier, at: at('2024-01-31T20:00:00+06:00'), archiveId: 'ARC-2024-01', database: 'main', sizeBytes: 41_000_000_000, sha256: 'a'.repeat(64) as Sha256Hex })())
  await must(o({ type: 'RecordArchive', contractId, actor: supplier, at: at('2024-02-29T20:00:00+06:00'), archiveId: 'ARC-2024-02', database: 'main', sizeBytes: 42_000_000_000, sha256: 'b'.repeat(64) as Sha256Hex })())
  for (let day = 1; day <= 105; day++) {
    const when = Date.parse('2024-01-01T06:00:00Z') + (day - 1) * 86_400_000
    await must(o({ type: 'RecordBackupSyncCheck', contractId, actor: supplier, at: at(new Date(when).toISOString()), checkId: `SYNC-${day}`, lastSyncedAt: at(new Date(when - 20 * 60_000).toISOString()) })())
  }
  await must(o({ type: 'RecordTestStandUpdate', contractId, actor: supplier, at: at('2024-04-05T10:00:00+05:00'), standId: 'QA', version: '2.1.0' })())

  const compliance = await must(ledger.report({ contractId, asOf: at('2024-04-15T00:00:00+05:00'), period: { kind: 'quarter', quarter: '2024-Q1' } })())
  for (const s of compliance.obligations) {
    if (s.total > 0) log(`report: clause ${s.clause} ${s.obligation}: ${s.met} met, ${s.breached} breached, ${s.pending} pending`)
  }

  const all = await must(ledger.events()())
  await storage.close()
  const document = failureReportDocument(all.filter((e): e is RecordedEvent<IncidentEvent> => e.streamId === incidentStreamId(contractId, incident.incidentId)))
  if (document === undefined) throw new Error('no failure report was submitted')
  await mkdir(outDir, { recursive: true })
  const files: ReadonlyArray<readonly [string, string]> = [
    ['compliance-report-2024-Q1.en.html', renderReportHtml(compliance, 'en')],
    ['compliance-report-2024-Q1.ru.html', renderReportHtml(compliance, 'ru')],
    ['compliance-report-2024-Q1.json', renderReportJson(compliance)],
    ['failure-report-INC-1.en.md', renderFailureReportMarkdown(document, 'en')],
    ['failure-report-INC-1.en.html', renderFailureReportHtml(document, 'en')],
    ['failure-report-INC-1.ru.md', renderFailureReportMarkdown(document, 'ru')],
    ['failure-report-INC-1.ru.html', renderFailureReportHtml(document, 'ru')],
  ]
  for (const [name, content] of files) await writeFile(join(outDir, name), content, 'utf8')
  log(`report: wrote ${files.map(([name]) => name).join(', ')} to ${outDir}`)
}
