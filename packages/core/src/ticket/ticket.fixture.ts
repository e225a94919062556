/** Ticket commands and histories for tests, examples and benchmarks: short builders over the example contract. */
import * as E from 'fp-ts/lib/Either.js'
import { exampleCustomer, exampleRegistration, exampleSupplier } from '../contract/contract-fixtures.js'
import type { ContractTerms } from '../contract/contract-terms.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor, RecordedEvent } from '../kernel/recorded-event.js'
import { defaultSlaPolicy, type SlaPolicy } from '../sla/sla-policy.js'
import type { FileRequest, TicketCommand, TicketId } from './ticket-commands.js'
import { ticketDecider } from './ticket-decider.js'
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
export const historyOf = (commands: ReadonlyArray<TicketCommand>): ReadonlyArray<TicketEvent> => {
  const events: TicketEvent[] = []
  for (const command of commands) {
    const decided = ticketDecider.decide(command, fold(ticketDecider, events))
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
        metadata: { actor: customer, occurredAt: event.data.at, recordedAt: event.data.at },
      }) as RecordedEvent<TicketEvent>,
  )
