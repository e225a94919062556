import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { fold } from '../kernel/decider.js'
import { instantOf } from '../kernel/instant.js'
import type { Party } from '../kernel/recorded-event.js'
import { defaultSlaPolicy, type PositiveMinutes } from '../sla/sla-policy.js'
import { assertFoldIsChunkable, expectReaches } from '../testing/arbitraries.js'
import { ContractCommand, countersignAmendment, type AmendContract } from './contract-commands.js'
import { contractDecider, termsAt } from './contract-decider.js'
import { contractEvents, type ContractEvent } from './contract-events.js'
import { exampleCountersignature, exampleCustomer, exampleRegistration, exampleSupplier } from '../testing/contract-fixtures.js'
import type { BasisPoints } from '../values/basis-points.js'
import type { ContractId } from '../values/domain-ids.js'
import type { LocalDate } from '../values/local-date.js'
import type { Tiyn } from '../values/money.js'

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

/** The example contract as both parties signed it, then amendments: each proposed by one party and, mostly, countersigned by the other before it takes effect. */
const historyArb = fc
  .array(fc.record({ countersign: fc.double({ min: 0, max: 1.2, noNaN: true }) }), { maxLength: 8 })
  .chain((plans) => fc.tuple(fc.constant(plans), fc.tuple(...plans.map((_, i) => amendmentArb(i)))))
  .map(([plans, amendments]) => {
    const commands: ContractCommand[] = []
    const events: ContractEvent[] = []
    const apply = (c: ContractCommand) => {
      const decided = contractDecider.decide(c, fold(contractDecider, events))
      if (E.isRight(decided)) {
        commands.push(c)
        events.push(...decided.right)
      }
    }
    apply(exampleRegistration())
    apply(exampleCountersignature())
    amendments.forEach((a, i) => {
      apply(a)
      // The other party signs somewhere between the proposal and a little after the effective date (then refused as backdated).
      const share = plans[i]?.countersign ?? 0
      const effective = Date.parse(`${a.effectiveFrom}T00:00:00Z`)
      const at = instantOf(Math.floor(Date.parse(a.at) + share * (effective - Date.parse(a.at))))
      apply(countersignAmendment({ contractId: a.contractId, amendmentId: a.amendmentId, actor: a.actor.party === 'customer' ? exampleSupplier : exampleCustomer, at }))
    })
    return { commands, events }
  })

/** Histories with at least one amendment both parties signed: the states the properties below are about. */
const signedAmendments = (events: ReadonlyArray<ContractEvent>): number => events.filter((e) => e.type === 'AmendmentCountersigned').length

describe('Contract properties', () => {
  it('the histories reach signed amendments in most runs', () => {
    const samples = fc.sample(historyArb, { numRuns: 300, seed: 7 })
    const withSigned = samples.filter((h) => signedAmendments(h.events) > 0).length
    const withPending = samples.filter((h) => h.events.filter((e) => e.type === 'AmendmentProposed').length > signedAmendments(h.events)).length
    // Measured: 88% of histories have a signed amendment, 9% one left unsigned (countersigned too late); below these floors the generator has drifted.
    expect(withSigned / samples.length).toBeGreaterThanOrEqual(0.6)
    expect(withPending / samples.length).toBeGreaterThanOrEqual(0.05)
  })

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
        // Every event carries the instant it was recorded (a countersignature, its own).
        const knownThen = events.filter((e) => e.data.at <= at)
        const full = fold(contractDecider, events)
        const then = fold(contractDecider, knownThen)
        if (then.status === 'registered') expect(termsAt(full, at)).toEqual(termsAt(then, at))
      }),
      { numRuns: 300 },
    )
  })

  it('only countersigned amendments change the terms, each signed by the party that did not propose it', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }), ({ events }, ms) => {
        const at = instantOf(ms)
        const proposals = new Map(events.flatMap((e) => (e.type === 'AmendmentProposed' ? [[e.data.amendmentId, e.data.proposedBy.party] as const] : [])))
        for (const e of events) if (e.type === 'AmendmentCountersigned') expect(e.data.countersignedBy.party).not.toBe(proposals.get(e.data.amendmentId))
        // Without the countersignatures, every proposal is left pending: the terms are those signed at registration, at any instant.
        const unsigned = fold(contractDecider, events.filter((e) => e.type !== 'AmendmentCountersigned'))
        expect(termsAt(unsigned, at)).toEqual(termsAt(fold(contractDecider, events.slice(0, 2)), at))
      }),
      { numRuns: 300 },
    )
  })

  it('its generator reaches histories with signed amendments, and instants before an amendment was signed, in a stated share of runs', () => {
    expectReaches(historyArb, {
      'an amendment signed by both': { atLeast: 0.5, reached: ({ events }) => signedAmendments(events) >= 1 },
      'three or more amendments signed by both': { atLeast: 0.15, reached: ({ events }) => signedAmendments(events) >= 3 },
    })
    const instantArb = fc.integer({ min: Date.parse('2023-12-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }).map(instantOf)
    expectReaches(fc.tuple(historyArb, instantArb), {
      'registered, with an amendment signed after the instant': {
        atLeast: 0.25,
        reached: ([{ events }, at]) => events[1] !== undefined && events[1].data.at <= at && events.some((e) => e.type === 'AmendmentCountersigned' && e.data.at > at),
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
