import * as E from 'fp-ts/lib/Either.js'
import { fc, test as propTest } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import type { LocalDate } from '../values/local-date.js'
import { exampleTerms } from '../ticket/ticket.fixture.js'
import type { Sha256Hex, DeliveryRecorded, DeliveryId } from '../delivery/delivery-events.js'
import type { QuarterLabel } from '../values/quarter-label.js'
import type { RecordedDelivery } from '../delivery/delivery-queries.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor, RecordedEvent } from '../kernel/recorded-event.js'
import { OperationsCommand } from './operations-commands.js'
import { operationsDecider } from './operations-decider.js'
import { operationsEvents, type OperationsEvent } from './operations-events.js'
import { archivePeriods, archivingVerdicts, backupSyncVerdicts, databaseMoveVerdicts, testStandVerdicts } from './operations-queries.js'
import { expectReaches } from '../testing/arbitraries.js'

const terms = { ...exampleTerms, term: { start: '2024-01-15' as LocalDate, end: '2024-06-30' as LocalDate } }
const supplier: Actor = { party: 'supplier', id: 'daniyar' }
const customer: Actor = { party: 'customer', id: 'aigerim' }
const sha = 'b'.repeat(64) as Sha256Hex
const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const at = (s: string) => s as Instant

let position = 0
const run = (commands: ReadonlyArray<OperationsCommand>): RecordedEvent<OperationsEvent>[] => {
  const events: OperationsEvent[] = []
  for (const c of commands) {
    const r = operationsDecider.decide(c, fold(operationsDecider, events))
    if (E.isLeft(r)) throw new Error(r.left.message)
    events.push(...r.right)
  }
  return events.map((e) => ({ ...e, streamId: 'operations-C', streamVersion: ++position, globalPosition: position, eventId: `op-${position}`, schemaVersion: 1, metadata: { actor: e.data.actor, at: e.data.at, recordedAt: e.data.at } }) as RecordedEvent<OperationsEvent>)
}
const archive = (archiveId: string, when: string): OperationsCommand => ({ type: 'RecordArchive', at: at(when), actor: supplier, terms, archiveId, database: 'main', sizeBytes: 1_048_576, sha256: sha })
const check = (checkId: string, when: string, synced: string): OperationsCommand => ({ type: 'RecordBackupSyncCheck', at: at(when), actor: supplier, terms, checkId, lastSyncedAt: at(synced) })

describe('recurring operations', () => {
  it('archive periods follow the term, cut at both ends', () => {
    expect(archivePeriods(terms, 'monthly').map((p) => `${p.label}:${p.start}..${p.end}`)).toEqual([
      '2024-01:2024-01-15..2024-01-31', '2024-02:2024-02-01..2024-02-29', '2024-03:2024-03-01..2024-03-31',
      '2024-04:2024-04-01..2024-04-30', '2024-05:2024-05-01..2024-05-31', '2024-06:2024-06-01..2024-06-30',
    ])
    expect(archivePeriods(terms, 'quarterly').map((p) => p.label)).toEqual(['2024-Q1', '2024-Q2'])
  })

  it('each month with an archive is met, a past month without one is breached, the current month is pending', () => {
    const events = run([archive('A1', '2024-01-20T10:00:00.000Z'), archive('A3', '2024-03-05T10:00:00.000Z')])
    const verdicts = archivingVerdicts(terms, events, at('2024-04-10T00:00:00.000Z'))
    expect(verdicts.slice(0, 4).map((v) => v.verdict)).toEqual(['met', 'breached', 'met', 'pending'])
    expect(verdicts[0]?.evidence.map((e) => e.eventId)).toEqual([events[0]?.eventId])
  })

  it('a backup check records its lag against the limit in force; long stretches without a check are breaches', () => {
    const events = run([
      check('K1', '2024-01-15T12:00:00.000Z', '2024-01-15T11:00:00.000Z'),
      check('K2', '2024-01-16T12:00:00.000Z', '2024-01-14T12:00:00.000Z'), // 48 h behind
      check('K3', '2024-01-19T12:00:00.000Z', '2024-01-19T11:30:00.000Z'), // 3 days after K2
    ])
    const verdicts = backupSyncVerdicts(terms, events, at('2024-01-20T00:00:00.000Z'))
    expect(verdicts.map((v) => `${v.subject}:${v.verdict}`)).toEqual([
      'K1:met', 'K2:breached', `gap after ${events[1]?.eventId}:breached`, 'K3:met', `next check after ${events[2]?.eventId}:pending`,
    ])
  })

  it('a backup behind by a few seconds more than the limit is outside it, not rounded back within', () => {
    // Given the default limit of 24 hours
    // When a check finds the last sync 24 hours and 30 seconds ago, and another exactly 24 hours ago
    const events = run([
      check('K-over', '2024-01-16T12:00:30.000Z', '2024-01-15T12:00:00.000Z'),
      check('K-exact', '2024-01-17T12:00:00.000Z', '2024-01-16T12:00:00.000Z'),
    ])
    // Then the first is outside the limit and the second, at the limit itself, within it
    expect(events.map((e) => (e.type === 'BackupSyncVerified' ? `${e.data.checkId}:${e.data.withinLimit}` : e.type))).toEqual(['K-over:false', 'K-exact:true'])
  })

  it('a limit loosened after a stretch without a check was already overdue does not forgive it', () => {
    // Given a check at noon on 15 January under the 24-hour limit
    // And, 31 hours later with no check since, the limit loosened to 48 hours
    const loosened = { ...terms.policy, backupLagLimitMinutes: 2880 }
    const policyAt = (when: Instant) => (when >= at('2024-01-16T19:00:00.000Z') ? loosened : terms.policy)
    const given: ReadonlyArray<OperationsCommand> = [check('K1', '2024-01-15T12:00:00.000Z', '2024-01-15T11:00:00.000Z')]
    const events = run(given)
    // When the record is read an hour after the loosening
    const open = backupSyncVerdicts(terms, events, at('2024-01-16T20:00:00.000Z'), policyAt)
    // Then the stretch after K1 is still breached, due 24 hours after it
    expect(open.map((v) => `${v.subject}:${v.verdict}:${v.dueAt}`)).toEqual([
      'K1:met:2024-01-15T12:00:00.000Z', `next check after ${events[0]?.eventId}:breached:2024-01-16T12:00:00.000Z`,
    ])
    // And a check made at last under the looser limit still shows the gap before it as a breach
    const later = run([...given, check('K2', '2024-01-17T06:00:00.000Z', '2024-01-17T05:00:00.000Z')])
    const closed = backupSyncVerdicts(terms, later, at('2024-01-17T07:00:00.000Z'), policyAt)
    expect(closed.filter((v) => v.verdict === 'breached').map((v) => v.subject)).toEqual([`gap after ${later[0]?.eventId}`])
  })

  it('a check claiming a sync after itself is refused', () => {
    const r = operationsDecider.decide(check('K', '2024-01-15T12:00:00.000Z', '2024-01-15T13:00:00.000Z'), operationsDecider.initialState)
    expect(r).toMatchObject(E.left({ _tag: 'SyncAfterCheck' }))
  })

  it('test stands reach the delivered version within 10 business days of the delivery', () => {
    const events = run([
      { type: 'RegisterTestStand', at: at('2024-01-16T04:00:00.000Z'), actor: supplier, terms, standId: 'S1', name: 'QA' },
      { type: 'RegisterTestStand', at: at('2024-01-16T04:00:00.000Z'), actor: supplier, terms, standId: 'S2', name: 'Perf' },
      { type: 'RecordTestStandUpdate', at: at('2024-04-05T06:00:00.000Z'), actor: supplier, terms, standId: 'S1', version: '2.1.0' },
    ])
    const recorded: DeliveryRecorded = { contractId: terms.contractId, deliveryId: 'D1' as DeliveryId, at: at('2024-04-01T06:00:00.000Z'), actor: supplier, quarter: '2024-Q1' as QuarterLabel, dueAt: at('2024-04-10T18:59:59.999Z'), version: '2.1.0', artifactSha256: sha, changes: [] }
    const deliveries: RecordedDelivery[] = [{ recorded, recordedEventId: 'dl-1', status: 'accepted' }]
    const early = testStandVerdicts(terms, events, deliveries, at('2024-04-05T12:00:00.000Z'), calendars)
    const late = testStandVerdicts(terms, events, deliveries, at('2024-05-01T00:00:00.000Z'), calendars)
    if (!Array.isArray(early) || !Array.isArray(late)) throw new Error('calendar missing')
    expect(early.map((v) => `${v.subject}:${v.verdict}`)).toEqual(['test stand registered:met', 'S1@2.1.0:met', 'S2@2.1.0:pending'])
    expect(late.map((v) => `${v.subject}:${v.verdict}`)).toEqual(['test stand registered:met', 'S1@2.1.0:met', 'S2@2.1.0:breached'])
    // Monday 1 April 2024 11:00 Almaty + 80 business hours (8 a day): two working weeks on, Monday 15 April 11:00.
    expect(late[2]?.dueAt).toBe('2024-04-15T06:00:00.000Z')
  })

  it('clause 9 with no test stand registered is unmet, never silent: the stand is owed from the term start and for each delivery', () => {
    const recorded: DeliveryRecorded = { contractId: terms.contractId, deliveryId: 'D1' as DeliveryId, at: at('2024-04-01T06:00:00.000Z'), actor: supplier, quarter: '2024-Q1' as QuarterLabel, dueAt: at('2024-04-10T18:59:59.999Z'), version: '2.1.0', artifactSha256: sha, changes: [] }
    const deliveries: RecordedDelivery[] = [{ recorded, recordedEventId: 'dl-1', status: 'accepted' }]
    const verdicts = testStandVerdicts(terms, [], deliveries, at('2024-05-01T00:00:00.000Z'), calendars)
    if (!Array.isArray(verdicts)) throw new Error('calendar missing')
    expect(verdicts.map((v) => `${v.subject}:${v.verdict}:${v.detail}`)).toEqual([
      'test stand registered:breached:no test stand registered',
      'no test stand@2.1.0:breached:no test stand registered when delivered',
    ])
    // Within the first window of the term the registration is still pending.
    const early = testStandVerdicts(terms, [], [], at('2024-01-16T00:00:00.000Z'), calendars)
    expect(Array.isArray(early) && early.map((v) => v.verdict)).toEqual(['pending'])
  })

  it('clause 8: the customer, not the supplier, confirms that a moved database works', () => {
    const plan: OperationsCommand = { type: 'PlanDatabaseMove', at: at('2024-02-01T05:00:00.000Z'), actor: customer, terms, moveId: 'M1', target: 'new-servers', steps: [{ stepId: 'copy', description: 'copy data' }], dueAt: at('2024-02-10T13:00:00.000Z') }
    const executed: OperationsCommand = { type: 'RecordMoveStepExecuted', at: at('2024-02-02T05:00:00.000Z'), actor: supplier, terms, moveId: 'M1', stepId: 'copy', evidence: 'log' }
    const given = run([plan, executed])
    const verify = (actor: Actor): OperationsCommand => ({ type: 'RecordMoveStepVerified', at: at('2024-02-03T05:00:00.000Z'), actor, terms, moveId: 'M1', stepId: 'copy', evidence: 'works' })
    expect(operationsDecider.decide(verify(supplier), fold(operationsDecider, given))).toMatchObject(E.left({ _tag: 'WrongParty', expected: ['customer'] }))
    expect(E.isRight(operationsDecider.decide(verify(customer), fold(operationsDecider, given)))).toBe(true)
  })

  it('an archiving cadence changed from a date in the term holds from that date: earlier periods keep the old cadence', () => {
    // Monthly from the term start, weekly from Wednesday 10 April 2024.
    const cadences = [{ from: terms.term.start, cadence: 'monthly' as const }, { from: '2024-04-10' as LocalDate, cadence: 'weekly' as const }]
    const events = run([archive('A-mar', '2024-03-05T10:00:00.000Z'), archive('A-apr', '2024-04-02T10:00:00.000Z'), archive('A-w15', '2024-04-11T10:00:00.000Z')])
    const verdicts = archivingVerdicts(terms, events, at('2024-04-23T00:00:00.000Z'), cadences)
    expect(verdicts.slice(2, 6).map((v) => `${v.subject}:${v.verdict}`)).toEqual(['2024-03:met', '2024-04:met', '2024-W15:met', '2024-W16:breached'])
    // April is cut at the change: the monthly period runs 1 to 9 April, the first week from the 10th.
    expect(verdicts[3]?.dueAt).toBe('2024-04-09T18:59:59.999Z')
    expect(verdicts[4]?.opensAt).toBe('2024-04-09T19:00:00.000Z')
  })

  it('a database move is met when every step is executed and verified by its due instant', () => {
    const plan: OperationsCommand = { type: 'PlanDatabaseMove', at: at('2024-02-01T05:00:00.000Z'), actor: customer, terms, moveId: 'M1', target: 'backup-servers', steps: [{ stepId: 'copy', description: 'copy data' }, { stepId: 'switch', description: 'switch replicas' }], dueAt: at('2024-02-10T13:00:00.000Z') }
    const step = (type: 'RecordMoveStepExecuted' | 'RecordMoveStepVerified', stepId: string, when: string): OperationsCommand => ({ type, at: at(when), actor: type === 'RecordMoveStepExecuted' ? supplier : customer, terms, moveId: 'M1', stepId, evidence: 'log' })
    const events = run([plan, step('RecordMoveStepExecuted', 'copy', '2024-02-02T05:00:00.000Z'), step('RecordMoveStepVerified', 'copy', '2024-02-03T05:00:00.000Z'), step('RecordMoveStepExecuted', 'switch', '2024-02-04T05:00:00.000Z')])
    expect(databaseMoveVerdicts(events, at('2024-02-05T00:00:00.000Z'))[0]).toMatchObject({ verdict: 'pending', detail: '1/2 steps verified' })
    expect(databaseMoveVerdicts(events, at('2024-02-11T00:00:00.000Z'))[0]?.verdict).toBe('breached')
    const more = run([plan, step('RecordMoveStepVerified', 'copy', '2024-02-03T05:00:00.000Z')].slice(0, 1))
    expect(operationsDecider.decide(step('RecordMoveStepVerified', 'copy', '2024-02-03T05:00:00.000Z'), fold(operationsDecider, more))).toMatchObject(E.left({ _tag: 'MoveStepOutOfOrder', status: 'planned' }))
  })

  it('refuses the customer as archiver, and any operation outside the term', () => {
    expect(operationsDecider.decide({ ...archive('A', '2024-02-01T05:00:00.000Z'), actor: customer }, operationsDecider.initialState)).toMatchObject(E.left({ _tag: 'WrongParty' }))
    expect(operationsDecider.decide(archive('A', '2024-07-01T05:00:00.000Z'), operationsDecider.initialState)).toMatchObject(E.left({ _tag: 'ContractNotInForce' }))
  })

  const sizeArb = fc.integer({ min: 1, max: 2 ** 40 })
  it('its generator reaches sizes past 32 bits and small ones, in a stated share of runs', () => {
    expectReaches(sizeArb, { 'past 2^32 bytes': { atLeast: 0.5, reached: (n) => n > 2 ** 32 }, 'under a megabyte': { atLeast: 0.05, reached: (n) => n < 2 ** 20 } })
  })

  propTest.prop([sizeArb, fc.stringMatching(/^[0-9a-f]{64}$/)])('commands and events survive an encode/decode round trip', (size, digest) => {
    const command: OperationsCommand = { ...archive('A', '2024-02-01T05:00:00.000Z'), sizeBytes: size, sha256: digest as Sha256Hex } as OperationsCommand
    expect(OperationsCommand.decode(JSON.parse(JSON.stringify(OperationsCommand.encode(command))))).toEqual(E.right(command))
    const [event] = run([command])
    if (event === undefined) throw new Error('no event')
    const enc = operationsEvents.encode(event, 'operations-C', 0)
    if (E.isLeft(enc)) throw new Error(enc.left.message)
    const dec = operationsEvents.decode({ ...event, ...enc.right, data: JSON.parse(JSON.stringify(enc.right.data)) })
    expect(E.isRight(dec) && dec.right.data).toEqual(event.data)
  })
})
