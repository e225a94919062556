import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../contract/contract-fixtures.js'
import type { ChangeId } from '../budget/budget-events.js'
import type { ContractId, LocalDate, Tiyn } from '../contract/contract-terms.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import { addMillis, type Instant } from '../kernel/instant.js'
import { defaultSlaPolicy } from '../sla/sla-policy.js'
import { expectReaches } from '../testing/arbitraries.js'
import { contractLedger } from './contract-ledger.js'
import { renderReportHtml } from '../report/report-html.js'
import { renderReportJson } from '../report/report-json.js'
import { renderReportMarkdown } from '../report/report-markdown.js'

/**
 * The ledger under random input: valid commands, commands with one field broken, and garbage,
 * through every entrance on the in-memory store. Nothing may throw; every refusal is a typed
 * error and writes nothing; every report built from what was written renders.
 * `FUZZ_COMMANDS` sets how many commands in all: 5,000 in the suite, 100,000 for `test:fuzz`.
 */
const TOTAL = Number(process.env.FUZZ_COMMANDS ?? 5_000)
const PER_RUN = 2_000
const RUNS = Math.max(1, Math.ceil(TOTAL / PER_RUN))

const calendars = E.getOrElseW((e) => { throw new Error(String(e)) })(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const BASE = Date.parse('2024-02-01T04:00:00Z')
const instantAt = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString() as Instant

// Small pools of ids, so that commands meet the same tickets, incidents and changes again.
const contracts = ['C-1', 'C-2', 'C-none'] as const
const pick = <A>(xs: ReadonlyArray<A>) => fc.constantFrom(...xs)
const idOf = (prefix: string, n = 4) => pick(Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`))
const party = fc.oneof({ weight: 9, arbitrary: pick([exampleCustomer, exampleSupplier]) }, { weight: 1, arbitrary: fc.constant({ party: 'system' as const, id: 'cron' }) })
const text = fc.oneof({ weight: 8, arbitrary: pick(['ok', 'disk full', 'see attached', 'срочно']) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) })
// Offsets from the command's own instant, in minutes: deadlines and due instants a few days ahead.
const ahead = pick([120, 600, 2 * 1440, 5 * 1440])
const date = pick(['2024-03-01', '2024-06-01', '2024-09-01', '2025-01-01', '2027-01-01'])

/** A clock rule with any number of minutes a caller could send: the entrance must keep the absurd ones out. */
const wildMinutes = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 10_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) }, { weight: 1, arbitrary: badValue0() })
const ruleArb = fc.record({ measure: pick(['elapsed', 'business']), minutes: wildMinutes, pausable: fc.boolean(), warnAtBps: fc.constant([5000, 8000]) })
const far = pick(['9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '2200-01-01T00:00:00.000Z'])

type Entrance = 'tickets' | 'contract' | 'amend' | 'incident' | 'budget' | 'delivery' | 'operations'
interface Draft {
  readonly entrance: Entrance
  /** Fills in the instant and the contract: `at` is the command's declared instant. */
  readonly make: (at: Instant, minutes: number) => Record<string, unknown>
}

const C = exampleCustomer
const S = exampleSupplier
/** Mostly the party the command needs, sometimes any party at all. */
const partyOf = (who: typeof C | typeof S | undefined) => (who === undefined ? party : fc.oneof({ weight: 6, arbitrary: fc.constant(who) }, { weight: 1, arbitrary: party }))
/** Mostly the first contract, so that its record grows; sometimes the second or one never registered. */
const contractArb = fc.oneof({ weight: 7, arbitrary: fc.constant(contracts[0]) }, { weight: 2, arbitrary: fc.constant(contracts[1]) }, { weight: 1, arbitrary: fc.constant(contracts[2]) })
const draft = (entrance: Entrance, type: string, fields: fc.Arbitrary<Record<string, unknown>>, at?: (a: Instant) => Record<string, unknown>, who?: typeof C): fc.Arbitrary<Draft> =>
  fc.tuple(fields, contractArb, partyOf(who), ahead).map(([f, contractId, actor, plus]) => ({
    entrance,
    make: (a, minutes) => {
      const relative = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v === 'AHEAD' ? instantAt(minutes + plus) : v]))
      return { type, contractId, actor, at: a, ...relative, ...(at === undefined ? {} : at(a)) }
    },
  }))

const ticketDrafts: ReadonlyArray<fc.Arbitrary<Draft>> = [
  draft('tickets', 'FileRequest', fc.record({ ticketId: idOf('T', 6), kind: pick(['defect', 'consultation', 'modernization', 'configuration']), priority: pick(['low', 'normal', 'urgent']), channel: pick(['redmine', 'email', 'phone']), subject: text, externalRef: idOf('#') }), (a) => ({ receivedAt: a }), C),
  draft('tickets', 'ChangePriority', fc.record({ ticketId: idOf('T', 6), priority: pick(['low', 'high']) }), undefined, C),
  draft('tickets', 'ProposeDeadline', fc.record({ ticketId: idOf('T', 6), deadline: fc.oneof({ weight: 9, arbitrary: fc.constant('AHEAD') }, { weight: 1, arbitrary: far }) }), undefined, S),
  draft('tickets', 'AgreeDeadline', fc.record({ ticketId: idOf('T', 6), deadline: fc.oneof({ weight: 9, arbitrary: fc.constant('AHEAD') }, { weight: 1, arbitrary: far }) }), undefined, C),
  draft('tickets', 'RejectDeadline', fc.record({ ticketId: idOf('T', 6), deadline: fc.constant('AHEAD'), reason: text }), undefined, C),
  draft('tickets', 'ProposeDeadlineChange', fc.record({ ticketId: idOf('T', 6), deadline: fc.constant('AHEAD'), reason: text })),
  draft('tickets', 'AgreeDeadlineChange', fc.record({ ticketId: idOf('T', 6), deadline: fc.constant('AHEAD') })),
  draft('tickets', 'DeliverResult', fc.record({ ticketId: idOf('T', 6), deliveryId: idOf('R'), summary: text }), undefined, S),
  draft('tickets', 'AcceptResult', fc.record({ ticketId: idOf('T', 6), deliveryId: idOf('R') }), undefined, C),
  draft('tickets', 'RejectResult', fc.record({ ticketId: idOf('T', 6), deliveryId: idOf('R'), reason: text }), undefined, C),
  draft('tickets', 'AskCustomer', fc.record({ ticketId: idOf('T', 6), questionId: idOf('Q'), question: text }), undefined, S),
  draft('tickets', 'AnswerQuestion', fc.record({ ticketId: idOf('T', 6), questionId: idOf('Q'), answer: text }), undefined, C),
]
const report = { summary: 'disk full', rootCauses: ['no rotation'], preventiveMeasures: ['rotate logs'], timeline: [] }
const incidentDrafts: ReadonlyArray<fc.Arbitrary<Draft>> = [
  draft('incident', 'ReportFailure', fc.record({ incidentId: idOf('I', 3), summary: text, site: text }), undefined, C),
  draft('incident', 'DemandOnSite', fc.record({ incidentId: idOf('I', 3), site: text, arrivalRule: ruleArb }, { requiredKeys: ['incidentId', 'site'] }), undefined, C),
  draft('incident', 'RecordServiceRestored', fc.record({ incidentId: idOf('I', 3), note: text, reportRule: ruleArb }, { requiredKeys: ['incidentId', 'note'] }), undefined, S),
  draft('incident', 'RecordEngineerArrival', fc.record({ incidentId: idOf('I', 3), engineer: text }), undefined, S),
  draft('incident', 'RecordServiceRestored', fc.record({ incidentId: idOf('I', 3), note: text }), undefined, S),
  draft('incident', 'SubmitFailureReport', fc.record({ incidentId: idOf('I', 3), report: fc.constant(report) }), undefined, S),
  draft('incident', 'ReturnFailureReport', fc.record({ incidentId: idOf('I', 3), reason: text }), undefined, C),
  draft('incident', 'AcceptFailureReport', fc.record({ incidentId: idOf('I', 3) }), undefined, C),
  draft('incident', 'CloseIncident', fc.record({ incidentId: idOf('I', 3) }), undefined, S),
]
const budgetDrafts: ReadonlyArray<fc.Arbitrary<Draft>> = [
  draft('budget', 'EstimateChange', fc.record({ changeId: idOf('CH', 12), title: text, amount: fc.integer({ min: 1, max: 900_000_000 }), ticketId: idOf('T', 6) }, { requiredKeys: ['changeId', 'title', 'amount'] }), undefined, S),
  ...([['ApproveChange', C], ['DeliverChange', S], ['AcceptChange', C]] as const).map(([type, who]) => draft('budget', type, fc.record({ changeId: idOf('CH', 12) }), undefined, who)),
  draft('budget', 'CancelChange', fc.record({ changeId: idOf('CH', 12), reason: text })),
]
const deliveryDrafts: ReadonlyArray<fc.Arbitrary<Draft>> = [
  draft('delivery', 'RecordDelivery', fc.record({ deliveryId: idOf('D', 3), quarter: pick(['2024-Q1', '2024-Q2']), version: text, artifactSha256: fc.constant('a'.repeat(64)), changes: fc.constant([]) }), undefined, S),
  draft('delivery', 'AcceptDelivery', fc.record({ deliveryId: idOf('D', 3) }), undefined, C),
  draft('delivery', 'RejectDelivery', fc.record({ deliveryId: idOf('D', 3), reason: text }), undefined, C),
]
const operationsDrafts: ReadonlyArray<fc.Arbitrary<Draft>> = [
  draft('operations', 'RecordArchive', fc.record({ archiveId: idOf('A'), database: text, sizeBytes: fc.integer({ min: 0, max: 2 ** 40 }), sha256: fc.constant('b'.repeat(64)) }), undefined, S),
  draft('operations', 'RecordBackupSyncCheck', fc.record({ checkId: idOf('B') }), (a) => ({ lastSyncedAt: addMillis(a, -3_600_000) }), S),
  draft('operations', 'RegisterTestStand', fc.record({ standId: idOf('S', 2), name: text }), undefined, S),
  draft('operations', 'RecordTestStandUpdate', fc.record({ standId: idOf('S', 2), version: text }), undefined, S),
  draft('operations', 'PlanDatabaseMove', fc.record({ moveId: idOf('M', 2), target: pick(['new-servers', 'backup-servers']), steps: fc.constant([{ stepId: 's1', description: 'copy' }]), dueAt: fc.constant('AHEAD') }), undefined, S),
  draft('operations', 'RecordMoveStepExecuted', fc.record({ moveId: idOf('M', 2), stepId: fc.constant('s1'), evidence: text }), undefined, S),
  draft('operations', 'RecordMoveStepVerified', fc.record({ moveId: idOf('M', 2), stepId: fc.constant('s1'), evidence: text }), undefined, S),
]
const contractDrafts: ReadonlyArray<fc.Arbitrary<Draft>> = [
  fc.tuple(pick(contracts), fc.integer({ min: -5, max: 2e10 })).map(([contractId, value]): Draft => ({
    entrance: 'contract',
    make: (at) => ({ ...exampleRegistration({ contractId: contractId as ContractId, at }), value }),
  })),
  fc.tuple(pick(contracts), idOf('AM'), date, fc.record({ value: fc.integer({ min: 0, max: 2e10 }), customizationCapBps: fc.integer({ min: 0, max: 10_000 }), calendarId: pick(['kz-5day', 'kz-6day', 'nowhere']), termEnd: date, slaPolicy: fc.oneof(fc.constant(defaultSlaPolicy), ruleArb.map((r) => ({ ...defaultSlaPolicy, onSiteArrival: { default: r, byPriority: {} }, deadlineProposal: { ...defaultSlaPolicy.deadlineProposal, rules: { default: r, byPriority: {} } }, agreedDeadline: { default: { measure: r.measure, pausable: r.pausable, warnAtBps: r.warnAtBps }, byPriority: {} } }))), recordingPolicy: fc.constant({ lateEntryToleranceMinutes: 60 }) }, { requiredKeys: [] }), fc.boolean()).map(
    ([contractId, amendmentId, effectiveFrom, changes, direct]): Draft => ({
      entrance: direct ? 'contract' : 'amend',
      make: (at) => ({ type: 'AmendContract', contractId, amendmentId, effectiveFrom: effectiveFrom as LocalDate, changes, reason: 'signed', actor: exampleSupplier, at }),
    }),
  ),
  // The customer's signature on an amendment the supplier proposed: only then does it bind.
  draft('contract', 'CountersignAmendment', fc.record({ amendmentId: idOf('AM') }), undefined, C),
]

/** A valid command's draft: the kinds weighted so that every aggregate gets a share. */
const validArb = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(...ticketDrafts) },
  { weight: 3, arbitrary: fc.oneof(...incidentDrafts) },
  { weight: 3, arbitrary: fc.oneof(...budgetDrafts) },
  { weight: 1, arbitrary: fc.oneof(...deliveryDrafts) },
  { weight: 2, arbitrary: fc.oneof(...operationsDrafts) },
  { weight: 1, arbitrary: fc.oneof(...contractDrafts) },
)

/** Values that break a field: wrong types, numbers no amount may be, text too long, nothing at all. */
function badValue0(): fc.Arbitrary<unknown> {
  return pick<unknown>([null, -1, 0, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 1e308, 2 ** 53])
}
const badValue = fc.oneof(
  pick<unknown>(['9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00.000Z']),
  pick<unknown>([null, undefined, true, -1, 0, 0.5, -0.0, Number.NaN, Number.POSITIVE_INFINITY, 1e308, 2 ** 53, '', ' ', '2025-Q7', '2025-13-45', 'yesterday', [], {}, 'x'.repeat(10_001), { type: 'x' }]),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
)
type Mutation =
  | { readonly kind: 'set'; readonly field: number; readonly value: unknown }
  | { readonly kind: 'delete'; readonly field: number }
  | { readonly kind: 'deep'; readonly path: ReadonlyArray<number>; readonly value: unknown }
  | { readonly kind: 'type'; readonly value: unknown }
  | { readonly kind: 'entrance'; readonly to: Entrance }

/** A copy of `value` with the leaf at `path` (indices into each level's keys, as far as it goes) replaced. */
const setDeep = (value: Record<string, unknown>, path: ReadonlyArray<number>, leaf: unknown): Record<string, unknown> => {
  const copy = structuredClone(value)
  let node: Record<string, unknown> = copy
  for (const [depth, i] of path.entries()) {
    const keys = Object.keys(node)
    if (keys.length === 0) break
    const key = keys[i % keys.length]!
    const child = node[key]
    if (depth === path.length - 1 || typeof child !== 'object' || child === null) {
      node[key] = leaf
      break
    }
    node = child as Record<string, unknown>
  }
  return copy
}
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), field: fc.nat(), value: badValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), field: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deep' as const), path: fc.array(fc.nat(), { minLength: 2, maxLength: 6 }), value: badValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('type' as const), value: fc.oneof(pick<unknown>(['DropTables', 'constructor', '__proto__', 'toString', 'FileRequest ', 'fileRequest']), badValue) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('entrance' as const), to: pick<Entrance>(['tickets', 'contract', 'amend', 'incident', 'budget', 'delivery', 'operations']) }) },
)

type Step =
  | { readonly shape: 'valid'; readonly draft: Draft; readonly lagMinutes: number; readonly sourced: boolean }
  | { readonly shape: 'mutated'; readonly draft: Draft; readonly mutation: Mutation }
  | { readonly shape: 'garbage'; readonly entrance: Entrance; readonly value: unknown }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ shape: fc.constant('valid' as const), draft: validArb, lagMinutes: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -60, max: 600 }) }), sourced: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ shape: fc.constant('mutated' as const), draft: validArb, mutation: mutationArb }) },
  { weight: 1, arbitrary: fc.record({ shape: fc.constant('garbage' as const), entrance: pick<Entrance>(['tickets', 'contract', 'amend', 'incident', 'budget', 'delivery', 'operations']), value: fc.oneof(fc.anything(), badValue, fc.object()) }) },
)

/** The command a step gives, and the instant the ledger's clock says when it is recorded. */
const commandOf = (step: Step, minutes: number): { readonly entrance: Entrance; readonly input: unknown; readonly recordedAt: Instant } => {
  const at = instantAt(minutes)
  if (step.shape === 'garbage') return { entrance: step.entrance, input: step.value, recordedAt: at }
  const command = step.draft.make(at, minutes)
  if (step.shape === 'valid') {
    const late = step.lagMinutes !== 0
    return {
      entrance: step.draft.entrance,
      input: late && step.sourced ? { ...command, timeSource: { kind: 'document', reference: 'No. 1' } } : command,
      recordedAt: instantAt(minutes + step.lagMinutes),
    }
  }
  const m = step.mutation
  const keys = Object.keys(command)
  const key = keys[(m.kind === 'set' || m.kind === 'delete' ? m.field : 0) % keys.length]!
  const out: Record<string, unknown> =
    m.kind === 'set' ? { ...command, [key]: m.value }
    : m.kind === 'delete' ? Object.fromEntries(Object.entries(command).filter(([k]) => k !== key))
    : m.kind === 'type' ? { ...command, type: m.value }
    : m.kind === 'deep' ? setDeep(command, m.path, m.value)
    : command
  return { entrance: m.kind === 'entrance' ? m.to : step.draft.entrance, input: out, recordedAt: at }
}

const isTyped = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && typeof (e as { _tag?: unknown })._tag === 'string' && /^[A-Z][A-Za-z]+$/.test((e as { _tag: string })._tag) && typeof (e as { message?: unknown }).message === 'string'

interface Tally { commands: number; accepted: number; refused: Map<string, number>; reports: number }

/** Plays the steps on a fresh ledger with two contracts both parties signed; asserts every rule on each step; returns what happened. */
const play = async (steps: ReadonlyArray<Step>, tally: Tally): Promise<void> => {
  const storage = createInMemoryStorage()
  let now = instantAt(0)
  const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars, clock: () => now })
  for (const contractId of ['C-1', 'C-2'] as const) {
    const r = await ledger.contracts.handle(exampleRegistration({ contractId: contractId as ContractId, at: now, term: { start: '2024-01-01' as LocalDate, end: '2024-12-31' as LocalDate } }))()
    expect(E.isRight(r)).toBe(true)
    const signed = await ledger.contracts.handle(exampleCountersignature({ contractId: contractId as ContractId, at: now }))()
    expect(E.isRight(signed)).toBe(true)
    // Most of the cap (1,500,000,000 tiyn) committed from the start, so approvals that would pass it are met in every run.
    const estimated = await ledger.budget.handle({ type: 'EstimateChange', contractId: contractId as ContractId, changeId: 'CH-0' as ChangeId, title: 'base', amount: 1_300_000_000 as Tiyn, actor: exampleSupplier, at: now })()
    const approved = await ledger.budget.handle({ type: 'ApproveChange', contractId: contractId as ContractId, changeId: 'CH-0' as ChangeId, actor: exampleCustomer, at: now })()
    expect(E.isRight(estimated) && E.isRight(approved)).toBe(true)
  }
  const entrances: Record<Entrance, (input: never) => () => Promise<E.Either<unknown, unknown>>> = {
    tickets: ledger.tickets.handle, contract: ledger.contracts.handle, amend: ledger.contracts.handle, incident: ledger.incidents.handle,
    budget: ledger.budget.handle, delivery: ledger.deliveries.handle, operations: ledger.operations.handle,
  }
  let minutes = 0
  for (const step of steps) {
    // Time moves forward by a few minutes to a day per command; the record runs over most of the year.
    minutes += 1 + (tally.commands % 97) * 4
    const { entrance, input, recordedAt } = commandOf(step, minutes)
    now = recordedAt
    const before = storage.log.length
    let result: E.Either<unknown, unknown>
    try {
      result = await entrances[entrance](input as never)()
    } catch (e) {
      throw new Error(`${entrance} threw on ${safe(input)}: ${e instanceof Error ? e.stack : String(e)}`)
    }
    tally.commands++
    if (E.isLeft(result)) {
      if (!isTyped(result.left)) throw new Error(`${entrance} refused with an untyped error ${safe(result.left)} on ${safe(input)}`)
      if (storage.log.length !== before) throw new Error(`${entrance} refused with ${(result.left as { _tag: string })._tag} but wrote ${storage.log.length - before} events: ${safe(input)}`)
      const tag = (result.left as { _tag: string })._tag
      tally.refused.set(tag, (tally.refused.get(tag) ?? 0) + 1)
    } else tally.accepted++
  }
  // Every report built from what was written decodes (each stored event reads back) and renders.
  const events = await ledger.events()()
  if (E.isLeft(events)) throw new Error(`the record does not read back: ${events.left.message}`)
  for (const contractId of ['C-1', 'C-2']) {
    for (const period of [{ kind: 'contract-to-date' }, { kind: 'quarter', quarter: '2024-Q2' }, { kind: 'month', month: '2024-03' }] as const) {
      const r = await ledger.report({ contractId: contractId as ContractId, asOf: instantAt(minutes + 1), period })()
      if (E.isLeft(r)) throw new Error(`report of ${contractId} refused: ${r.left.message}`)
      const json = renderReportJson(r.right)
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(r.right)))
      for (const text of [json, renderReportMarkdown(r.right, 'en'), renderReportMarkdown(r.right, 'ru'), renderReportHtml(r.right, 'en')]) {
        expect(text).not.toMatch(/NaN|Invalid DateTime|\bundefined\b/)
      }
      tally.reports++
    }
  }
}

const safe = (v: unknown): string => {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && x.length > 80 ? `${x.slice(0, 80)}…` : typeof x === 'bigint' ? `${x}n` : x))?.slice(0, 600) ?? String(v)
  } catch {
    return String(v)
  }
}

describe('the ledger under random commands', () => {
  it(`takes ${TOTAL} valid, mutated and garbage commands without a throw, refuses each bad one with a typed error and writes nothing for it; every report renders`, async () => {
    const tally: Tally = { commands: 0, accepted: 0, refused: new Map(), reports: 0 }
    const started = performance.now()
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: PER_RUN, maxLength: PER_RUN }), async (steps) => play(steps, tally)),
      { numRuns: RUNS, endOnFailure: true },
    )
    const seconds = (performance.now() - started) / 1000
    const refusedTotal = [...tally.refused.values()].reduce((a, b) => a + b, 0)
    // What the fuzz reached, stated: enough accepted commands to build a record, and refusals of every sort.
    console.log(`fuzz: ${tally.commands} commands in ${seconds.toFixed(1)} s; accepted ${tally.accepted}; refused ${refusedTotal} by ${tally.refused.size} tags; ${tally.reports} reports`)
    console.log([...tally.refused].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(", "))
    expect(tally.commands).toBeGreaterThanOrEqual(TOTAL)
    expect(tally.accepted / tally.commands, 'share accepted').toBeGreaterThanOrEqual(0.05)
    for (const tag of ['InvalidInput', 'DeclaredTimeUnsourced', 'DeclaredTimeInFuture', 'WrongParty', 'ContractNotRegistered', 'CapExceeded']) {
      expect(tally.refused.get(tag) ?? 0, `refusals ${tag}`).toBeGreaterThan(0)
    }
  }, 1_800_000)

  it('its generator gives valid, mutated and garbage commands for every entrance in a stated share', () => {
    expectReaches(stepArb, {
      valid: { atLeast: 0.5, reached: (s) => s.shape === 'valid' },
      mutated: { atLeast: 0.2, reached: (s) => s.shape === 'mutated' },
      garbage: { atLeast: 0.05, reached: (s) => s.shape === 'garbage' },
      'recorded late': { atLeast: 0.03, reached: (s) => s.shape === 'valid' && s.lagMinutes > 15 },
      ...Object.fromEntries((['tickets', 'incident', 'budget', 'delivery', 'operations'] as const).map((e) => [`to ${e}`, { atLeast: 0.03, reached: (s: Step) => s.shape !== 'garbage' && s.draft.entrance === e }])),
    })
  })
})
