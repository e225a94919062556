import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { commandHandler } from '../kernel/command-handler.js'
import { fold } from '../kernel/decider.js'
import { instantOf, type Instant } from '../kernel/instant.js'
import { inMemoryEventStore } from '../kernel/in-memory-event-store.js'
import type { Actor, Party } from '../kernel/recorded-event.js'
import { ticketClocksOf } from '../sla/ticket-obligations.js'
import { assertFoldIsChunkable, chunksOf, expectReaches } from '../testing/arbitraries.js'
import { TicketCommand } from './ticket-commands.js'
import { partiesFor, ticketDecider } from './ticket-decider.js'
import { ticketEvents, ticketStreamId } from './ticket-events.js'
import { priorities, ticketKinds } from './ticket-kind.js'
import type { ContractId, TicketId } from '../values/domain-ids.js'
import { customer, historyOf, playTicket, supplier, ticketCommands, type TicketStep } from './ticket.fixture.js'

const stepArb: fc.Arbitrary<TicketStep> = fc.record({
  choice: fc.nat(999),
  minutes: fc.integer({ min: 1, max: 600 }),
  hours: fc.integer({ min: 1, max: 96 }),
})

/** Instants inside the example contract's term, leaving room for a few weeks of steps. */
const startArb: fc.Arbitrary<Instant> = fc
  .integer({ min: Date.parse('2024-01-01T00:00:00+06:00'), max: Date.parse('2026-11-30T00:00:00+05:00') })
  .map((ms) => instantOf(ms))

const historyArb = fc
  .record({
    start: startArb,
    kind: fc.constantFrom(...ticketKinds),
    priority: fc.constantFrom(...priorities),
    steps: fc.array(stepArb, { maxLength: 40, size: 'max' }),
  })
  .map(({ start, kind, priority, steps }) => playTicket('T-1', start, steps, { kind, priority }))

const allParties: ReadonlyArray<Party> = ['customer', 'supplier', 'system']

describe('Ticket properties', () => {
  it('folds any valid history the same at once or in chunks', () => {
    assertFoldIsChunkable(ticketDecider, historyArb.map((h) => h.events), { numRuns: 200 })
  })

  it('replays any valid history through the in-memory store to the same state and the same clocks', async () => {
    let runs = 0
    let chunked = 0
    await fc.assert(
      fc.asyncProperty(historyArb.chain((h) => fc.tuple(fc.constant(h.events), chunksOf(h.events))), async ([events, chunks]) => {
        runs++
        if (chunks.length > 1 && events.length >= 3) chunked++
        const store = inMemoryEventStore(ticketEvents)
        const stream = ticketStreamId('C-2024-001' as ContractId, 'T-1' as TicketId)
        for (const chunk of chunks) {
          const appended = await store.append(stream, chunk.map((event) => ({ event, metadata: { actor: { party: 'customer', id: 'x' }, at: event.data.at } })))()
          expect(E.isRight(appended)).toBe(true)
        }
        const read = await store.readStream(stream)()
        if (E.isLeft(read)) throw new Error(read.left.message)
        expect(fold(ticketDecider, read.right.events)).toEqual(fold(ticketDecider, events))
        expect(read.right.events.map(({ type, data }) => ({ type, data }))).toEqual(events)
        const clocks = ticketClocksOf(read.right.events)
        expect(clocks.filed?.data).toEqual(events[0]?.data)
      }),
      { numRuns: 100 },
    )
    // The replay is about appends in several chunks of a history with some length: measured in about 64% of runs.
    expect(chunked / runs).toBeGreaterThanOrEqual(0.4)
  })

  it('refuses every command from a wrong party and writes nothing', async () => {
    const drawn = new Map<string, number>()
    const C = ticketCommands('T-1')
    const anyCommand = (at: string): ReadonlyArray<TicketCommand> => [
      C.file(at),
      C.changePriority(at, 'urgent'),
      C.propose(at, '2027-01-01T00:00:00Z'),
      C.agree(at, '2027-01-01T00:00:00Z'),
      C.reject(at, '2027-01-01T00:00:00Z'),
      C.proposeChange(at, '2027-01-01T00:00:00Z', { party: 'supplier', id: 'x' }),
      C.agreeChange(at, '2027-01-01T00:00:00Z', { party: 'supplier', id: 'x' }),
      C.declineChange(at, '2027-01-01T00:00:00Z', { party: 'supplier', id: 'x' }),
      C.deliver(at, 'D-x'),
      C.accept(at, 'D-x'),
      C.rejectResult(at, 'D-x'),
      C.ask(at, 'Q-x'),
      C.answer(at, 'Q-x'),
    ]
    await fc.assert(
      fc.asyncProperty(historyArb, fc.nat(12), fc.nat(2), fc.string({ minLength: 1, maxLength: 8 }), async (history, which, pick, id) => {
        const last = history.events[history.events.length - 1]?.data.at ?? '2024-06-01T00:00:00.000Z'
        const command = anyCommand(new Date(Date.parse(last) + 60_000).toISOString())[which]
        if (command === undefined) throw new Error('no command')
        const wrong = allParties.filter((p) => !partiesFor[command.type].includes(p))
        const party = wrong[pick % wrong.length]
        if (party === undefined) throw new Error('every command has a wrong party')
        const actor: Actor = { party, id }
        const refused = { ...command, actor } as TicketCommand
        drawn.set(command.type, (drawn.get(command.type) ?? 0) + 1)

        const decided = ticketDecider.decide(refused, fold(ticketDecider, history.events))
        expect(decided).toMatchObject({ _tag: 'Left', left: { _tag: 'WrongParty', actual: actor } })

        const store = inMemoryEventStore(ticketEvents)
        const stream = ticketStreamId('C-2024-001' as ContractId, 'T-1' as TicketId)
        await store.append(stream, history.events.map((event) => ({ event, metadata: { actor, at: event.data.at } })))()
        const handled = await commandHandler(store, ticketDecider)(stream, refused, { actor, at: refused.at })()
        expect(handled).toMatchObject({ _tag: 'Left', left: { _tag: 'WrongParty' } })
        const after = await store.readStream(stream)()
        expect(E.isRight(after) && after.right.version).toBe(history.events.length)
      }),
      { numRuns: 200 },
    )
    // Thirteen command types drawn uniformly: about 15 runs each. Fewer than 2 for any type (odds near 1 in 10,000 by chance) means the draw is skewed.
    expect(drawn.size).toBe(13)
    for (const n of drawn.values()) expect(n).toBeGreaterThanOrEqual(2)
  })

  it('refuses confirmation of a deadline change by the party that proposed it', () => {
    let open = 0
    let withOpen = 0
    let runs = 0
    // Random histories reach an open change in about 3% of runs; half the runs are steered straight to one.
    const steered = fc
      .record({ start: startArb, byCustomer: fc.boolean(), hours: fc.integer({ min: 2, max: 200 }), steps: fc.array(stepArb, { maxLength: 5 }) })
      .map(({ start, byCustomer, hours, steps }) => {
        const C = ticketCommands('T-1')
        const t = (h: number) => new Date(Date.parse(start) + h * 3_600_000).toISOString()
        const commands = [C.file(start), C.propose(t(1), t(hours)), C.agree(t(1.5), t(hours)), C.proposeChange(t(1.75), t(hours + 24), byCustomer ? customer : supplier)]
        return { commands, events: historyOf(commands), steps }
      })
    fc.assert(
      fc.property(fc.oneof(historyArb, steered), (history) => {
        runs++
        const before = open
        const C = ticketCommands('T-1')
        // Every moment of the history at which a change is open for the other party's answer.
        for (let i = 1; i <= history.events.length; i++) {
          const state = fold(ticketDecider, history.events.slice(0, i))
          if (state.status !== 'open' || state.change === undefined) continue
          open++
          const at = new Date(Date.parse(state.last) + 1).toISOString()
          // A person the contract lists for the proposing party: only the party, not the person, decides the refusal.
          const proposer: Actor = state.change.proposedBy === 'customer' ? customer : supplier
          for (const c of [C.agreeChange(at, state.change.deadline, proposer), C.declineChange(at, state.change.deadline, proposer)]) {
            expect(ticketDecider.decide(c, state)).toMatchObject({ _tag: 'Left', left: { _tag: 'WrongParty' } })
          }
        }
        if (open > before) withOpen++
      }),
      { numRuns: 200 },
    )
    // Measured: an open change in about half the runs.
    expect(withOpen / runs).toBeGreaterThanOrEqual(0.3)
  })

  it('its generator reaches agreed deadlines, open changes, questions, rejected and accepted results in a stated share of runs', () => {
    const has = (type: string) => (h: { readonly events: ReadonlyArray<{ readonly type: string }> }) => h.events.some((e) => e.type === type)
    expectReaches(historyArb, {
      'deadline agreed': { atLeast: 0.2, reached: has('DeadlineAgreed') },
      'deadline change proposed (open for the other party)': { atLeast: 0.1, reached: has('DeadlineChangeProposed') },
      'question asked': { atLeast: 0.5, reached: has('CustomerAsked') },
      'result rejected': { atLeast: 0.3, reached: has('ResultRejected') },
      'result accepted (resolved)': { atLeast: 0.45, reached: has('ResultAccepted') },
      'twenty events or more': { atLeast: 0.08, reached: (h) => h.events.length >= 20 },
    }, 500)
  })

  it('round-trips every command and every event through its codec, and the histories cover every type', () => {
    const commandTypes = new Set<string>()
    const eventTypes = new Set<string>()
    const roundTrips = <A>(codec: { decode: (u: unknown) => E.Either<unknown, A>; encode: (a: A) => unknown; is: (u: unknown) => u is A }, value: A) => {
      expect(codec.decode(codec.encode(value))).toEqual(E.right(value))
      expect(codec.is(value)).toBe(true)
    }
    const allCommands = TicketCommand.types.map((t) => t.name)
    const allEvents = [...ticketEvents.definitions.keys()]
    // Some types are rare in random histories: keep sampling (bounded) until every type has been round-tripped.
    for (let batch = 0; batch < 40 && (commandTypes.size < allCommands.length || eventTypes.size < allEvents.length); batch++) {
      for (const history of fc.sample(historyArb, 100)) {
        for (const c of history.commands) {
          commandTypes.add(c.type)
          roundTrips(TicketCommand, c)
        }
        for (const e of history.events) {
          eventTypes.add(e.type)
          roundTrips(ticketEvents.codec, e)
        }
      }
    }
    expect([...commandTypes].sort()).toEqual(allCommands.sort())
    expect([...eventTypes].sort()).toEqual(allEvents.sort())
  })
})
