import { fc, test as propTest } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { Tiyn } from '../values/money.js'
import { exampleTerms } from '../ticket/ticket.fixture.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor } from '../kernel/recorded-event.js'
import { scenario } from '../testing/scenario.js'
import { expectReaches } from '../testing/arbitraries.js'
import { BudgetCommand } from './budget-commands.js'
import { budgetDecider, committed, customizationCap, requireCapCoversCommitments } from './budget-decider.js'
import { budgetEvents, type BudgetEvent } from './budget-events.js'
import { type ChangeId } from '../values/domain-ids.js'

// A 1,000,000.00 KZT contract: the 15% cap is 150,000.00 KZT = 15,000,000 tiyn.
const terms = { ...exampleTerms, value: 100_000_000 as Tiyn }
const customer: Actor = { party: 'customer', id: 'aigerim' }
const supplier: Actor = { party: 'supplier', id: 'daniyar' }
const at = '2026-04-01T06:00:00.000Z' as Instant
const id = (s: string) => s as ChangeId

const estimate = (changeId: string, amount: number): BudgetCommand => ({ type: 'EstimateChange', changeId: id(changeId), at, actor: supplier, terms, title: changeId, amount: amount as Tiyn })
const approve = (changeId: string): BudgetCommand => ({ type: 'ApproveChange', changeId: id(changeId), at, actor: customer, terms })
const deliver = (changeId: string): BudgetCommand => ({ type: 'DeliverChange', changeId: id(changeId), at, actor: supplier, terms })
const accept = (changeId: string): BudgetCommand => ({ type: 'AcceptChange', changeId: id(changeId), at, actor: customer, terms })
const cancel = (changeId: string): BudgetCommand => ({ type: 'CancelChange', changeId: id(changeId), at, actor: customer, terms, reason: 'no longer needed' })

const run = (commands: ReadonlyArray<BudgetCommand>): BudgetEvent[] => {
  const events: BudgetEvent[] = []
  for (const c of commands) {
    const r = budgetDecider.decide(c, fold(budgetDecider, events))
    if (E.isLeft(r)) throw new Error(r.left.message)
    events.push(...r.right)
  }
  return events
}
const when = (given: ReadonlyArray<BudgetEvent>, c: BudgetCommand) => budgetDecider.decide(c, fold(budgetDecider, given))

describe('customization budget', () => {
  it('the cap is value × bps / 10000 rounded down', () => {
    expect(customizationCap(terms)).toBe(15_000_000)
    expect(customizationCap({ value: 99 as Tiyn, customizationCapBps: terms.customizationCapBps })).toBe(14) // 14.85 rounds down
  })

  it('given approvals and spending near the cap, when an approval would pass it, then CapExceeded carries cap, committed and shortfall', () => {
    scenario(budgetDecider)
      .given(run([estimate('a', 10_000_000), approve('a'), deliver('a'), accept('a'), estimate('b', 4_000_000), approve('b'), estimate('c', 1_500_000)]))
      .when(approve('c'))
      .thenFails({ _tag: 'CapExceeded', cap: 15_000_000, committed: 14_000_000, requested: 1_500_000, shortfall: 500_000 })
  })

  it('after an amendment raises the cap, reaching 80% of the new cap warns again', () => {
    // Given 85% of the cap committed and warned, then the value doubled by an amendment (commitments now 42.5% of the cap)
    const doubled = { ...terms, value: 200_000_000 as Tiyn }
    const given = run([estimate('a', 12_750_000), approve('a'), { ...estimate('b', 12_750_000), terms: doubled }])
    const thresholds = (events: ReadonlyArray<BudgetEvent>) => events.flatMap((e) => (e.type === 'CapWarningReached' ? [e.data.thresholdBps] : []))
    expect(thresholds(given)).toEqual([8000])
    // When a change takes commitments to 85% of the new cap
    const r = when(given, { ...approve('b'), terms: doubled })
    // Then the 80% warning is raised for the new cap
    expect(E.isRight(r) ? thresholds(r.right) : r.left).toEqual([8000])
  })

  it('a step dated before the change\'s last recorded step is refused', () => {
    // Given a change estimated and approved on 1 April
    const given = run([estimate('a', 1_000_000), approve('a')])
    // When its delivery is recorded with a date of 31 March
    const r = when(given, { ...deliver('a'), at: '2026-03-31T06:00:00.000Z' as Instant })
    // Then it is refused; the same delivery dated at the approval's instant is recorded
    expect(r).toMatchObject(E.left({ _tag: 'EarlierThanHistory', aggregate: 'change', id: 'a', last: at }))
    expect(E.isRight(when(given, deliver('a')))).toBe(true)
  })

  it('an approval that lands exactly on the cap is allowed', () => {
    scenario(budgetDecider)
      .given(run([estimate('a', 15_000_000)]))
      .when(approve('a'))
      .then([
        { type: 'ChangeApproved', data: { contractId: terms.contractId, changeId: id('a'), at, actor: customer, amount: 15_000_000 as Tiyn, committedAfter: 15_000_000 as Tiyn, cap: 15_000_000 as Tiyn } },
        { type: 'CapWarningReached', data: { contractId: terms.contractId, changeId: id('a'), at, actor: customer, thresholdBps: 8000, committed: 15_000_000 as Tiyn, cap: 15_000_000 as Tiyn } },
        { type: 'CapWarningReached', data: { contractId: terms.contractId, changeId: id('a'), at, actor: customer, thresholdBps: 9500, committed: 15_000_000 as Tiyn, cap: 15_000_000 as Tiyn } },
      ])
  })

  it('warnings are raised once as commitments pass 80% and 95% of the cap', () => {
    const events = run([estimate('a', 11_999_999), approve('a'), estimate('b', 1), approve('b'), estimate('c', 2_300_000), approve('c')])
    const warnings = events.filter((e) => e.type === 'CapWarningReached').map((e) => e.type === 'CapWarningReached' && e.data.thresholdBps)
    expect(warnings).toEqual([8000, 9500])
  })

  it('a cancellation releases its commitment, and a warning passed again is raised again', () => {
    const events = run([estimate('a', 12_000_000), approve('a'), cancel('a'), estimate('b', 12_000_000), approve('b')])
    expect(events.filter((e) => e.type === 'CapWarningReached')).toHaveLength(2)
    expect(committed(fold(budgetDecider, events))).toBe(12_000_000)
  })

  it('delivery and acceptance turn a commitment into spending', () => {
    const s = fold(budgetDecider, run([estimate('a', 1000), approve('a'), deliver('a'), accept('a')]))
    expect([s.approvedOpen, s.spent]).toEqual([0, 1000])
  })

  it('wrong parties, unknown changes and out-of-order steps are refused', () => {
    expect(when([], { ...estimate('a', 10), actor: customer })).toMatchObject(E.left({ _tag: 'WrongParty' }))
    expect(when(run([estimate('a', 10)]), { ...approve('a'), actor: supplier })).toMatchObject(E.left({ _tag: 'WrongParty' }))
    // A customer of another contract may not approve this one's budget.
    expect(when(run([estimate('a', 10)]), { ...approve('a'), actor: { party: 'customer', id: 'bolat' } })).toMatchObject(E.left({ _tag: 'PersonNotListed', contractId: terms.contractId }))
    expect(when([], approve('x'))).toMatchObject(E.left({ _tag: 'ChangeNotFound' }))
    expect(when(run([estimate('a', 10)]), accept('a'))).toMatchObject(E.left({ _tag: 'ChangeStatusForbids', status: 'estimated' }))
    expect(when([], estimate('a', 0))).toMatchObject(E.left({ _tag: 'EstimateNotPositive' }))
    expect(when([], { ...estimate('a', 10), at: '2023-12-31T12:00:00.000Z' as Instant })).toMatchObject(E.left({ _tag: 'ContractNotInForce' }))
  })

  it('an amendment whose cap would fall below the committed sum is refused', () => {
    const state = fold(budgetDecider, run([estimate('a', 9_000_000), approve('a')]))
    expect(requireCapCoversCommitments(state, { value: 60_000_000 as Tiyn, customizationCapBps: terms.customizationCapBps })).toEqual(E.right(undefined))
    expect(requireCapCoversCommitments(state, { value: 59_999_999 as Tiyn, customizationCapBps: terms.customizationCapBps })).toMatchObject(
      E.left({ _tag: 'CommitmentsExceedAmendedCap', amendedCap: 8_999_999, committed: 9_000_000 }),
    )
  })
})

// Properties

type Op = { kind: 'estimate'; change: number; amount: number } | { kind: 'approve' | 'deliver' | 'accept' | 'cancel'; change: number } | { kind: 'amend'; value: number }
// Few change ids and few amendments, so that changes run their course and commitments meet the cap.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('estimate' as const), change: fc.nat(5), amount: fc.integer({ min: 1, max: 8_000_000 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('approve' as const, 'deliver' as const, 'accept' as const, 'cancel' as const), change: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('amend' as const), value: fc.integer({ min: 0, max: 200_000_000 }) }) },
)

/** What a sequence of operations reaches: refusals at the cap, warnings, amendments refused, commitments near the cap. */
const reachOf = (ops: ReadonlyArray<Op>) => {
  let current = terms
  let state = budgetDecider.initialState
  const out = { capRefused: false, warned: false, amendRefused: false, accepted: false, nearCap: false }
  for (const op of ops) {
    if (op.kind === 'amend') {
      const amended = { ...current, value: op.value as Tiyn }
      if (E.isRight(requireCapCoversCommitments(state, amended))) current = amended
      else out.amendRefused = true
      continue
    }
    const common = { changeId: id(`ch-${op.change}`), at, terms: current }
    const command: BudgetCommand =
      op.kind === 'estimate' ? { type: 'EstimateChange', ...common, actor: supplier, title: 't', amount: op.amount as Tiyn }
      : op.kind === 'approve' ? { type: 'ApproveChange', ...common, actor: customer }
      : op.kind === 'deliver' ? { type: 'DeliverChange', ...common, actor: supplier }
      : op.kind === 'accept' ? { type: 'AcceptChange', ...common, actor: customer }
      : { type: 'CancelChange', ...common, actor: customer, reason: 'r' }
    const r = budgetDecider.decide(command, state)
    if (E.isLeft(r)) {
      if (r.left._tag === 'CapExceeded') out.capRefused = true
      continue
    }
    state = fold(budgetDecider, r.right, state)
    if (r.right.some((e) => e.type === 'CapWarningReached')) out.warned = true
    if (r.right.some((e) => e.type === 'ChangeAccepted')) out.accepted = true
    if (committed(state) * 10 >= customizationCap(current) * 9) out.nearCap = true
  }
  return out
}

/**
 * Sequences in which changes run their course: each step either advances one of a few changes to
 * its next step (estimate, approve, deliver, accept), or is any operation at all (a cancellation,
 * an amendment, a step out of order).
 */
const opsArb: fc.Arbitrary<ReadonlyArray<Op>> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.record({ advance: fc.nat(3), amount: fc.integer({ min: 1, max: 8_000_000 }) }) }, { weight: 1, arbitrary: opArb }), { maxLength: 60, size: 'max' })
  .map((steps) => {
    const stage = new Map<number, number>()
    return steps.map((s): Op => {
      if (!('advance' in s)) return s
      const n = stage.get(s.advance) ?? 0
      stage.set(s.advance, n + 1)
      const kind = (['estimate', 'approve', 'deliver', 'accept'] as const)[Math.min(n, 3)]!
      return kind === 'estimate' ? { kind, change: s.advance, amount: s.amount } : { kind, change: s.advance }
    })
  })

describe('customization budget properties', () => {
  it('its generator reaches refusals at the cap, warnings, refused amendments and acceptances in a stated share of runs', () => {
    expectReaches(opsArb.map(reachOf), {
      'approval refused at the cap': { atLeast: 0.25, reached: (r) => r.capRefused },
      'warning raised': { atLeast: 0.2, reached: (r) => r.warned },
      'amendment refused under the commitments': { atLeast: 0.1, reached: (r) => r.amendRefused },
      'change accepted (spent)': { atLeast: 0.5, reached: (r) => r.accepted },
      'commitments at 90% of the cap or more': { atLeast: 0.12, reached: (r) => r.nearCap },
    }, 500)
  })

  propTest.prop([opsArb])('no sequence of commands ever takes commitments above the cap in force', (ops) => {
    let current = terms
    let state = budgetDecider.initialState
    for (const op of ops) {
      if (op.kind === 'amend') {
        const amended = { ...current, value: op.value as Tiyn }
        if (E.isRight(requireCapCoversCommitments(state, amended))) current = amended
      } else {
        const changeId = id(`ch-${op.change}`)
        const common = { changeId, at, terms: current }
        const command: BudgetCommand =
          op.kind === 'estimate' ? { type: 'EstimateChange', ...common, actor: supplier, title: 't', amount: op.amount as Tiyn }
          : op.kind === 'approve' ? { type: 'ApproveChange', ...common, actor: customer }
          : op.kind === 'deliver' ? { type: 'DeliverChange', ...common, actor: supplier }
          : op.kind === 'accept' ? { type: 'AcceptChange', ...common, actor: customer }
          : { type: 'CancelChange', ...common, actor: customer, reason: 'r' }
        const r = budgetDecider.decide(command, state)
        if (E.isRight(r)) state = fold(budgetDecider, r.right, state)
      }
      expect(committed(state)).toBeLessThanOrEqual(customizationCap(current))
      expect(state.approvedOpen).toBeGreaterThanOrEqual(0)
    }
  })

  propTest.prop([opsArb])('a warning is raised exactly when commitments pass a threshold from below it', (ops) => {
    let state = budgetDecider.initialState
    for (const op of ops) {
      if (op.kind === 'amend') continue
      const changeId = id(`ch-${op.change}`)
      const common = { changeId, at, terms }
      const command: BudgetCommand =
        op.kind === 'estimate' ? { type: 'EstimateChange', ...common, actor: supplier, title: 't', amount: op.amount as Tiyn }
        : op.kind === 'approve' ? { type: 'ApproveChange', ...common, actor: customer }
        : op.kind === 'deliver' ? { type: 'DeliverChange', ...common, actor: supplier }
        : op.kind === 'accept' ? { type: 'AcceptChange', ...common, actor: customer }
        : { type: 'CancelChange', ...common, actor: customer, reason: 'r' }
      const before = committed(state)
      const r = budgetDecider.decide(command, state)
      if (E.isLeft(r)) continue
      state = fold(budgetDecider, r.right, state)
      const cap = customizationCap(terms)
      const raised = r.right.flatMap((e) => (e.type === 'CapWarningReached' ? [e.data.thresholdBps] : []))
      // Committed only grows through approvals; a threshold passed earlier and not fallen below since stays quiet.
      const crossed = command.type === 'ApproveChange' ? [8000, 9500].filter((th) => before * 10_000 < th * cap && committed(state) * 10_000 >= th * cap) : []
      expect(raised).toEqual(crossed)
    }
  })

  it('the round trip reaches amounts past 32 bits and small ones, in a stated share of runs', () => {
    expectReaches(fc.integer({ min: 1, max: 1e12 }), { 'past 2^31 tiyn': { atLeast: 0.5, reached: (n) => n > 2 ** 31 }, 'under 10,000 tiyn': { atLeast: 0.05, reached: (n) => n < 10_000 } })
  })

  propTest.prop([fc.constantFrom('a', 'b'), fc.integer({ min: 1, max: 1e12 })])('commands survive an encode/decode round trip', (c, amount) => {
    for (const command of [estimate(c, amount), approve(c), cancel(c)]) {
      expect(BudgetCommand.decode(JSON.parse(JSON.stringify(BudgetCommand.encode(command))))).toEqual(E.right(command))
    }
  })

  it('events survive an encode/decode round trip through the catalog', () => {
    const events = run([estimate('a', 12_000_000), approve('a'), deliver('a'), accept('a'), estimate('b', 1), cancel('b')])
    for (const [i, e] of events.entries()) {
      const enc = budgetEvents.encode(e, 'budget-C', i)
      if (E.isLeft(enc)) throw new Error(enc.left.message)
      const dec = budgetEvents.decode({ ...enc.right, data: JSON.parse(JSON.stringify(enc.right.data)), streamId: 's', streamVersion: i + 1, globalPosition: i + 1, eventId: `e${i}`, metadata: { actor: supplier, at: at, recordedAt: at } })
      expect(E.isRight(dec) && { type: dec.right.type, data: dec.right.data }).toEqual(e)
    }
  })
})
