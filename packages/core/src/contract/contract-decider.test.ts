import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import { scenario } from '../testing/scenario.js'
import { defaultSlaPolicy, type PositiveMinutes, type SlaPolicy } from '../sla/sla-policy.js'
import { countersignAmendment, type AmendContract, type ContractCommand, type CountersignAmendment } from './contract-commands.js'
import { defaultContractPolicy, type ContractPolicy } from './contract-policy.js'
import { contractDecider, isInForceAt, slaPolicyAt, termsAt } from './contract-decider.js'
import type { ContractEvent } from './contract-events.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../testing/contract-fixtures.js'
import type { ContractId } from '../values/domain-ids.js'
import type { LocalDate } from '../values/local-date.js'
import type { Tiyn } from '../values/money.js'

const at = (iso: string) => iso as Instant
const registration = exampleRegistration()
const { type: _t, actor: _a, ...proposedData } = registration
const proposed: ContractEvent = { type: 'ContractProposed', data: { ...proposedData, proposedBy: exampleSupplier } }
const countersigned: ContractEvent = { type: 'ContractCountersigned', data: { contractId: registration.contractId, countersignedBy: exampleCustomer, at: exampleCountersignature().at } }
/** The example contract as both parties signed it. */
const registered: ReadonlyArray<ContractEvent> = [proposed, countersigned]
const { policy: _p, ...legacyData } = proposedData
/** A contract recorded on one signature before both parties signed: still read, with the default policy. */
const legacy: ContractEvent = { type: 'ContractRegistered', data: legacyData }

const amendment = (overrides: Partial<AmendContract> = {}): AmendContract => ({
  type: 'AmendContract',
  contractId: 'C-2024-001' as ContractId,
  amendmentId: 'A-1',
  effectiveFrom: '2025-01-01' as LocalDate,
  changes: { value: 12_000_000_000 as Tiyn },
  reason: 'additional modules',
  actor: exampleCustomer,
  at: at('2024-12-10T06:00:00.000Z'),
  ...overrides,
})

/** The supplier's countersignature on amendment `A-1` (or the one named), a day after the customer proposed it. */
const countersign = (overrides: Partial<CountersignAmendment> = {}): CountersignAmendment =>
  countersignAmendment({ contractId: 'C-2024-001' as ContractId, amendmentId: 'A-1', actor: exampleSupplier, at: at('2024-12-11T06:00:00.000Z'), ...overrides })

const play = (given: ReadonlyArray<ContractEvent>, commands: ReadonlyArray<ContractCommand>): ContractEvent[] => {
  const events = [...given]
  for (const command of commands) {
    const decided = contractDecider.decide(command, fold(contractDecider, events))
    if (E.isLeft(decided)) throw new Error(decided.left.message)
    events.push(...decided.right)
  }
  return events
}

const stricter: SlaPolicy = {
  ...defaultSlaPolicy,
  deadlineProposal: {
    ...defaultSlaPolicy.deadlineProposal,
    rules: { ...defaultSlaPolicy.deadlineProposal.rules, default: { ...defaultSlaPolicy.deadlineProposal.rules.default, minutes: 60 as PositiveMinutes } },
  },
}

describe('Contract', () => {
  it('given nothing, when one party proposes the terms, nothing is in force until the other countersigns', () => {
    scenario(contractDecider).given([]).when(registration).then([proposed])
    expect(termsAt(fold(contractDecider, [proposed]), at('2024-06-01T00:00:00.000Z'))).toBeUndefined()
    scenario(contractDecider).given([proposed]).when(exampleCountersignature()).then([countersigned])
    const terms = termsAt(fold(contractDecider, registered), at('2024-06-01T00:00:00.000Z'))
    expect(terms).toMatchObject({ customizationCapBps: 1500, deliveryCadence: 'quarterly', policy: defaultContractPolicy })
  })

  it('refuses a countersignature by the proposing party, by a person the contract does not list, or by one without the role to sign', () => {
    scenario(contractDecider).given([proposed]).when(exampleCountersignature({ actor: exampleSupplier })).thenFails({ _tag: 'WrongParty', expected: ['customer'] })
    scenario(contractDecider).given([proposed]).when(exampleCountersignature({ actor: { party: 'customer', id: 'mallory' } })).thenFails({ _tag: 'PersonNotListed' })
    const clerk = exampleRegistration({
      parties: { ...registration.parties, customer: { name: 'Customer LLP', people: [{ id: 'aigerim', roles: ['requests', 'acceptance'] }, { id: 'ruslan', roles: ['amendments'] }] } },
    })
    const { type: _type, actor: _actor, ...data } = clerk
    const given: ContractEvent[] = [{ type: 'ContractProposed', data: { ...data, proposedBy: exampleSupplier } }]
    scenario(contractDecider).given(given).when(exampleCountersignature()).thenFails({ _tag: 'RoleNotHeld', role: 'amendments', actor: exampleCustomer })
    scenario(contractDecider).given(given).when(exampleCountersignature({ actor: { party: 'customer', id: 'ruslan' } })).then([
      { type: 'ContractCountersigned', data: { contractId: registration.contractId, countersignedBy: { party: 'customer', id: 'ruslan' }, at: exampleCountersignature().at } },
    ])
    scenario(contractDecider).given([proposed]).when(exampleCountersignature({ at: at('2023-12-19T00:00:00.000Z') })).thenFails({ _tag: 'SignedBeforeProposed' })
    scenario(contractDecider).given([]).when(exampleCountersignature()).thenFails({ _tag: 'ContractNotProposed' })
  })

  it('refuses registration by the system, a second proposal or registration, an unknown zone and a reversed term', () => {
    scenario(contractDecider).given([]).when(exampleRegistration({ actor: { party: 'system', id: 'cron' } })).thenFails({ _tag: 'WrongParty' })
    scenario(contractDecider).given([proposed]).when(registration).thenFails({ _tag: 'ContractAlreadyProposed' })
    scenario(contractDecider).given(registered).when(registration).thenFails({ _tag: 'ContractAlreadyRegistered' })
    scenario(contractDecider).given([legacy]).when(registration).thenFails({ _tag: 'ContractAlreadyRegistered' })
    scenario(contractDecider).given([]).when(exampleRegistration({ timeZone: 'Asia/Astana' })).thenFails({ _tag: 'UnknownTimeZone' })
    scenario(contractDecider)
      .given([])
      .when(exampleRegistration({ term: { start: '2025-01-01' as LocalDate, end: '2024-12-31' as LocalDate } }))
      .thenFails({ _tag: 'TermEndsBeforeStart' })
  })

  it('refuses a policy rule outside its bounds, naming the field, at registration and in an amendment', () => {
    const policy = (changes: Partial<ContractPolicy>) => exampleRegistration({ policy: { ...defaultContractPolicy, ...changes } })
    scenario(contractDecider).given([]).when(policy({ deliveryGraceDays: -200 })).thenFails({ _tag: 'PolicyRuleInvalid', field: 'policy.deliveryGraceDays', value: -200 })
    scenario(contractDecider).given([]).when(policy({ deliveryGraceDays: Number.NaN })).thenFails({ _tag: 'PolicyRuleInvalid', field: 'policy.deliveryGraceDays' })
    scenario(contractDecider).given([]).when(policy({ deliveryGraceDays: 2.5 })).thenFails({ _tag: 'PolicyRuleInvalid', field: 'policy.deliveryGraceDays' })
    scenario(contractDecider).given([]).when(policy({ backupLagLimitMinutes: 0 })).thenFails({ _tag: 'PolicyRuleInvalid', field: 'policy.backupLagLimitMinutes' })
    const huge = { ...defaultContractPolicy.failureReportWindow, minutes: 10_000_000 as PositiveMinutes }
    scenario(contractDecider).given([]).when(policy({ failureReportWindow: huge })).thenFails({ _tag: 'PolicyRuleInvalid', field: 'policy.failureReportWindow.minutes' })
    scenario(contractDecider).given(registered).when(amendment({ changes: { policy: { deliveryGraceDays: 91 } } })).thenFails({ _tag: 'PolicyRuleInvalid', field: 'policy.deliveryGraceDays' })
    scenario(contractDecider).given([]).when(policy({ deliveryGraceDays: 0 })).thenFails({ _tag: 'PolicyRuleInvalid', field: 'policy.deliveryGraceDays', value: 0 })
    scenario(contractDecider).given([]).when(policy({ deliveryGraceDays: 1e9 })).thenFails({ _tag: 'PolicyRuleInvalid', field: 'policy.deliveryGraceDays' })
    scenario(contractDecider).given([]).when(policy({ deliveryGraceDays: 90 })).then([{ type: 'ContractProposed', data: { ...proposedData, policy: { ...defaultContractPolicy, deliveryGraceDays: 90 }, proposedBy: exampleSupplier } }])
  })

  it('records a proposed amendment with the instant it takes effect in the contract zone; it binds once the other party countersigns', () => {
    scenario(contractDecider)
      .given(registered)
      .when(amendment())
      .then([
        {
          type: 'AmendmentProposed',
          data: {
            contractId: 'C-2024-001' as ContractId,
            amendmentId: 'A-1',
            effectiveFrom: '2025-01-01' as LocalDate,
            // Almaty is UTC+5 since 2024-03-01: local midnight is 19:00 UTC the day before.
            effectiveAt: at('2024-12-31T19:00:00.000Z'),
            changes: { value: 12_000_000_000 as Tiyn },
            reason: 'additional modules',
            proposedBy: exampleCustomer,
            at: at('2024-12-10T06:00:00.000Z'),
          },
        },
      ])
    const pending = play(registered, [amendment()])
    expect(termsAt(fold(contractDecider, pending), at('2025-02-01T00:00:00.000Z'))?.value).toBe(10_000_000_000)
    scenario(contractDecider).given(pending).when(countersign({ actor: exampleCustomer })).thenFails({ _tag: 'WrongParty', expected: ['supplier'] })
    scenario(contractDecider).given(pending).when(countersign({ actor: { party: 'supplier', id: 'someone-of-another-contract' } })).thenFails({ _tag: 'PersonNotListed' })
    // Countersigned after its effective date, it would change results already known.
    scenario(contractDecider).given(pending).when(countersign({ at: at('2025-01-02T06:00:00.000Z') })).thenFails({ _tag: 'AmendmentBackdated' })
    scenario(contractDecider).given(registered).when(countersign()).thenFails({ _tag: 'AmendmentNotProposed' })
    const signed = play(pending, [countersign()])
    expect(termsAt(fold(contractDecider, signed), at('2025-02-01T00:00:00.000Z'))?.value).toBe(12_000_000_000)
    scenario(contractDecider).given(signed).when(countersign()).thenFails({ _tag: 'AmendmentAlreadyRecorded' })
  })

  it('refuses a backdated, empty, repeated or out-of-term amendment, and one before registration', () => {
    scenario(contractDecider).given(registered).when(amendment({ at: at('2025-01-02T06:00:00.000Z') })).thenFails({ _tag: 'AmendmentBackdated' })
    scenario(contractDecider).given(registered).when(amendment({ changes: {} })).thenFails({ _tag: 'AmendmentEmpty' })
    scenario(contractDecider).given(registered).when(amendment({ changes: { policy: {} } })).thenFails({ _tag: 'AmendmentEmpty' })
    scenario(contractDecider).given([]).when(amendment()).thenFails({ _tag: 'ContractNotRegistered' })
    scenario(contractDecider).given([proposed]).when(amendment()).thenFails({ _tag: 'ContractNotRegistered' })
    scenario(contractDecider).given(registered).when(amendment({ effectiveFrom: '2027-02-01' as LocalDate })).thenFails({ _tag: 'ContractNotInForce' })
    scenario(contractDecider).given(play(registered, [amendment()])).when(amendment()).thenFails({ _tag: 'AmendmentAlreadyRecorded' })
    scenario(contractDecider).given(play(registered, [amendment(), countersign()])).when(amendment()).thenFails({ _tag: 'AmendmentAlreadyRecorded' })
  })

  it('gives the terms and policy in force at each instant: an amendment never reaches back before its effective date', () => {
    const events = play(registered, [
      amendment({ amendmentId: 'A-2', effectiveFrom: '2025-07-01' as LocalDate, changes: { slaPolicy: stricter, calendarId: 'kz-6day', policy: { deliveryGraceDays: 20, archiving: 'weekly' } } }),
      countersign({ amendmentId: 'A-2' }),
      amendment(),
      countersign(),
    ])
    const state = fold(contractDecider, events)
    expect(termsAt(state, at('2024-12-31T18:59:59.999Z'))?.value).toBe(10_000_000_000)
    expect(termsAt(state, at('2024-12-31T19:00:00.000Z'))?.value).toBe(12_000_000_000)
    expect(termsAt(state, at('2025-06-30T18:59:59.999Z'))?.calendarId).toBe('kz-5day')
    expect(termsAt(state, at('2025-06-30T19:00:00.000Z'))).toMatchObject({ value: 12_000_000_000, calendarId: 'kz-6day' })
    expect(slaPolicyAt(state, at('2025-06-30T18:59:59.999Z'))).toEqual(defaultSlaPolicy)
    expect(slaPolicyAt(state, at('2025-06-30T19:00:00.000Z'))).toEqual(stricter)
    // Policy rules change one by one: the rest stay as signed.
    expect(termsAt(state, at('2025-06-30T18:59:59.999Z'))?.policy).toEqual(defaultContractPolicy)
    expect(termsAt(state, at('2025-06-30T19:00:00.000Z'))?.policy).toEqual({ ...defaultContractPolicy, deliveryGraceDays: 20, archiving: 'weekly' })
    expect(termsAt(fold(contractDecider, []), at('2025-01-01T00:00:00.000Z'))).toBeUndefined()
  })

  it('changes the people of a party from an amendment\'s effective date: a newcomer may sign after it, a leaver no longer', () => {
    const parties = { ...registration.parties, supplier: { name: 'Supplier LLP', people: ['timur'] } }
    const events = play(registered, [amendment({ changes: { parties } }), countersign()])
    const state = fold(contractDecider, events)
    expect(termsAt(state, at('2025-02-01T00:00:00.000Z'))?.parties.supplier.people).toEqual(['timur'])
    const next = amendment({ amendmentId: 'A-2', effectiveFrom: '2025-03-01' as LocalDate, at: at('2025-02-01T06:00:00.000Z') })
    const pending = play(events, [next])
    scenario(contractDecider).given(pending).when(countersign({ amendmentId: 'A-2', at: at('2025-02-02T06:00:00.000Z') })).thenFails({ _tag: 'PersonNotListed' })
    expect(E.isRight(contractDecider.decide(countersign({ amendmentId: 'A-2', actor: { party: 'supplier', id: 'timur' }, at: at('2025-02-02T06:00:00.000Z') }), fold(contractDecider, pending)))).toBe(true)
  })

  it('still reads a contract and an amendment recorded on one signature, with the default policy', () => {
    const old: ContractEvent = { type: 'ContractAmended', data: { contractId: 'C-2024-001' as ContractId, amendmentId: 'OLD', effectiveFrom: '2025-01-01' as LocalDate, effectiveAt: at('2024-12-31T19:00:00.000Z'), changes: { value: 11_000_000_000 as Tiyn }, reason: 'old', at: at('2024-12-01T00:00:00.000Z') } }
    const state = fold(contractDecider, [legacy, old])
    expect(termsAt(state, at('2025-02-01T00:00:00.000Z'))).toMatchObject({ value: 11_000_000_000, policy: defaultContractPolicy })
  })

  it('is in force from 00:00 of its first day to 24:00 of its last, in its own zone', () => {
    const terms = termsAt(fold(contractDecider, registered), at('2024-06-01T00:00:00.000Z'))
    if (terms === undefined) throw new Error('no terms')
    // 2024-01-01 00:00 in Almaty was still UTC+6.
    expect(isInForceAt(terms, at('2023-12-31T17:59:59.999Z'))).toBe(false)
    expect(isInForceAt(terms, at('2023-12-31T18:00:00.000Z'))).toBe(true)
    expect(isInForceAt(terms, at('2026-12-31T18:59:59.999Z'))).toBe(true)
    expect(isInForceAt(terms, at('2026-12-31T19:00:00.000Z'))).toBe(false)
  })

  it('extends the term by amendment from its effective date', () => {
    const state = fold(contractDecider, play(registered, [
      amendment({ effectiveFrom: '2026-12-01' as LocalDate, changes: { termEnd: '2027-12-31' as LocalDate }, at: at('2026-11-01T06:00:00.000Z'), actor: exampleSupplier }),
      countersign({ actor: exampleCustomer, at: at('2026-11-02T06:00:00.000Z') }),
    ]))
    const later = at('2027-06-01T06:00:00.000Z')
    const terms = termsAt(state, later)
    expect(terms !== undefined && isInForceAt(terms, later)).toBe(true)
    expect(termsAt(state, at('2026-11-30T06:00:00.000Z'))?.term.end).toBe('2026-12-31')
  })
})
