import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import { scenario } from '../testing/scenario.js'
import { defaultSlaPolicy, type PositiveMinutes, type SlaPolicy } from '../sla/sla-policy.js'
import type { AmendContract } from './contract-commands.js'
import { contractDecider, isInForceAt, slaPolicyAt, termsAt } from './contract-decider.js'
import type { ContractEvent } from './contract-events.js'
import { exampleCustomer, exampleRegistration, exampleSupplier } from './contract-fixtures.js'
import type { ContractId, LocalDate, Tiyn } from './contract-terms.js'

const at = (iso: string) => iso as Instant
const registration = exampleRegistration()
const { type: _t, actor: _a, ...registeredData } = registration
const registered: ContractEvent = { type: 'ContractRegistered', data: registeredData }

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

const stricter: SlaPolicy = {
  ...defaultSlaPolicy,
  deadlineProposal: {
    ...defaultSlaPolicy.deadlineProposal,
    rules: { ...defaultSlaPolicy.deadlineProposal.rules, default: { ...defaultSlaPolicy.deadlineProposal.rules.default, minutes: 60 as PositiveMinutes } },
  },
}

describe('Contract', () => {
  it('given nothing, when a party registers a contract, then it is registered with the defaults', () => {
    const [event] = scenario(contractDecider).given([]).when(registration).then([registered])
    expect(event?.type === 'ContractRegistered' && event.data.customizationCapBps).toBe(1500)
    expect(event?.type === 'ContractRegistered' && event.data.deliveryCadence).toBe('quarterly')
  })

  it('refuses registration by the system, a second registration, an unknown zone and a reversed term', () => {
    scenario(contractDecider).given([]).when(exampleRegistration({ actor: { party: 'system', id: 'cron' } })).thenFails({ _tag: 'WrongParty' })
    scenario(contractDecider).given([registered]).when(registration).thenFails({ _tag: 'ContractAlreadyRegistered' })
    scenario(contractDecider).given([]).when(exampleRegistration({ timeZone: 'Asia/Astana' })).thenFails({ _tag: 'UnknownTimeZone' })
    scenario(contractDecider)
      .given([])
      .when(exampleRegistration({ term: { start: '2025-01-01' as LocalDate, end: '2024-12-31' as LocalDate } }))
      .thenFails({ _tag: 'TermEndsBeforeStart' })
  })

  it('records an amendment with the instant it takes effect in the contract zone', () => {
    scenario(contractDecider)
      .given([registered])
      .when(amendment())
      .then([
        {
          type: 'ContractAmended',
          data: {
            contractId: 'C-2024-001' as ContractId,
            amendmentId: 'A-1',
            effectiveFrom: '2025-01-01' as LocalDate,
            // Almaty is UTC+5 since 2024-03-01: local midnight is 19:00 UTC the day before.
            effectiveAt: at('2024-12-31T19:00:00.000Z'),
            changes: { value: 12_000_000_000 as Tiyn },
            reason: 'additional modules',
            at: at('2024-12-10T06:00:00.000Z'),
          },
        },
      ])
  })

  it('refuses a backdated, empty, repeated or out-of-term amendment, and one before registration', () => {
    scenario(contractDecider).given([registered]).when(amendment({ at: at('2025-01-02T06:00:00.000Z') })).thenFails({ _tag: 'AmendmentBackdated' })
    scenario(contractDecider).given([registered]).when(amendment({ changes: {} })).thenFails({ _tag: 'AmendmentEmpty' })
    scenario(contractDecider).given([]).when(amendment()).thenFails({ _tag: 'ContractNotRegistered' })
    scenario(contractDecider).given([registered]).when(amendment({ effectiveFrom: '2027-02-01' as LocalDate })).thenFails({ _tag: 'ContractNotInForce' })
    const once = contractDecider.decide(amendment(), fold(contractDecider, [registered]))
    expect(E.isRight(once)).toBe(true)
    if (E.isRight(once)) scenario(contractDecider).given([registered, ...once.right]).when(amendment()).thenFails({ _tag: 'AmendmentAlreadyRecorded' })
  })

  it('gives the terms and policy in force at each instant: an amendment never reaches back before its effective date', () => {
    const events: ContractEvent[] = [registered]
    for (const command of [
      amendment({ amendmentId: 'A-2', effectiveFrom: '2025-07-01' as LocalDate, changes: { slaPolicy: stricter, calendarId: 'kz-6day' } }),
      amendment(),
    ]) {
      const decided = contractDecider.decide(command, fold(contractDecider, events))
      if (E.isLeft(decided)) throw new Error(decided.left.message)
      events.push(...decided.right)
    }
    const state = fold(contractDecider, events)
    expect(termsAt(state, at('2024-12-31T18:59:59.999Z'))?.value).toBe(10_000_000_000)
    expect(termsAt(state, at('2024-12-31T19:00:00.000Z'))?.value).toBe(12_000_000_000)
    expect(termsAt(state, at('2025-06-30T18:59:59.999Z'))?.calendarId).toBe('kz-5day')
    expect(termsAt(state, at('2025-06-30T19:00:00.000Z'))).toMatchObject({ value: 12_000_000_000, calendarId: 'kz-6day' })
    expect(slaPolicyAt(state, at('2025-06-30T18:59:59.999Z'))).toEqual(defaultSlaPolicy)
    expect(slaPolicyAt(state, at('2025-06-30T19:00:00.000Z'))).toEqual(stricter)
    expect(termsAt(fold(contractDecider, []), at('2025-01-01T00:00:00.000Z'))).toBeUndefined()
  })

  it('is in force from 00:00 of its first day to 24:00 of its last, in its own zone', () => {
    const terms = termsAt(fold(contractDecider, [registered]), at('2024-06-01T00:00:00.000Z'))
    if (terms === undefined) throw new Error('no terms')
    // 2024-01-01 00:00 in Almaty was still UTC+6.
    expect(isInForceAt(terms, at('2023-12-31T17:59:59.999Z'))).toBe(false)
    expect(isInForceAt(terms, at('2023-12-31T18:00:00.000Z'))).toBe(true)
    expect(isInForceAt(terms, at('2026-12-31T18:59:59.999Z'))).toBe(true)
    expect(isInForceAt(terms, at('2026-12-31T19:00:00.000Z'))).toBe(false)
  })

  it('extends the term by amendment from its effective date', () => {
    const decided = contractDecider.decide(
      amendment({ effectiveFrom: '2026-12-01' as LocalDate, changes: { termEnd: '2027-12-31' as LocalDate }, at: at('2026-11-01T06:00:00.000Z'), actor: exampleSupplier }),
      fold(contractDecider, [registered]),
    )
    if (E.isLeft(decided)) throw new Error(decided.left.message)
    const state = fold(contractDecider, [registered, ...decided.right])
    const later = at('2027-06-01T06:00:00.000Z')
    const terms = termsAt(state, later)
    expect(terms !== undefined && isInForceAt(terms, later)).toBe(true)
    expect(termsAt(state, at('2026-11-30T06:00:00.000Z'))?.term.end).toBe('2026-12-31')
  })
})
