import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { fold } from '../kernel/decider.js'
import { instantOf } from '../kernel/instant.js'
import type { Party } from '../kernel/recorded-event.js'
import { defaultSlaPolicy, type PositiveMinutes } from '../sla/sla-policy.js'
import { assertFoldIsChunkable, expectReaches } from '../testing/arbitraries.js'
import { ContractCommand, type AmendContract } from './contract-commands.js'
import { contractDecider, termsAt } from './contract-decider.js'
import { contractEvents, type ContractEvent } from './contract-events.js'
import { exampleCustomer, exampleRegistration, exampleSupplier } from './contract-fixtures.js'
import type { BasisPoints, ContractId, LocalDate, Tiyn } from './contract-terms.js'

const dayArb = fc
  .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString().slice(0, 10) as LocalDate)

const amendmentArb = (i: number): fc.Arbitrary<AmendContract> =>
  fc.record({
    effectiveFrom: dayArb,
    recordedDaysBefore: fc.integer({ min: 1, max: 60 }),
    changes: fc.record(
      {
        value: fc.integer({ min: 1, max: 1e13 }).map((n) => n as Tiyn),
        customizationCapBps: fc.integer({ min: 0, max: 10_000 }).map((n) => n as BasisPoints),
        calendarId: fc.constantFrom('kz-5day', 'kz-6day'),
        slaPolicy: fc.integer({ min: 1, max: 600 }).map((minutes) => ({
          ...defaultSlaPolicy,
          deadlineProposal: { ...defaultSlaPolicy.deadlineProposal, rules: { default: { ...defaultSlaPolicy.deadlineProposal.rules.default, minutes: minutes as PositiveMinutes }, byPriority: {} } },
        })),
        termEnd: fc.constantFrom('2026-12-31' as LocalDate, '2027-12-31' as LocalDate),
      },
      { requiredKeys: ['value'] },
    ),
    actor: fc.constantFrom(exampleCustomer, exampleSupplier),
  }).map(({ effectiveFrom, recordedDaysBefore, changes, actor }) => ({
    type: 'AmendContract' as const,
    contractId: 'C-2024-001' as ContractId,
    amendmentId: `A-${i}`,
    effectiveFrom,
    changes,
    reason: 'signed',
    actor,
    at: instantOf(Date.parse(`${effectiveFrom}T00:00:00Z`) - recordedDaysBefore * 86_400_000),
  }))

/** A registration and the amendments the decider accepted, with the commands given. */
const historyArb = fc
  .array(fc.nat(), { maxLength: 8 })
  .chain((seeds) => fc.tuple(...seeds.map((_, i) => amendmentArb(i))))
  .map((amendments) => {
    const commands: ContractCommand[] = [exampleRegistration()]
    const events: ContractEvent[] = []
    for (const c of commands.concat(amendments)) {
      const decided = contractDecider.decide(c, fold(contractDecider, events))
      if (E.isRight(decided)) {
        if (c.type === 'AmendContract') commands.push(c)
        events.push(...decided.right)
      }
    }
    return { commands, events }
  })

describe('Contract properties', () => {
  it('folds any history the same at once or in chunks', () => {
    assertFoldIsChunkable(contractDecider, historyArb.map((h) => h.events), { numRuns: 200 })
  })

  it('round-trips every command and event through its codec', () => {
    fc.assert(
      fc.property(historyArb, ({ commands, events }) => {
        for (const c of commands) expect(ContractCommand.decode(ContractCommand.encode(c))).toEqual(E.right(c))
        for (const e of events) expect(contractEvents.codec.decode(contractEvents.codec.encode(e))).toEqual(E.right(e))
      }),
      { numRuns: 200 },
    )
  })

  it('never changes the terms in force before an amendment was recorded', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: Date.parse('2023-12-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }), ({ events }, ms) => {
        const at = instantOf(ms)
        // Terms at `at` from the history as it stood then equal the terms at `at` from the whole history.
        const knownThen = events.filter((e) => e.data.at <= at)
        const full = fold(contractDecider, events)
        const then = fold(contractDecider, knownThen)
        if (then.status === 'registered') expect(termsAt(full, at)).toEqual(termsAt(then, at))
      }),
      { numRuns: 300 },
    )
  })

  it('its generator reaches histories with amendments, and instants before an amendment was recorded, in a stated share of runs', () => {
    expectReaches(historyArb, {
      'an amendment accepted': { atLeast: 0.5, reached: ({ events }) => events.length >= 2 },
      'three or more amendments accepted': { atLeast: 0.15, reached: ({ events }) => events.length >= 4 },
    })
    const instantArb = fc.integer({ min: Date.parse('2023-12-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }).map(instantOf)
    expectReaches(fc.tuple(historyArb, instantArb), {
      'registered, with an amendment recorded after the instant': {
        atLeast: 0.25,
        reached: ([{ events }, at]) => events[0] !== undefined && events[0].data.at <= at && events.some((e) => e.type === 'ContractAmended' && e.data.at > at),
      },
    })
  })

  it('refuses the system as a party to a contract', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom<Party>('system'), ({ commands, events }, party) => {
        for (const c of commands) {
          const decided = contractDecider.decide({ ...c, actor: { party, id: 'cron' } }, fold(contractDecider, events))
          expect(decided).toMatchObject({ _tag: 'Left', left: { _tag: 'WrongParty' } })
        }
      }),
      { numRuns: 50 },
    )
  })
})
