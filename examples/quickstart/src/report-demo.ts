/** A quarter of a support contract on the in-memory store, then its compliance report and one failure report written as files. */
import {
  budgetDecider,
  budgetEvents,
  budgetStreamId,
  buildComplianceReport,
  commandHandler,
  contractDecider,
  contractEvents,
  contractStreamId,
  createCalendarRegistry,
  createInMemoryStorage,
  defaultSlaPolicy,
  deliveryDecider,
  deliveryEvents,
  deliveryStreamId,
  exampleCustomer,
  exampleRegistration,
  exampleSupplier,
  failureReportDocument,
  incidentDecider,
  incidentEvents,
  incidentStreamId,
  inMemoryEventStore,
  KAZAKHSTAN_CALENDAR,
  ledgerEvents,
  operationsDecider,
  operationsEvents,
  operationsStreamId,
  renderFailureReportHtml,
  renderFailureReportMarkdown,
  renderReportHtml,
  renderReportJson,
  termsAt,
  ticketDecider,
  ticketEvents,
  ticketStreamId,
  type Actor,
  type BudgetCommand,
  type ContractTerms,
  type ChangeId,
  type DeliveryId,
  type IncidentCommand,
  type IncidentEvent,
  type IncidentId,
  type Instant,
  type LocalDate,
  type OperationsCommand,
  type QuarterLabel,
  type RecordedEvent,
  type Sha256Hex,
  type TicketCommand,
  type TicketId,
  type Tiyn,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const customer = exampleCustomer
const supplier = exampleSupplier
const at = (iso: string) => new Date(iso).toISOString() as Instant
const meta = (actor: Actor, when: Instant) => ({ actor, occurredAt: when })

/** A command without what every command of the aggregate carries: who, when, under which terms, and the id. */
type Step<C, Id extends string = never> = C extends unknown ? Omit<C, 'actor' | 'at' | 'terms' | Id> : never
const envelope = (actor: Actor, when: string, terms: ContractTerms) => ({ actor, at: at(when), terms })

/** Decides and records; a refusal the script did not expect stops it. */
const must = async <T>(outcome: Promise<E.Either<{ readonly message: string }, T>>): Promise<T> => {
  const r = await outcome
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

export async function reportDemo(outDir: string, log: (line: string) => void): Promise<void> {
  // Times are Almaty wall clock: UTC+6 until 1 March 2024, UTC+5 since.
  // One storage, as one database would be; each aggregate reads and writes it through its own catalog.
  // The store's clock and ids are fixed here so that two runs write the same files; a real store makes uuid v7 ids.
  let nextId = 0
  const storage = createInMemoryStorage({ clock: () => at('2024-04-15T00:00:00Z'), newEventId: () => `demo-${String(++nextId).padStart(4, '0')}` })
  const contracts = commandHandler(inMemoryEventStore(contractEvents, storage), contractDecider)
  const tickets = commandHandler(inMemoryEventStore(ticketEvents, storage), ticketDecider)
  const incidents = commandHandler(inMemoryEventStore(incidentEvents, storage), incidentDecider)
  const budget = commandHandler(inMemoryEventStore(budgetEvents, storage), budgetDecider)
  const deliveries = commandHandler(inMemoryEventStore(deliveryEvents, storage), deliveryDecider)
  const operations = commandHandler(inMemoryEventStore(operationsEvents, storage), operationsDecider)

  const registration = exampleRegistration({ term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } })
  const registered = await must(contracts(contractStreamId(registration.contractId), registration, meta(supplier, registration.at))())
  const terms = termsAt(registered.state, at('2024-01-01T00:00:00Z'))
  if (terms === undefined) throw new Error('the contract has no terms')
  log(`report: contract ${terms.contractId} registered, value ${terms.value / 100} KZT, cap ${terms.customizationCapBps / 100}%`)

  // Requests: one defect answered in time, one whose deadline came late, one consultation.
  const ticket = (id: string, actor: Actor, when: string, rest: Step<TicketCommand, 'ticketId'>): TicketCommand =>
    ({ ticketId: id as TicketId, ...envelope(actor, when, terms), ...rest }) as TicketCommand
  const t = (id: string, command: TicketCommand) => must(tickets(ticketStreamId(id), command, meta(command.actor, command.at))())
  const filing = { kind: 'defect', priority: 'normal', channel: 'redmine', subject: 'Payroll report fails', slaPolicy: defaultSlaPolicy } as const
  await t('T-1', ticket('T-1', customer, '2024-01-10T10:00:00+06:00', { type: 'FileRequest', ...filing, receivedAt: at('2024-01-10T10:00:00+06:00') }))
  await t('T-1', ticket('T-1', supplier, '2024-01-10T11:00:00+06:00', { type: 'ProposeDeadline', deadline: at('2024-01-12T18:00:00+06:00') }))
  await t('T-1', ticket('T-1', customer, '2024-01-10T11:30:00+06:00', { type: 'AgreeDeadline', deadline: at('2024-01-12T18:00:00+06:00') }))
  await t('T-1', ticket('T-1', supplier, '2024-01-11T16:00:00+06:00', { type: 'DeliverResult', deliveryId: 'R1', summary: 'query fixed' }))
  await t('T-1', ticket('T-1', customer, '2024-01-12T10:00:00+06:00', { type: 'AcceptResult', deliveryId: 'R1' }))
  await t('T-2', ticket('T-2', customer, '2024-01-15T09:00:00+06:00', { type: 'FileRequest', ...filing, subject: 'Slow login', receivedAt: at('2024-01-15T09:00:00+06:00') }))
  await t('T-2', ticket('T-2', supplier, '2024-01-15T12:10:00+06:00', { type: 'ProposeDeadline', deadline: at('2024-01-19T18:00:00+06:00') }))
  await t('T-3', ticket('T-3', customer, '2024-02-01T15:00:00+06:00', { type: 'FileRequest', ...filing, kind: 'consultation', subject: 'How to export?', receivedAt: at('2024-02-01T15:00:00+06:00') }))
  await t('T-3', ticket('T-3', supplier, '2024-02-01T15:40:00+06:00', { type: 'DeliverResult', deliveryId: 'R1', summary: 'Use Reports > Export' }))
  log('report: three requests filed; T-2 got its deadline 3 h 10 min after receipt')

  // A failure: on-site demand, arrival, restoration, a report returned once and then accepted.
  const incidentId = 'INC-1' as IncidentId
  const i = (actor: Actor, when: string, rest: Step<IncidentCommand, 'incidentId'>) =>
    must(incidents(incidentStreamId(incidentId), { incidentId, ...envelope(actor, when, terms), ...rest } as IncidentCommand, meta(actor, at(when)))())
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
  await i(customer, '2024-02-05T09:00:00+06:00', { type: 'ReportFailure', summary: 'Application server down', site: 'Almaty data centre' })
  await i(customer, '2024-02-05T09:05:00+06:00', { type: 'DemandOnSite', site: 'Almaty data centre' })
  await i(supplier, '2024-02-05T11:20:00+06:00', { type: 'RecordEngineerArrival', engineer: 'daniyar' })
  await i(supplier, '2024-02-05T13:30:00+06:00', { type: 'RecordServiceRestored', note: 'volume freed, service restarted' })
  await i(supplier, '2024-02-07T17:00:00+06:00', { type: 'SubmitFailureReport', report: { ...report, preventiveMeasures: report.preventiveMeasures.slice(0, 1) } })
  await i(customer, '2024-02-08T10:00:00+06:00', { type: 'ReturnFailureReport', reason: 'We also want monitoring of the volume' })
  await i(supplier, '2024-02-08T16:00:00+06:00', { type: 'SubmitFailureReport', report })
  await i(customer, '2024-02-09T10:00:00+06:00', { type: 'AcceptFailureReport' })
  await i(supplier, '2024-02-09T10:30:00+06:00', { type: 'CloseIncident' })
  log('report: incident INC-1 restored in 4.5 h; its report was returned once, then accepted')

  // Customizations: one approved near the cap, a second refused because it would pass it.
  const b = (actor: Actor, when: string, rest: Step<BudgetCommand>) =>
    budget(budgetStreamId(terms.contractId), { ...envelope(actor, when, terms), ...rest } as BudgetCommand, meta(actor, at(when)))()
  await must(b(supplier, '2024-01-20T10:00:00+06:00', { type: 'EstimateChange', changeId: 'CH-1' as ChangeId, title: 'Tax form 910 export', amount: 1_300_000_000 as Tiyn }))
  await must(b(customer, '2024-01-22T10:00:00+06:00', { type: 'ApproveChange', changeId: 'CH-1' as ChangeId }))
  await must(b(supplier, '2024-02-20T10:00:00+06:00', { type: 'DeliverChange', changeId: 'CH-1' as ChangeId }))
  await must(b(customer, '2024-02-22T10:00:00+06:00', { type: 'AcceptChange', changeId: 'CH-1' as ChangeId }))
  await must(b(supplier, '2024-03-01T10:00:00+05:00', { type: 'EstimateChange', changeId: 'CH-2' as ChangeId, title: 'New dashboard', amount: 300_000_000 as Tiyn }))
  const refused = await b(customer, '2024-03-04T10:00:00+05:00', { type: 'ApproveChange', changeId: 'CH-2' as ChangeId })
  if (E.isLeft(refused) && refused.left._tag === 'CapExceeded') {
    log(`report: approving CH-2 is refused: ${refused.left._tag}, short by ${refused.left.shortfall / 100} KZT`)
  }

  // The first quarter's delivery into the software fund, with the accepted fix and customization.
  await must(deliveries(deliveryStreamId(terms.contractId), {
    type: 'RecordDelivery', deliveryId: 'D-2024-Q1' as DeliveryId, actor: supplier, at: at('2024-04-03T11:00:00+05:00'), terms,
    quarter: '2024-Q1' as QuarterLabel, version: '2.1.0', artifactSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' as Sha256Hex,
    changes: [{ kind: 'fix', id: 'T-1' }, { kind: 'customization', id: 'CH-1' }],
    acceptedChanges: [{ kind: 'fix', id: 'T-1', acceptedAt: at('2024-01-12T10:00:00+06:00') }, { kind: 'customization', id: 'CH-1', acceptedAt: at('2024-02-22T10:00:00+06:00') }],
  }, meta(supplier, at('2024-04-03T11:00:00+05:00')))())

  // Operations: archives for January and February only, daily backup checks, one stand.
  const o = (actor: Actor, when: string, rest: Step<OperationsCommand>) =>
    must(operations(operationsStreamId(terms.contractId), { ...envelope(actor, when, terms), ...rest } as OperationsCommand, meta(actor, at(when)))())
  await o(supplier, '2024-01-03T10:00:00+06:00', { type: 'RegisterTestStand', standId: 'QA', name: 'Quality assurance stand' })
  await o(supplier, '2024-01-31T20:00:00+06:00', { type: 'RecordArchive', archiveId: 'ARC-2024-01', database: 'main', sizeBytes: 41_000_000_000, sha256: 'a'.repeat(64) as Sha256Hex })
  await o(supplier, '2024-02-29T20:00:00+06:00', { type: 'RecordArchive', archiveId: 'ARC-2024-02', database: 'main', sizeBytes: 42_000_000_000, sha256: 'b'.repeat(64) as Sha256Hex })
  for (let day = 1; day <= 105; day++) {
    const when = new Date(Date.parse('2024-01-01T06:00:00Z') + (day - 1) * 86_400_000).toISOString()
    await o(supplier, when, { type: 'RecordBackupSyncCheck', checkId: `SYNC-${day}`, lastSyncedAt: at(new Date(Date.parse(when) - 20 * 60_000).toISOString()) })
  }
  await o(supplier, '2024-04-05T10:00:00+05:00', { type: 'RecordTestStandUpdate', standId: 'QA', version: '2.1.0' })

  // The report reads the whole log through one catalog of every event.
  const ledger = inMemoryEventStore(ledgerEvents, storage)
  const page = await must(ledger.readAll({ after: 0, limit: 100_000 })())
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) throw new Error(calendars.left.message)
  const compliance = buildComplianceReport({
    contractId: terms.contractId, events: page.events, asOf: at('2024-04-15T00:00:00+05:00'), period: { kind: 'quarter', quarter: '2024-Q1' }, calendars: calendars.right,
  })
  if (E.isLeft(compliance)) throw new Error(compliance.left.message)
  for (const s of compliance.right.obligations) {
    if (s.total > 0) log(`report: clause ${s.clause} ${s.obligation}: ${s.met} met, ${s.breached} breached, ${s.pending} pending`)
  }

  const incidentLog = page.events.filter((e): e is RecordedEvent<IncidentEvent> => e.streamId === incidentStreamId(incidentId))
  const document = failureReportDocument(incidentLog)
  if (document === undefined) throw new Error('no failure report was submitted')
  await mkdir(outDir, { recursive: true })
  const files: ReadonlyArray<readonly [string, string]> = [
    ['compliance-report-2024-Q1.en.html', renderReportHtml(compliance.right, 'en')],
    ['compliance-report-2024-Q1.ru.html', renderReportHtml(compliance.right, 'ru')],
    ['compliance-report-2024-Q1.json', renderReportJson(compliance.right)],
    ['failure-report-INC-1.ru.md', renderFailureReportMarkdown(document, 'ru')],
    ['failure-report-INC-1.ru.html', renderFailureReportHtml(document, 'ru')],
  ]
  for (const [name, content] of files) await writeFile(join(outDir, name), content, 'utf8')
  log(`report: wrote ${files.map(([name]) => name).join(', ')} to ${outDir}`)
}
