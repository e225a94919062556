import { fc, test as propTest } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { LocalDate } from '../values/local-date.js'
import { exampleTerms } from '../ticket/ticket.fixture.js'
import { fold } from '../kernel/decider.js'
import { addMillis, type Instant } from '../kernel/instant.js'
import type { Actor, RecordedEvent } from '../kernel/recorded-event.js'
import { DeliveryCommand } from './delivery-commands.js'
import { deliveryDecider } from './delivery-decider.js'
import { changeKey, deliveryEvents, Sha256Hex, type AcceptedChange, type DeliveryEvent, type DeliveryId } from './delivery-events.js'
import { type QuarterLabel } from '../values/quarter-label.js'
import { changesAwaitingDelivery, changesLeftOut, deliveredChanges, deliveriesAsOf, lateDeliveries, missingDeliveries, quarterVerdicts } from './delivery-queries.js'
import { quarterSchedule } from './quarter-schedule.js'
import { expectReaches } from '../testing/arbitraries.js'

// The example term runs 2024-02-15 to 2024-11-20 here: partial first and last quarters.
const terms = { ...exampleTerms, term: { start: '2024-02-15' as LocalDate, end: '2024-11-20' as LocalDate } }
const customer: Actor = { party: 'customer', id: 'aigerim' }
const supplier: Actor = { party: 'supplier', id: 'daniyar' }
const sha = 'a'.repeat(64) as Sha256Hex
const fix = (id: string, acceptedAt: string): AcceptedChange => ({ kind: 'fix', id, acceptedAt: acceptedAt as Instant })

const deliver = (deliveryId: string, quarter: string, at: string, changes: ReadonlyArray<AcceptedChange>, acceptedChanges: ReadonlyArray<AcceptedChange> = changes): DeliveryCommand => ({
  type: 'RecordDelivery', deliveryId: deliveryId as DeliveryId, at: at as Instant, actor: supplier, terms,
  quarter: quarter as QuarterLabel, version: '2.4.0', artifactSha256: sha, changes: changes.map((c) => ({ kind: c.kind, id: c.id })), acceptedChanges,
})
const reject = (deliveryId: string, at: string): DeliveryCommand => ({ type: 'RejectDelivery', deliveryId: deliveryId as DeliveryId, at: at as Instant, actor: customer, terms, reason: 'artifact does not install' })

let position = 0
const recorded = (events: ReadonlyArray<DeliveryEvent>): RecordedEvent<DeliveryEvent>[] =>
  events.map((e) => ({ ...e, streamId: 'delivery-C', streamVersion: ++position, globalPosition: position, eventId: `ev-${position}`, schemaVersion: 1, metadata: { actor: e.data.actor, at: e.data.at, recordedAt: e.data.at } }) as RecordedEvent<DeliveryEvent>)
const run = (commands: ReadonlyArray<DeliveryCommand>) => {
  const events: DeliveryEvent[] = []
  for (const c of commands) {
    const r = deliveryDecider.decide(c, fold(deliveryDecider, events))
    if (E.isLeft(r)) throw new Error(r.left.message)
    events.push(...r.right)
  }
  return events
}

describe('quarter schedule', () => {
  it('follows the term, partial first and last quarters included, due at the end of the quarter plus the grace in Almaty time', () => {
    const s = quarterSchedule(terms, 10)
    expect(s.map((q) => [q.quarter, q.start, q.end])).toEqual([
      ['2024-Q1', '2024-02-15', '2024-03-31'],
      ['2024-Q2', '2024-04-01', '2024-06-30'],
      ['2024-Q3', '2024-07-01', '2024-09-30'],
      ['2024-Q4', '2024-10-01', '2024-11-20'],
    ])
    expect(s[0]?.dueAt).toBe('2024-04-10T18:59:59.999Z') // 23:59:59.999 on 10 April, UTC+5
  })
})

describe('quarterly delivery', () => {
  it('a delivery for a quarter that has not begun is refused and records nothing', () => {
    // Given nothing delivered yet, on 5 July 2024 (Q3)
    // When the supplier records a delivery named for 2024-Q4, which begins on 1 October
    const early = deliveryDecider.decide(deliver('D-early', '2024-Q4', '2024-07-05T06:00:00.000Z', []), deliveryDecider.initialState)
    // Then it is refused, so the fourth quarter cannot be met in advance
    expect(early).toMatchObject(E.left({ _tag: 'QuarterNotStarted', quarter: '2024-Q4', startsAt: '2024-09-30T19:00:00.000Z' }))
    // And a delivery for the quarter under way, from its first instant in Almaty, is accepted
    expect(E.isRight(deliveryDecider.decide(deliver('D-q3', '2024-Q3', '2024-06-30T19:00:00.000Z', []), deliveryDecider.initialState))).toBe(true)
  })

  it('a delivery carrying a change the customer has not accepted yet is refused', () => {
    // Given fix F-2 accepted only on 20 July, after the delivery
    const later = fix('F-2', '2024-07-20T06:00:00.000Z')
    // When the supplier records a Q3 delivery on 5 July that already names it
    const r = deliveryDecider.decide(deliver('D-q3', '2024-Q3', '2024-07-05T06:00:00.000Z', [later], [later]), deliveryDecider.initialState)
    // Then it is refused: counted as delivered, the accepted fix would never be handed over
    expect(r).toMatchObject(E.left({ _tag: 'ChangeNotAccepted', changes: [{ kind: 'fix', id: 'F-2' }] }))
    // And one that is not among the accepted changes at all is refused too
    const unknown = deliveryDecider.decide(deliver('D-q3', '2024-Q3', '2024-07-05T06:00:00.000Z', [fix('F-9', '2024-07-01T06:00:00.000Z')], []), deliveryDecider.initialState)
    expect(unknown).toMatchObject(E.left({ _tag: 'ChangeNotAccepted' }))
  })

  it('an acceptance or rejection dated before the delivery it answers is refused', () => {
    // Given a delivery recorded on 1 April
    const given = run([deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', [])])
    // When the customer rejects it with a date of 31 March
    const early = deliveryDecider.decide(reject('D1', '2024-03-31T05:00:00.000Z'), fold(deliveryDecider, given))
    // Then it is refused, and one dated after the delivery is recorded
    expect(early).toMatchObject(E.left({ _tag: 'SettledBeforeDelivery', deliveryId: 'D1' }))
    expect(E.isRight(deliveryDecider.decide(reject('D1', '2024-04-01T05:00:00.000Z'), fold(deliveryDecider, given)))).toBe(true)
  })

  it('the artifact checksum must be sha256 hex', () => {
    expect(E.isRight(Sha256Hex.decode('0123456789abcdef'.repeat(4)))).toBe(true)
    expect(E.isLeft(Sha256Hex.decode('0123456789ABCDEF'.repeat(4)))).toBe(true)
    expect(E.isLeft(Sha256Hex.decode('abc'))).toBe(true)
  })

  it('a delivery that leaves out an accepted change is refused, naming it', () => {
    const r = deliveryDecider.decide(deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', [fix('T-1', '2024-03-01T05:00:00.000Z')], [fix('T-1', '2024-03-01T05:00:00.000Z'), fix('T-2', '2024-03-02T05:00:00.000Z')]), deliveryDecider.initialState)
    expect(r).toMatchObject(E.left({ _tag: 'AcceptedChangesLeftOut', missing: [{ kind: 'fix', id: 'T-2' }] }))
  })

  it('a change already in a standing delivery is refused; after a rejection it is delivered again', () => {
    const t1 = fix('T-1', '2024-03-01T05:00:00.000Z')
    const given = run([deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', [t1])])
    expect(deliveryDecider.decide(deliver('D2', '2024-Q2', '2024-07-01T05:00:00.000Z', [t1]), fold(deliveryDecider, given))).toMatchObject(E.left({ _tag: 'ChangeAlreadyDelivered' }))
    const afterRejection = run([deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', [t1]), reject('D1', '2024-04-02T05:00:00.000Z')])
    expect(deliveryDecider.decide(deliver('D2', '2024-Q1', '2024-04-03T05:00:00.000Z', [], [t1]), fold(deliveryDecider, afterRejection))).toMatchObject(E.left({ _tag: 'AcceptedChangesLeftOut' }))
    expect(E.isRight(deliveryDecider.decide(deliver('D2', '2024-Q1', '2024-04-03T05:00:00.000Z', [t1]), fold(deliveryDecider, afterRejection)))).toBe(true)
  })

  it('refuses a quarter outside the term, the customer as deliverer, and a settled delivery settled again', () => {
    expect(deliveryDecider.decide(deliver('D1', '2025-Q1', '2025-04-01T05:00:00.000Z', []), deliveryDecider.initialState)).toMatchObject(E.left({ _tag: 'QuarterOutsideTerm' }))
    const byCustomer = { ...deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', []), actor: customer }
    expect(deliveryDecider.decide(byCustomer, deliveryDecider.initialState)).toMatchObject(E.left({ _tag: 'WrongParty' }))
    // Accepting a delivery takes a customer's person with the role `deliveries`.
    const clerk = { ...terms, parties: { ...terms.parties, customer: { name: 'Customer LLP', people: [{ id: 'aigerim', roles: ['requests' as const] }] } } }
    const recordedOnly = run([deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', [])])
    expect(deliveryDecider.decide({ type: 'AcceptDelivery', deliveryId: 'D1' as DeliveryId, at: '2024-04-02T05:00:00.000Z' as Instant, actor: customer, terms: clerk }, fold(deliveryDecider, recordedOnly))).toMatchObject(E.left({ _tag: 'RoleNotHeld', role: 'deliveries' }))
    const given = run([deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', []), reject('D1', '2024-04-02T05:00:00.000Z')])
    expect(deliveryDecider.decide(reject('D1', '2024-04-03T05:00:00.000Z'), fold(deliveryDecider, given))).toMatchObject(E.left({ _tag: 'DeliveryAlreadySettled' }))
  })

  it('late and missing deliveries are found as of an instant', () => {
    const events = recorded(run([
      deliver('D1', '2024-Q1', '2024-04-05T05:00:00.000Z', []),
      deliver('D2', '2024-Q2', '2024-07-20T05:00:00.000Z', []),
    ]))
    const asOf = '2024-10-15T00:00:00.000Z' as Instant
    const verdicts = quarterVerdicts(quarterSchedule(terms, 10), deliveriesAsOf(events, asOf), asOf)
    expect(verdicts.map((v) => v.verdict)).toEqual(['met', 'breached', 'breached', 'pending'])
    expect(lateDeliveries(verdicts).map((v) => v.quarter)).toEqual(['2024-Q2'])
    expect(missingDeliveries(verdicts).map((v) => v.quarter)).toEqual(['2024-Q3'])
    expect(verdicts[0]?.evidence.map((e) => e.eventId)).toEqual([events[0]?.eventId])
  })

  it('accepted changes left out of every delivery are found; those accepted after the last one are only awaiting', () => {
    const events = recorded(run([deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', [fix('T-1', '2024-03-01T05:00:00.000Z')])]))
    const accepted = [fix('T-1', '2024-03-01T05:00:00.000Z'), fix('T-2', '2024-03-10T05:00:00.000Z'), fix('T-3', '2024-05-01T05:00:00.000Z')]
    const deliveries = deliveriesAsOf(events, '2024-06-01T00:00:00.000Z' as Instant)
    expect(changesLeftOut(accepted, deliveries)).toEqual([{ ...fix('T-2', '2024-03-10T05:00:00.000Z'), skippedBy: 'D1' }])
    expect(changesAwaitingDelivery(accepted, deliveries).map((c) => c.id)).toEqual(['T-3'])
  })
})

// Properties

type Step = { kind: 'accept' } | { kind: 'deliver'; take: ReadonlyArray<boolean> } | { kind: 'reject' }
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: 'accept' as const }),
  fc.record({ kind: fc.constant('deliver' as const), take: fc.array(fc.boolean(), { maxLength: 12 }) }),
  fc.constant({ kind: 'reject' as const }),
)

const stepsArb = fc.array(stepArb, { maxLength: 40, size: 'max' })
/** Whether `kinds` occur in this order in the steps, not necessarily next to each other. */
const inOrder = (steps: ReadonlyArray<Step>, ...kinds: ReadonlyArray<Step['kind']>): boolean => {
  let i = 0
  for (const s of steps) if (s.kind === kinds[i]) i++
  return i >= kinds.length
}

describe('quarterly delivery properties', () => {
  it('its generator reaches deliveries of accepted changes, rejections and later deliveries in a stated share of runs', () => {
    expectReaches(stepsArb, {
      'a change accepted, then delivered': { atLeast: 0.6, reached: (s) => inOrder(s, 'accept', 'deliver') },
      'a delivery rejected, then another made': { atLeast: 0.4, reached: (s) => inOrder(s, 'accept', 'deliver', 'reject', 'deliver') },
      'two acceptances between deliveries': { atLeast: 0.4, reached: (s) => inOrder(s, 'deliver', 'accept', 'accept', 'deliver') },
    })
  })

  propTest.prop([stepsArb])('every accepted change ends up in exactly one standing delivery once a later delivery is made', (steps) => {
    let at = '2024-03-01T00:00:00.000Z' as Instant
    let state = deliveryDecider.initialState
    const events: DeliveryEvent[] = []
    const accepted: AcceptedChange[] = []
    // When each change became owed to the fund: its acceptance, or the rejection of the delivery carrying it.
    const owedFrom = new Map<string, Instant>()
    let n = 0
    for (const step of steps) {
      at = addMillis(at, 3_600_000)
      let command: DeliveryCommand | undefined
      if (step.kind === 'accept') {
        const change = fix(`T-${accepted.length}`, at)
        accepted.push(change)
        owedFrom.set(changeKey(change), at)
        continue
      } else if (step.kind === 'deliver') {
        // The supplier picks some changes, a mix of pending and already delivered ones; the decider decides.
        const picked = accepted.filter((_c, i) => step.take[i % Math.max(1, step.take.length)] ?? false)
        command = deliver(`D${n++}`, '2024-Q1', at, picked, accepted)
      } else {
        const open = [...state.deliveries.values()].find((d) => d.status === 'delivered')
        if (open === undefined) continue
        command = reject(open.recorded.deliveryId, at)
      }
      const r = deliveryDecider.decide(command, state)
      if (E.isRight(r)) {
        for (const e of r.right) {
          if (e.type !== 'DeliveryRejected') continue
          for (const c of state.deliveries.get(e.data.deliveryId)?.recorded.changes ?? []) owedFrom.set(changeKey(c), at)
        }
        events.push(...r.right)
        state = fold(deliveryDecider, r.right, state)
      }
    }
    const deliveries = deliveriesAsOf(recorded(events), at)
    const carried = deliveredChanges(deliveries)
    const lastStanding = deliveries.filter((d) => d.status !== 'rejected').map((d) => d.recorded.at).sort().at(-1)
    for (const c of accepted) {
      const count = carried.get(changeKey(c))?.length ?? 0
      expect(count).toBeLessThanOrEqual(1)
      const owed = owedFrom.get(changeKey(c)) ?? c.acceptedAt
      if (lastStanding !== undefined && owed <= lastStanding) expect(count).toBe(1)
    }
    expect(changesLeftOut(accepted, deliveries)).toEqual([])
  })

  it('commands and events survive an encode/decode round trip', () => {
    const commands = [deliver('D1', '2024-Q1', '2024-04-01T05:00:00.000Z', [fix('T-1', '2024-03-01T05:00:00.000Z')]), reject('D1', '2024-04-02T05:00:00.000Z')]
    for (const c of commands) expect(DeliveryCommand.decode(JSON.parse(JSON.stringify(DeliveryCommand.encode(c))))).toEqual(E.right(c))
    for (const [i, e] of run(commands).entries()) {
      const enc = deliveryEvents.encode(e, 'delivery-C', i)
      if (E.isLeft(enc)) throw new Error(enc.left.message)
      const dec = deliveryEvents.decode({ ...enc.right, data: JSON.parse(JSON.stringify(enc.right.data)), streamId: 's', streamVersion: i + 1, globalPosition: i + 1, eventId: `e${i}`, metadata: { actor: supplier, at: e.data.at, recordedAt: e.data.at } })
      expect(E.isRight(dec) && { type: dec.right.type, data: dec.right.data }).toEqual(e)
    }
  })
})
