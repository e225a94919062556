/** Ticket commands and histories for tests, examples and benchmarks: short builders over the example contract. */
import * as E from 'fp-ts/lib/Either.js'
import { exampleCustomer, exampleRegistration, exampleSupplier } from '../testing/contract-fixtures.js'
import type { ContractTerms } from '../contract/contract-terms.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor, RecordedEvent } from '../kernel/recorded-event.js'
import { defaultSlaPolicy, type SlaPolicy } from '../sla/sla-policy.js'
import type { FileRequest, TicketCommand } from './ticket-commands.js'
import type { TicketId } from '../values/domain-ids.js'
import type { Decider } from '../kernel/decider.js'
import { ticketDecider, type TicketState } from './ticket-decider.js'
import type { TicketError } from './ticket-errors.js'
import type { TicketEvent } from './ticket-events.js'
import type { Priority } from './ticket-kind.js'

// constructors

const registration = exampleRegistration()

/** The example contract's terms as signed: 2024-01-01 to 2026-12-31, Asia/Almaty, calendar `kz-5day`. */
export const exampleTerms: ContractTerms = {
  contractId: registration.contractId,
  parties: registration.parties,
  product: registration.product,
  term: registration.term,
  timeZone: registration.timeZone,
  value: registration.value,
  customizationCapBps: registration.customizationCapBps,
  calendarId: registration.calendarId,
  deliveryCadence: registration.deliveryCadence,
  policy: registration.policy,
}

export const customer: Actor = exampleCustomer
export const supplier: Actor = exampleSupplier

export const instant = (iso: string): Instant => {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${iso}`)
  return new Date(ms).toISOString() as Instant
}

/** Builders for one ticket's commands; each takes the time (any ISO string with an offset) first. */
export const ticketCommands = (ticketId: string, terms: ContractTerms = exampleTerms) => {
  const base = (at: string, actor: Actor) => ({ ticketId: ticketId as TicketId, actor, at: instant(at), terms })
  return {
    file: (at: string, o: Partial<Omit<FileRequest, 'type'>> & { readonly policy?: SlaPolicy } = {}): FileRequest => {
      const { policy, ...rest } = o
      return {
        type: 'FileRequest',
        ...base(at, customer),
        kind: 'defect',
        priority: 'normal',
        channel: 'redmine',
        receivedAt: instant(at),
        subject: 'Report fails to build',
        slaPolicy: policy ?? defaultSlaPolicy,
        ...rest,
      }
    },
    changePriority: (at: string, priority: Priority, actor = customer): TicketCommand => ({ type: 'ChangePriority', ...base(at, actor), priority }),
    propose: (at: string, deadline: string, actor = supplier): TicketCommand => ({ type: 'ProposeDeadline', ...base(at, actor), deadline: instant(deadline) }),
    agree: (at: string, deadline: string, actor = customer): TicketCommand => ({ type: 'AgreeDeadline', ...base(at, actor), deadline: instant(deadline) }),
    reject: (at: string, deadline: string, reason = 'too late for us', actor = customer): TicketCommand => ({
      type: 'RejectDeadline',
      ...base(at, actor),
      deadline: instant(deadline),
      reason,
    }),
    proposeChange: (at: string, deadline: string, actor: Actor, reason = 'waiting for a vendor patch'): TicketCommand => ({
      type: 'ProposeDeadlineChange',
      ...base(at, actor),
      deadline: instant(deadline),
      reason,
    }),
    agreeChange: (at: string, deadline: string, actor: Actor): TicketCommand => ({ type: 'AgreeDeadlineChange', ...base(at, actor), deadline: instant(deadline) }),
    declineChange: (at: string, deadline: string, actor: Actor, reason = 'we need it sooner'): TicketCommand => ({
      type: 'DeclineDeadlineChange',
      ...base(at, actor),
      deadline: instant(deadline),
      reason,
    }),
    deliver: (at: string, deliveryId: string, actor = supplier): TicketCommand => ({ type: 'DeliverResult', ...base(at, actor), deliveryId, summary: 'fixed' }),
    accept: (at: string, deliveryId: string, actor = customer): TicketCommand => ({ type: 'AcceptResult', ...base(at, actor), deliveryId }),
    rejectResult: (at: string, deliveryId: string, reason = 'still fails', actor = customer): TicketCommand => ({
      type: 'RejectResult',
      ...base(at, actor),
      deliveryId,
      reason,
    }),
    ask: (at: string, questionId: string, actor = supplier): TicketCommand => ({ type: 'AskCustomer', ...base(at, actor), questionId, question: 'Which server?' }),
    answer: (at: string, questionId: string, actor = customer): TicketCommand => ({ type: 'AnswerQuestion', ...base(at, actor), questionId, answer: 'The backup one.' }),
  }
}

/** Decides commands in order; throws on a refusal (a broken fixture is a programming error). */
export const historyOf = (commands: ReadonlyArray<TicketCommand>, decider: Decider<TicketCommand, TicketState, TicketEvent, TicketError> = ticketDecider): ReadonlyArray<TicketEvent> => {
  const events: TicketEvent[] = []
  for (const command of commands) {
    const decided = decider.decide(command, fold(decider, events))
    if (E.isLeft(decided)) throw new Error(`${command.type} refused: ${decided.left.message}`)
    events.push(...decided.right)
  }
  return events
}

/** Wraps events in envelopes as a store would, with ids `<stream>/1`, `<stream>/2`, ... */
export const recorded = (events: ReadonlyArray<TicketEvent>, streamId = 'ticket-T-1'): ReadonlyArray<RecordedEvent<TicketEvent>> =>
  events.map(
    (event, i) =>
      ({
        ...event,
        streamId,
        streamVersion: i + 1,
        globalPosition: i + 1,
        eventId: `${streamId}/${i + 1}`,
        schemaVersion: 1,
        metadata: { actor: customer, at: event.data.at, recordedAt: event.data.at },
      }) as RecordedEvent<TicketEvent>,
  )

/** One random step of a ticket's life: which command among those that fit, after how long, how far ahead a deadline is. */
export interface TicketStep {
  readonly choice: number
  readonly minutes: number
  readonly hours: number
}

/**
 * Plays steps on a ticket: at each step, the commands that fit the state, from the right party,
 * and `choice` picks one. Returns the commands given and the events they produced: a valid history.
 */
export const playTicket = (
  ticketId: string,
  start: Instant,
  steps: ReadonlyArray<TicketStep>,
  file: Partial<Omit<FileRequest, 'type'>> = {},
  terms: ContractTerms = exampleTerms,
  decider: Decider<TicketCommand, TicketState, TicketEvent, TicketError> = ticketDecider,
): { readonly commands: ReadonlyArray<TicketCommand>; readonly events: ReadonlyArray<TicketEvent> } => {
  const C = ticketCommands(ticketId, terms)
  const first = C.file(start, file)
  const commands: TicketCommand[] = [first]
  const events: TicketEvent[] = [...historyOf([first], decider)]
  let at = Date.parse(start)
  let n = 0
  for (const step of steps) {
    at += step.minutes * 60_000
    const now = new Date(at).toISOString()
    const ahead = new Date(at + step.hours * 3_600_000).toISOString()
    const s = fold(decider, events)
    if (s.status === 'unfiled') break
    n++
    const options: TicketCommand[] = []
    if (s.status === 'open') {
      options.push(C.changePriority(now, (['low', 'normal', 'high', 'urgent'] as const)[step.choice % 4] ?? 'normal'))
      if (s.agreedDeadline === undefined) options.push(C.propose(now, ahead))
      if (s.proposal !== undefined) options.push(C.agree(now, s.proposal), C.reject(now, s.proposal))
      if (s.agreedDeadline !== undefined && now <= s.agreedDeadline) {
        options.push(C.proposeChange(now, ahead, step.choice % 2 === 0 ? customer : supplier))
        if (s.change !== undefined) {
          const other = s.change.proposedBy === 'customer' ? supplier : customer
          options.push(C.agreeChange(now, s.change.deadline, other), C.declineChange(now, s.change.deadline, other))
        }
      }
      if (s.awaiting === undefined) options.push(C.deliver(now, `D-${n}`))
      else options.push(C.accept(now, s.awaiting), C.rejectResult(now, s.awaiting))
      options.push(C.ask(now, `Q-${n}`))
    }
    for (const q of s.openQuestions) options.push(C.answer(now, q))
    const command = options[step.choice % Math.max(1, options.length)]
    if (command === undefined) break
    const decided = decider.decide(command, s)
    if (E.isLeft(decided)) continue
    commands.push(command)
    events.push(...decided.right)
  }
  return { commands, events }
}
