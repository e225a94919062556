/** Ticket benchmarks: rehydration from the in-memory store, and obligation-state queries on elapsed and business time. */
import * as E from 'fp-ts/lib/Either.js'
import {
  createCalendarRegistry,
  defaultSlaPolicy,
  fold,
  inMemoryEventStore,
  instantOf,
  KAZAKHSTAN_CALENDAR,
  ticketClocksOf,
  ticketDecider,
  ticketEvents,
  ticketObligationsAt,
  ticketStreamId,
  type ContractId,
  type SlaPolicy,
  type TicketEvent,
  type TicketId,
} from '../src/index.js'

const contractId = 'C-bench' as ContractId
import { customer, historyOf, supplier, ticketCommands } from '../src/ticket/ticket.fixture.js'
import { medianRate, type Figures } from './measure.js'

/** A defect's full life in 14 events: a priority change, a rejected proposal, a question, a renegotiation, a rejected fix. */
const defectLife = (ticketId: string, startMs: number, slaPolicy: SlaPolicy): ReadonlyArray<TicketEvent> => {
  const T = ticketCommands(ticketId)
  const t = (minutes: number) => new Date(startMs + minutes * 60_000).toISOString()
  return historyOf([
    T.file(t(0), { slaPolicy }),
    T.changePriority(t(10), 'high'),
    T.propose(t(30), t(3_000)),
    T.reject(t(40), t(3_000)),
    T.propose(t(50), t(2_000)),
    T.agree(t(60), t(2_000)),
    T.ask(t(120), 'Q-1'),
    T.answer(t(180), 'Q-1'),
    T.proposeChange(t(600), t(4_000), supplier),
    T.agreeChange(t(660), t(4_000), customer),
    T.deliver(t(1_500), 'D-1'),
    T.rejectResult(t(1_600), 'D-1'),
    T.deliver(t(2_500), 'D-2'),
    T.accept(t(2_600), 'D-2'),
  ])
}

const businessPolicy: SlaPolicy = {
  ...defaultSlaPolicy,
  deadlineProposal: {
    kinds: ['defect'],
    rules: { default: { ...defaultSlaPolicy.deadlineProposal.rules.default, measure: 'business', pausable: true }, byPriority: {} },
  },
  agreedDeadline: { default: { ...defaultSlaPolicy.agreedDeadline.default, measure: 'business' }, byPriority: {} },
}

export const benchTickets = async (): Promise<Figures> => {
  const tickets = 1_000
  const start = Date.parse('2025-02-03T04:00:00Z')
  const histories: ReadonlyArray<ReadonlyArray<TicketEvent>> = Array.from(
    { length: tickets },
    (_, i) => defectLife(`T-${i}`, start + i * 3_600_000, i % 2 === 0 ? defaultSlaPolicy : businessPolicy),
  )
  const total = histories.reduce((n, h) => n + h.length, 0)

  const store = inMemoryEventStore(ticketEvents)
  const meta = { actor: { party: 'customer' as const, id: 'bench' }, at: instantOf(start) }
  for (const [i, h] of histories.entries()) await store.append(ticketStreamId(contractId, `T-${i}` as TicketId), h.map((event) => ({ event, metadata: meta })))()

  const foldRate = await medianRate(() => {
    for (const h of histories) fold(ticketDecider, h)
    return total
  })
  const rehydrateRate = await medianRate(async () => {
    for (let i = 0; i < tickets; i++) {
      const read = await store.readStream(ticketStreamId(contractId, `T-${i}` as TicketId))()
      if (E.isLeft(read)) throw new Error(read.left.message)
      fold(ticketDecider, read.right.events)
    }
    return total
  }, 3)

  const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(registry)) throw new Error(registry.left.message)
  const clocks = await Promise.all(
    Array.from({ length: tickets }, async (_, i) => {
      const read = await store.readStream(ticketStreamId(contractId, `T-${i}` as TicketId))()
      if (E.isLeft(read)) throw new Error(read.left.message)
      return ticketClocksOf(read.right.events)
    }),
  )
  const queryRate = (which: 0 | 1) =>
    medianRate(() => {
      let n = 0
      for (let i = which; i < tickets; i += 2) {
        const c = clocks[i]
        if (c === undefined) continue
        for (let k = 0; k < 10; k++) {
          const r = ticketObligationsAt(c, instantOf(start + i * 3_600_000 + k * 18_000_000), registry.right)
          if (E.isLeft(r)) throw new Error(r.left.message)
          n++
        }
      }
      return n
    }, 3)

  return {
    'ticket events per history (mean)': { value: Math.round(total / tickets), unit: 'events' },
    'ticket fold': { value: foldRate, unit: 'events/s' },
    'ticket rehydration (read + decode + fold)': { value: rehydrateRate, unit: 'events/s' },
    'obligation-state queries, elapsed rules': { value: await queryRate(0), unit: 'queries/s' },
    'obligation-state queries, business rules (kz-5day)': { value: await queryRate(1), unit: 'queries/s' },
  }
}
