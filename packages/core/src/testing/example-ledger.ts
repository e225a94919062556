/** A generated year of a contract's record, decided by the real deciders: for the examples, the benchmark and the report's tests. */
import * as E from 'fp-ts/lib/Either.js'
import { budgetDecider } from '../budget/budget-decider.js'
import type { BudgetCommand } from '../budget/budget-commands.js'
import { budgetStreamId } from '../budget/budget-events.js'
import { type ChangeId, type IncidentId } from '../values/domain-ids.js'
import { countersignContract } from '../contract/contract-commands.js'
import { contractDecider, termsAt } from '../contract/contract-decider.js'
import { contractStreamId } from '../contract/contract-events.js'
import { exampleCustomer, exampleRegistration, exampleSupplier } from './contract-fixtures.js'
import type { ContractTerms } from '../contract/contract-terms.js'
import type { LocalDate } from '../values/local-date.js'
import type { Tiyn } from '../values/money.js'
import { deliveryDecider } from '../delivery/delivery-decider.js'
import type { DeliveryCommand } from '../delivery/delivery-commands.js'
import { deliveryStreamId, type AcceptedChange, type DeliveryId, type Sha256Hex } from '../delivery/delivery-events.js'
import { type QuarterLabel } from '../values/quarter-label.js'
import type { IncidentCommand } from '../incident/incident-commands.js'
import { incidentDecider } from '../incident/incident-decider.js'
import { incidentStreamId } from '../incident/incident-events.js'
import { fold, type Decider } from '../kernel/decider.js'
import { addMillis, type Instant } from '../kernel/instant.js'
import type { Actor, RecordedEvent } from '../kernel/recorded-event.js'
import type { OperationsCommand } from '../operations/operations-commands.js'
import { operationsDecider } from '../operations/operations-decider.js'
import { operationsStreamId } from '../operations/operations-events.js'
import { defaultSlaPolicy } from '../sla/sla-policy.js'
import type { TicketCommand } from '../ticket/ticket-commands.js'
import type { TicketId } from '../values/domain-ids.js'
import { ticketDecider } from '../ticket/ticket-decider.js'
import { ticketStreamId } from '../ticket/ticket-events.js'
import type { LedgerEvent } from '../report/ledger-events.js'

// model

/** How large a generated year is (`tickets`) and which seed makes it; the same options give the same events. */
export interface ExampleLedgerOptions {
  /** How many customer requests over the year; about ten events each. */
  readonly tickets: number
  /** Seed of the pseudo-random choices; the same seed gives the same record. */
  readonly seed?: number
}

/** A generated year of one contract: its recorded events, the contract id and the instant to report as of. */
export interface ExampleLedger {
  readonly terms: ContractTerms
  /** Every event, in the order recorded, with envelopes as a store would give them. */
  readonly events: ReadonlyArray<RecordedEvent<LedgerEvent>>
  /** An instant after the year's last event: the natural as-of instant for a report. */
  readonly asOf: Instant
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

// constructors

/** A small deterministic generator (mulberry32): the record must not depend on the machine or the run. */
const random = (seed: number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Decides commands stream by stream and records the events with envelopes: ids `<stream>/<version>`, positions in order. */
const recorder = () => {
  const events: Array<RecordedEvent<LedgerEvent>> = []
  const streams = new Map<string, { state: unknown; version: number }>()
  const run = <C extends { readonly at: Instant; readonly actor: Actor }, S, Ev extends LedgerEvent, Err extends { readonly message: string }>(
    decider: Decider<C, S, Ev, Err>,
    streamId: string,
    command: C,
  ): ReadonlyArray<Ev> => {
    const stream = streams.get(streamId) ?? { state: decider.initialState, version: 0 }
    const decided = decider.decide(command, stream.state as S)
    // A refusal here is a bug in the generator, not an expected failure of the domain.
    if (E.isLeft(decided)) throw new Error(`example ledger: ${streamId}: ${decided.left.message}`)
    let state = stream.state as S
    for (const event of decided.right) {
      state = decider.evolve(state, event)
      stream.version += 1
      events.push({
        ...event,
        streamId,
        streamVersion: stream.version,
        globalPosition: events.length + 1,
        eventId: `${streamId}/${stream.version}`,
        schemaVersion: 1,
        metadata: { actor: command.actor, at: command.at, recordedAt: command.at },
      } as unknown as RecordedEvent<LedgerEvent>)
    }
    streams.set(streamId, { state, version: stream.version })
    return decided.right
  }
  return { events, run }
}

/**
 * A year (2024) of contract `C-2024-001`: requests with deadline proposals, agreements,
 * questions, rejected and accepted results; incidents with failure reports; customizations
 * near the cap; four quarterly deliveries (one late); archives, backup checks, test stands
 * and a database move, with a few breaches of each so that every verdict appears.
 */
export const exampleLedger = (options: ExampleLedgerOptions): ExampleLedger => {
  const rnd = random(options.seed ?? 2024)
  const { events, run } = recorder()
  const customer = exampleCustomer
  const supplier = exampleSupplier
  const registration = exampleRegistration({ term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } })
  // The supplier proposes the terms, the customer countersigns them a day later.
  const signed = [
    ...run(contractDecider, contractStreamId(registration.contractId), registration),
    ...run(contractDecider, contractStreamId(registration.contractId), countersignContract({ contractId: registration.contractId, actor: customer, at: '2023-12-21T05:00:00.000Z' as Instant })),
  ]
  const terms = termsAt(fold(contractDecider, signed), '2024-01-01T00:00:00.000Z' as Instant) as ContractTerms
  const yearStart = Date.parse('2024-01-02T04:00:00.000Z')
  const at = (ms: number) => new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString() as Instant
  const accepted: AcceptedChange[] = []

  // Requests: spread over 350 days, each a few days long.
  const spacing = (350 * DAY) / Math.max(1, options.tickets)
  for (let i = 0; i < options.tickets; i++) {
    const ticketId = `T-${String(i + 1).padStart(6, '0')}` as TicketId
    const streamId = ticketStreamId(terms.contractId, ticketId)
    let now = yearStart + i * spacing
    const step = (ms: number) => at((now += ms))
    const base = (actor: Actor) => ({ ticketId, actor, terms })
    const kindRoll = rnd()
    const kind = kindRoll < 0.1 ? 'consultation' : kindRoll < 0.15 ? 'configuration' : 'defect'
    const filedAt = at(now)
    const t = (command: TicketCommand) => run(ticketDecider, streamId, command)
    t({ type: 'FileRequest', ...base(customer), at: filedAt, kind, priority: 'normal', channel: 'redmine', receivedAt: filedAt, subject: `Request ${i + 1}`, slaPolicy: defaultSlaPolicy })
    if (kind === 'consultation') {
      t({ type: 'DeliverResult', ...base(supplier), at: step(HOUR), deliveryId: 'R1', summary: 'answered' })
      t({ type: 'AcceptResult', ...base(customer), at: step(2 * HOUR), deliveryId: 'R1' })
      continue
    }
    if (rnd() < 0.5) t({ type: 'ChangePriority', ...base(customer), at: step(5 * MINUTE), priority: 'high' })
    let deadline = at(Date.parse(filedAt) + 3 * DAY)
    t({ type: 'ProposeDeadline', ...base(supplier), at: step(Math.floor(10 + rnd() * 125) * MINUTE), deadline })
    if (rnd() < 0.5) {
      t({ type: 'RejectDeadline', ...base(customer), at: step(10 * MINUTE), deadline, reason: 'too late for us' })
      deadline = at(Date.parse(filedAt) + 3 * DAY - HOUR)
      t({ type: 'ProposeDeadline', ...base(supplier), at: step(5 * MINUTE), deadline })
    }
    t({ type: 'AgreeDeadline', ...base(customer), at: step(15 * MINUTE), deadline })
    if (rnd() < 0.7) {
      t({ type: 'AskCustomer', ...base(supplier), at: step(30 * MINUTE), questionId: 'Q1', question: 'Which server?' })
      t({ type: 'AnswerQuestion', ...base(customer), at: step(HOUR), questionId: 'Q1', answer: 'The backup one.' })
    }
    if (rnd() < 0.3) {
      const moved = at(Date.parse(deadline) + DAY)
      t({ type: 'ProposeDeadlineChange', ...base(supplier), at: step(10 * MINUTE), deadline: moved, reason: 'waiting for a vendor patch' })
      t({ type: 'AgreeDeadlineChange', ...base(customer), at: step(10 * MINUTE), deadline: moved })
    }
    now = Math.max(now, Date.parse(filedAt) + Math.floor((1 + rnd() * 2.6) * DAY))
    t({ type: 'DeliverResult', ...base(supplier), at: step(MINUTE), deliveryId: 'R1', summary: 'fixed' })
    let last = 'R1'
    if (rnd() < 0.5) {
      t({ type: 'RejectResult', ...base(customer), at: step(HOUR), deliveryId: 'R1', reason: 'still fails' })
      t({ type: 'DeliverResult', ...base(supplier), at: step(3 * HOUR), deliveryId: 'R2', summary: 'fixed again' })
      last = 'R2'
    }
    const acceptedAt = step(2 * HOUR)
    t({ type: 'AcceptResult', ...base(customer), at: acceptedAt, deliveryId: last })
    if (kind === 'defect') accepted.push({ kind: 'fix', id: ticketId, acceptedAt })
  }

  // Incidents: one in every 500 requests, at least two; every fifth report is returned once.
  const incidents = Math.max(2, Math.floor(options.tickets / 500))
  for (let i = 0; i < incidents; i++) {
    const incidentId = `INC-${String(i + 1).padStart(4, '0')}` as IncidentId
    const streamId = incidentStreamId(terms.contractId, incidentId)
    let now = yearStart + 3 * DAY + Math.floor((i * 340 * DAY) / incidents)
    const step = (ms: number) => at((now += ms))
    const x = (actor: Actor, at: Instant) => ({ incidentId, actor, at, terms })
    const n = (command: IncidentCommand) => run(incidentDecider, streamId, command)
    const reportedAt = at(now)
    n({ type: 'ReportFailure', ...x(customer, reportedAt), summary: `Failure ${i + 1}: the application server stopped`, site: 'Almaty data centre' })
    n({ type: 'DemandOnSite', ...x(customer, step(10 * MINUTE)), site: 'Almaty data centre', arrivalRule: registration.slaPolicy.onSiteArrival.default })
    n({ type: 'RecordEngineerArrival', ...x(supplier, step(Math.floor(60 + rnd() * 150) * MINUTE)), engineer: 'daniyar' })
    const restoredAt = step(2 * HOUR)
    n({ type: 'RecordServiceRestored', ...x(supplier, restoredAt), note: 'service restarted, disk freed' })
    const report = {
      summary: 'The database volume filled up and the application server stopped.',
      rootCauses: ['Log rotation was disabled after an upgrade'],
      preventiveMeasures: ['Re-enable log rotation', 'Alert when the volume is 80% full'],
      timeline: [
        { at: reportedAt, what: 'The customer reports the failure' },
        { at: restoredAt, what: 'Service restored' },
      ],
    }
    n({ type: 'SubmitFailureReport', ...x(supplier, step(Math.floor(1 + rnd() * 7) * DAY)), report })
    if (i % 5 === 4) {
      n({ type: 'ReturnFailureReport', ...x(customer, step(HOUR)), reason: 'the timeline lacks the arrival' })
      n({ type: 'SubmitFailureReport', ...x(supplier, step(DAY)), report: { ...report, timeline: [...report.timeline, { at: restoredAt, what: 'Engineer on site' }] } })
    }
    n({ type: 'AcceptFailureReport', ...x(customer, step(HOUR)) })
    n({ type: 'CloseIncident', ...x(supplier, step(HOUR)) })
  }

  // Customizations: together 96% of the cap, so both warnings fire; every tenth is cancelled.
  const changes = Math.max(10, Math.floor(options.tickets / 1000))
  const cap = Number((BigInt(terms.value) * BigInt(terms.customizationCapBps)) / 10_000n)
  const amount = Math.floor((cap * 0.96) / changes) as Tiyn
  for (let i = 0; i < changes; i++) {
    const changeId = `CH-${String(i + 1).padStart(4, '0')}` as ChangeId
    let now = yearStart + 5 * DAY + Math.floor((i * 320 * DAY) / changes)
    const step = (ms: number) => at((now += ms))
    const b = (command: BudgetCommand) => run(budgetDecider, budgetStreamId(terms.contractId), command)
    b({ type: 'EstimateChange', changeId, actor: supplier, at: step(0), terms, title: `Customization ${i + 1}`, amount })
    b({ type: 'ApproveChange', changeId, actor: customer, at: step(DAY), terms })
    if (i % 10 === 9) {
      b({ type: 'CancelChange', changeId, actor: customer, at: step(DAY), terms, reason: 'no longer needed' })
      continue
    }
    b({ type: 'DeliverChange', changeId, actor: supplier, at: step(5 * DAY), terms })
    const acceptedAt = step(DAY)
    b({ type: 'AcceptChange', changeId, actor: customer, at: acceptedAt, terms })
    accepted.push({ kind: 'customization', id: changeId, acceptedAt })
  }

  // Deliveries: each quarter a few days after it ends, the second one late.
  const delivered = new Set<string>()
  const quarters: ReadonlyArray<readonly [string, string, string]> = [
    ['2024-Q1', '2024-04-03T06:00:00.000Z', '2.1.0'],
    ['2024-Q2', '2024-07-15T06:00:00.000Z', '2.2.0'],
    ['2024-Q3', '2024-10-04T06:00:00.000Z', '2.3.0'],
    ['2024-Q4', '2025-01-06T06:00:00.000Z', '2.4.0'],
  ]
  const deliveryTimes: Array<readonly [Instant, string]> = []
  for (const [i, [quarter, when, version]] of quarters.entries()) {
    const due = accepted.filter((c) => c.acceptedAt <= when && !delivered.has(`${c.kind}:${c.id}`))
    for (const c of due) delivered.add(`${c.kind}:${c.id}`)
    const d = (command: DeliveryCommand) => run(deliveryDecider, deliveryStreamId(terms.contractId), command)
    const deliveryId = `D-${quarter}` as DeliveryId
    const checksum = (i + 1).toString(16).padStart(2, '0').repeat(32) as Sha256Hex
    d({ type: 'RecordDelivery', deliveryId, actor: supplier, at: when as Instant, terms, quarter: quarter as QuarterLabel, version, artifactSha256: checksum, changes: due.map((c) => ({ kind: c.kind, id: c.id })), acceptedChanges: due })
    d({ type: 'AcceptDelivery', deliveryId, actor: customer, at: addMillis(when as Instant, 2 * DAY), terms })
    deliveryTimes.push([when as Instant, version])
  }

  // Operations: monthly archives (June missed), daily backup checks (one day far behind), two stands, one database move.
  const o = (command: OperationsCommand) => run(operationsDecider, operationsStreamId(terms.contractId), command)
  const op = (actor: Actor, when: Instant) => ({ actor, at: when, terms })
  o({ type: 'RegisterTestStand', ...op(supplier, '2024-01-03T05:00:00.000Z' as Instant), standId: 'QA', name: 'Quality assurance stand' })
  o({ type: 'RegisterTestStand', ...op(supplier, '2024-01-03T05:10:00.000Z' as Instant), standId: 'PERF', name: 'Performance stand' })
  o({ type: 'PlanDatabaseMove', ...op(customer, '2024-03-01T05:00:00.000Z' as Instant), moveId: 'MOVE-1', target: 'backup-servers', dueAt: '2024-03-29T13:00:00.000Z' as Instant, steps: [
    { stepId: 'copy', description: 'Copy the databases to the backup servers' },
    { stepId: 'replicate', description: 'Start replication' },
    { stepId: 'switch', description: 'Rehearse a switch-over' },
  ] })
  const ops: Array<readonly [number, OperationsCommand]> = []
  for (let month = 1; month <= 12; month++) {
    if (month === 6) continue
    const when = `2024-${String(month).padStart(2, '0')}-25T15:00:00.000Z` as Instant
    ops.push([Date.parse(when), { type: 'RecordArchive', ...op(supplier, when), archiveId: `ARC-2024-${String(month).padStart(2, '0')}`, database: 'main', sizeBytes: 40_000_000_000 + month * 1_000_000_000, sha256: (month + 16).toString(16).repeat(32) as Sha256Hex }])
  }
  for (let day = 0; day < 366; day++) {
    const when = at(Date.parse('2024-01-01T06:00:00.000Z') + day * DAY)
    const lag = day === 200 ? 30 * HOUR : 20 * MINUTE
    ops.push([Date.parse(when), { type: 'RecordBackupSyncCheck', ...op(supplier, when), checkId: `SYNC-${day + 1}`, lastSyncedAt: at(Date.parse(when) - lag) }])
  }
  for (const [i, step] of ['copy', 'replicate', 'switch'].entries()) {
    const executed = at(Date.parse('2024-03-05T05:00:00.000Z') + i * 2 * DAY)
    ops.push([Date.parse(executed), { type: 'RecordMoveStepExecuted', ...op(supplier, executed), moveId: 'MOVE-1', stepId: step, evidence: `${step} log attached` }])
    const verified = at(Date.parse(executed) + DAY)
    ops.push([Date.parse(verified), { type: 'RecordMoveStepVerified', ...op(customer, verified), moveId: 'MOVE-1', stepId: step, evidence: 'checked by the customer' }])
  }
  for (const [i, [when, version]] of deliveryTimes.entries()) {
    if (when > '2024-12-31T00:00:00.000Z') continue
    ops.push([Date.parse(when) + 2 * DAY, { type: 'RecordTestStandUpdate', ...op(supplier, at(Date.parse(when) + 2 * DAY)), standId: 'QA', version }])
    // The performance stand lags behind once: three weeks after the third delivery.
    const perfDelay = i === 2 ? 21 * DAY : 3 * DAY
    ops.push([Date.parse(when) + perfDelay, { type: 'RecordTestStandUpdate', ...op(supplier, at(Date.parse(when) + perfDelay)), standId: 'PERF', version }])
  }
  ops.sort((a, b) => a[0] - b[0])
  for (const [, command] of ops) o(command)

  return { terms, events, asOf: '2025-01-15T00:00:00.000Z' as Instant }
}
