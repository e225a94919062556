import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { contractDecider } from '../contract/contract-decider.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../testing/contract-fixtures.js'
import { countersignAmendment, type AmendContract, type ContractCommand } from '../contract/contract-commands.js'
import type { BasisPoints } from '../values/basis-points.js'
import type { LocalDate } from '../values/local-date.js'
import type { Tiyn } from '../values/money.js'
import { exampleTerms } from '../ticket/ticket.fixture.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import { createInMemoryStorage, inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import { contractEvents, contractStreamId, type ContractEvent } from '../contract/contract-events.js'
import { budgetDecider } from './budget-decider.js'
import { budgetEvents, budgetStreamId } from './budget-events.js'
import { type ChangeId } from '../values/domain-ids.js'
import { contractCommandHandler, decideAmendmentWithinBudget } from './amendment-within-budget.js'

const registration = exampleRegistration()
const terms = exampleTerms
const at = '2025-06-02T05:00:00.000Z' as Instant
const decideAll = (commands: ReadonlyArray<ContractCommand>, from = contractDecider.initialState): ContractEvent[] => {
  const events: ContractEvent[] = []
  for (const c of commands) {
    const decided = contractDecider.decide(c, fold(contractDecider, events, from))
    if (E.isLeft(decided)) throw new Error(decided.left.message)
    events.push(...decided.right)
  }
  return events
}
const signedEvents = decideAll([registration, exampleCountersignature()])
const contract = fold(contractDecider, signedEvents)
// 1.2 billion tiyn committed against a 1.5 billion cap (15% of 10 billion).
const budgetEventsGiven = [
  { type: 'ChangeEstimated', data: { contractId: terms.contractId, changeId: 'big' as ChangeId, at, actor: exampleSupplier, title: 'big', amount: 1_200_000_000 as Tiyn } },
  { type: 'ChangeApproved', data: { contractId: terms.contractId, changeId: 'big' as ChangeId, at, actor: { party: 'customer', id: 'aigerim' }, amount: 1_200_000_000 as Tiyn, committedAfter: 1_200_000_000 as Tiyn, cap: 1_500_000_000 as Tiyn } },
] as const
const budget = fold(budgetDecider, budgetEventsGiven)
const amend = (value: number): AmendContract => ({
  type: 'AmendContract', contractId: terms.contractId, amendmentId: `A-${value}`, effectiveFrom: '2025-07-01' as LocalDate,
  changes: { value: value as Tiyn }, reason: 'scope change', actor: exampleSupplier, at,
})

describe('amendment within budget', () => {
  it('given 1.2 billion tiyn committed, an amendment to 8 billion (cap 1.2 billion) is recorded', () => {
    expect(E.isRight(decideAmendmentWithinBudget(amend(8_000_000_000), contract, budget))).toBe(true)
  })

  it('an amendment to 7.9 billion (cap 1.185 billion) is refused with the committed sum', () => {
    expect(decideAmendmentWithinBudget(amend(7_900_000_000), contract, budget)).toMatchObject(
      E.left({ _tag: 'CommitmentsExceedAmendedCap', amendedCap: 1_185_000_000, committed: 1_200_000_000 }),
    )
  })

  it('an amendment that takes effect before one already recorded is checked against the terms the later one then puts in force', () => {
    // Given 1.2 billion committed, and a recorded amendment lowering the value to 9 billion from 1 September (cap 1.35 billion)
    const september: AmendContract = { ...amend(9_000_000_000), amendmentId: 'A-sept', effectiveFrom: '2025-09-01' as LocalDate }
    const withSeptember = fold(contractDecider, decideAll([september, countersignAmendment({ contractId: terms.contractId, amendmentId: 'A-sept', actor: exampleCustomer, at })], contract), contract)
    // When an amendment lowers the cap to 13% from 1 July: 1.3 billion in July, but 9 billion × 13% = 1.17 billion from September
    const july: AmendContract = { ...amend(0), amendmentId: 'A-july', changes: { customizationCapBps: 1300 as BasisPoints } }
    // Then it is refused with the cap it would leave from September
    expect(decideAmendmentWithinBudget(july, withSeptember, budget)).toMatchObject(
      E.left({ _tag: 'CommitmentsExceedAmendedCap', amendedCap: 1_170_000_000, committed: 1_200_000_000 }),
    )
  })

  it('the application service reads the budget from the store and refuses the same amendment there', async () => {
    const storage = createInMemoryStorage()
    const contracts = inMemoryEventStore(contractEvents, storage)
    const budgets = inMemoryEventStore(budgetEvents, storage)
    const metadata = { actor: exampleSupplier, at: at }
    await contracts.append(contractStreamId(terms.contractId), signedEvents.map((event) => ({ event, metadata })))()
    await budgets.append(budgetStreamId(terms.contractId), budgetEventsGiven.map((event) => ({ event, metadata })))()
    const service = contractCommandHandler({ contracts, budgets })
    expect(await service(amend(7_900_000_000), undefined, metadata)()).toMatchObject(E.left({ _tag: 'CommitmentsExceedAmendedCap' }))
    expect(E.isRight(await service(amend(9_000_000_000), undefined, metadata)())).toBe(true)
  })
})
