import { describe, expect, it } from 'vitest'
import type { ContractId } from '../values/domain-ids.js'
import type { LocalDate } from '../values/local-date.js'
import { defaultSlaPolicy, type SlaPolicy } from '../sla/sla-policy.js'
import { scenario } from '../testing/scenario.js'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import { ticketDecider, ticketDeciderOn } from './ticket-decider.js'
import { customer, exampleTerms, historyOf, instant, supplier, ticketCommands } from './ticket.fixture.js'

const T = ticketCommands('T-1')
const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
if (registry._tag === 'Left') throw new Error(registry.left.message)
const calendars = registry.right
const given = (...commands: Parameters<typeof historyOf>[0]) => scenario(ticketDecider).given(historyOf(commands))
const filed = T.file('2024-06-03T10:00:00+05:00')
const proposed = T.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00')
const agreed = T.agree('2024-06-03T11:30:00+05:00', '2024-06-05T18:00:00+05:00')
/** A policy that opts in: a question to the customer pauses the agreed deadline. */
const pausableDeadline: SlaPolicy = { ...defaultSlaPolicy, agreedDeadline: { default: { ...defaultSlaPolicy.agreedDeadline.default, pausable: true }, byPriority: {} } }

describe('Ticket: filing', () => {
  it('given nothing, when the customer files a request, then it is filed with the terms and policy in force', () => {
    const [event] = scenario(ticketDecider).given([]).when(filed).then([
      {
        type: 'RequestFiled',
        data: {
          ticketId: filed.ticketId,
          at: instant('2024-06-03T10:00:00+05:00'),
          contractId: exampleTerms.contractId,
          kind: 'defect',
          priority: 'normal',
          channel: 'redmine',
          receivedAt: instant('2024-06-03T10:00:00+05:00'),
          subject: 'Report fails to build',
          calendarId: 'kz-5day',
          timeZone: 'Asia/Almaty',
          slaPolicy: filed.slaPolicy,
        },
      },
    ])
    expect(event?.type).toBe('RequestFiled')
  })

  it('keeps the channel, the external key and the legal act of a configuration for a change in the law', () => {
    const c = T.file('2024-06-03T10:00:00+05:00', { kind: 'configuration', channel: 'email', externalRef: '<m1@x>', lawReference: 'Tax Code, art. 412' })
    const [event] = scenario(ticketDecider).given([]).when(c).then(historyOf([c]))
    expect(event?.data).toMatchObject({ kind: 'configuration', channel: 'email', externalRef: '<m1@x>', lawReference: 'Tax Code, art. 412' })
  })

  it('refuses a filing by the supplier, a second filing, a receipt after filing, and a receipt outside the term', () => {
    scenario(ticketDecider).given([]).when({ ...filed, actor: supplier }).thenFails({ _tag: 'WrongParty', expected: ['customer'] })
    given(filed).when(filed).thenFails({ _tag: 'TicketAlreadyFiled' })
    scenario(ticketDecider)
      .given([])
      .when(T.file('2024-06-03T10:00:00+05:00', { receivedAt: instant('2024-06-03T10:05:00+05:00') }))
      .thenFails({ _tag: 'ReceivedAfterFiling' })
    scenario(ticketDecider).given([]).when(T.file('2027-01-01T00:00:00+05:00')).thenFails({ _tag: 'ContractNotInForce' })
  })

  it('accepts a request received on the last evening of the term and filed the next morning', () => {
    scenario(ticketDecider)
      .given([])
      .when(T.file('2027-01-01T09:00:00+05:00', { receivedAt: instant('2026-12-31T23:30:00+05:00') }))
      .then(historyOf([T.file('2027-01-01T09:00:00+05:00', { receivedAt: instant('2026-12-31T23:30:00+05:00') })]))
  })

  it('refuses every command before a filing, and commands carrying another contract', () => {
    scenario(ticketDecider).given([]).when(proposed).thenFails({ _tag: 'TicketNotFiled' })
    const other = ticketCommands('T-1', { ...exampleTerms, contractId: 'C-OTHER' as ContractId })
    given(filed).when(other.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00')).thenFails({ _tag: 'ContractMismatch' })
  })

  it('refuses a command dated before the ticket history', () => {
    given(filed, proposed).when(T.agree('2024-06-03T10:30:00+05:00', '2024-06-05T18:00:00+05:00')).thenFails({ _tag: 'EarlierThanHistory', aggregate: 'ticket', command: 'AgreeDeadline' })
  })

})

describe('Ticket: priority', () => {
  it('given a filed request, when the customer raises its priority, then the change is recorded; the same priority records nothing', () => {
    given(filed)
      .when(T.changePriority('2024-06-03T10:30:00+05:00', 'urgent'))
      .then([{ type: 'PriorityChanged', data: { ticketId: filed.ticketId, at: instant('2024-06-03T10:30:00+05:00'), from: 'normal', to: 'urgent' } }])
    given(filed).when(T.changePriority('2024-06-03T10:30:00+05:00', 'normal')).then([])
    given(filed).when(T.changePriority('2024-06-03T10:30:00+05:00', 'urgent', supplier)).thenFails({ _tag: 'WrongParty' })
  })
})

describe('Ticket: who may act', () => {
  // The customer lists two people: Aigerim may agree deadlines and accept results, Erlan only files requests.
  const terms = {
    ...exampleTerms,
    parties: { ...exampleTerms.parties, customer: { name: 'Customer LLP', people: [{ id: 'aigerim', roles: ['requests', 'deadlines', 'acceptance'] as const }, { id: 'erlan', roles: ['requests'] as const }] } },
  }
  const C = ticketCommands('T-1', terms)
  const erlan = { party: 'customer', id: 'erlan' } as const

  it('refuses a person the contract does not list, even of the right party', () => {
    scenario(ticketDecider).given([]).when({ ...C.file('2024-06-03T10:00:00+05:00'), actor: { party: 'customer', id: 'someone' } }).thenFails({ _tag: 'PersonNotListed', contractId: exampleTerms.contractId })
    scenario(ticketDecider).given(historyOf([C.file('2024-06-03T10:00:00+05:00')])).when(C.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00', { party: 'supplier', id: 'intern' })).thenFails({ _tag: 'PersonNotListed' })
  })

  it('refuses a listed person without the role the command needs: one who files may not agree a deadline', () => {
    const history = historyOf([{ ...C.file('2024-06-03T10:00:00+05:00'), actor: erlan }, C.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00')])
    scenario(ticketDecider).given(history).when(C.agree('2024-06-03T11:30:00+05:00', '2024-06-05T18:00:00+05:00', erlan)).thenFails({ _tag: 'RoleNotHeld', role: 'deadlines', actor: erlan })
    scenario(ticketDecider).given(history).when(C.agree('2024-06-03T11:30:00+05:00', '2024-06-05T18:00:00+05:00', customer)).then([
      { type: 'DeadlineAgreed', data: { ticketId: filed.ticketId, at: instant('2024-06-03T11:30:00+05:00'), deadline: instant('2024-06-05T18:00:00+05:00') } },
    ])
  })
})

describe('Ticket: deadline agreement', () => {
  it('given a filed defect, when the supplier proposes a deadline, then it is proposed', () => {
    given(filed)
      .when(proposed)
      .then([{ type: 'DeadlineProposed', data: { ticketId: filed.ticketId, at: instant('2024-06-03T11:00:00+05:00'), deadline: instant('2024-06-05T18:00:00+05:00') } }])
  })

  it('refuses a proposal from the customer and a deadline already past', () => {
    given(filed).when(T.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00', customer)).thenFails({ _tag: 'WrongParty', expected: ['supplier'] })
    given(filed).when(T.propose('2024-06-03T11:00:00+05:00', '2024-06-03T10:59:00+05:00')).thenFails({ _tag: 'DeadlineNotInFuture' })
  })

  it('given a proposal, when the customer agrees it, then the deadline is agreed; agreeing another deadline is refused', () => {
    given(filed, proposed)
      .when(agreed)
      .then([{ type: 'DeadlineAgreed', data: { ticketId: filed.ticketId, at: instant('2024-06-03T11:30:00+05:00'), deadline: instant('2024-06-05T18:00:00+05:00') } }])
    given(filed, proposed).when(T.agree('2024-06-03T11:30:00+05:00', '2024-06-06T18:00:00+05:00')).thenFails({ _tag: 'DeadlineMismatch' })
    given(filed).when(agreed).thenFails({ _tag: 'NoDeadlineProposed' })
    given(filed, proposed).when(T.agree('2024-06-03T11:30:00+05:00', '2024-06-05T18:00:00+05:00', supplier)).thenFails({ _tag: 'WrongParty' })
  })

  it('given a rejected proposal, when the supplier proposes again, then the new one is open for agreement', () => {
    const rejected = T.reject('2024-06-03T11:10:00+05:00', '2024-06-05T18:00:00+05:00', 'we need it by Tuesday')
    given(filed, proposed).when(T.reject('2024-06-03T11:10:00+05:00', '2024-06-05T18:00:00+05:00', ' ')).thenFails({ _tag: 'ReasonMissing' })
    given(filed, proposed, rejected).when(T.agree('2024-06-03T11:20:00+05:00', '2024-06-05T18:00:00+05:00')).thenFails({ _tag: 'NoDeadlineProposed' })
    given(filed, proposed, rejected, T.propose('2024-06-03T11:15:00+05:00', '2024-06-04T18:00:00+05:00'))
      .when(T.agree('2024-06-03T11:20:00+05:00', '2024-06-04T18:00:00+05:00'))
      .then([{ type: 'DeadlineAgreed', data: { ticketId: filed.ticketId, at: instant('2024-06-03T11:20:00+05:00'), deadline: instant('2024-06-04T18:00:00+05:00') } }])
  })

  it('moves an agreed deadline only when one party proposes with a reason and the other confirms', () => {
    const change = T.proposeChange('2024-06-04T10:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier)
    given(filed, proposed, agreed).when(T.propose('2024-06-04T10:00:00+05:00', '2024-06-07T18:00:00+05:00')).thenFails({ _tag: 'DeadlineAlreadyAgreed' })
    given(filed, proposed, agreed).when(T.proposeChange('2024-06-04T10:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier, '')).thenFails({ _tag: 'ReasonMissing' })
    given(filed, proposed, agreed, change).when(T.agreeChange('2024-06-04T11:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier)).thenFails({
      _tag: 'WrongParty',
      expected: ['customer'],
    })
    given(filed, proposed, agreed, change)
      .when(T.agreeChange('2024-06-04T11:00:00+05:00', '2024-06-07T18:00:00+05:00', customer))
      .then([
        {
          type: 'DeadlineChangeAgreed',
          data: {
            ticketId: filed.ticketId,
            at: instant('2024-06-04T11:00:00+05:00'),
            previous: instant('2024-06-05T18:00:00+05:00'),
            deadline: instant('2024-06-07T18:00:00+05:00'),
            reason: 'waiting for a vendor patch',
          },
        },
      ])
    given(filed, proposed, agreed, change)
      .when(T.declineChange('2024-06-04T11:00:00+05:00', '2024-06-07T18:00:00+05:00', customer))
      .then([{ type: 'DeadlineChangeDeclined', data: { ticketId: filed.ticketId, at: instant('2024-06-04T11:00:00+05:00'), deadline: instant('2024-06-07T18:00:00+05:00'), reason: 'we need it sooner' } }])
    given(filed, proposed, agreed).when(T.agreeChange('2024-06-04T11:00:00+05:00', '2024-06-07T18:00:00+05:00', customer)).thenFails({ _tag: 'NoDeadlineChangeProposed' })
  })

  it('refuses to move a deadline that has already passed', () => {
    given(filed, proposed, agreed)
      .when(T.proposeChange('2024-06-05T18:00:00.001+05:00', '2024-06-07T18:00:00+05:00', customer))
      .thenFails({ _tag: 'AgreedDeadlinePassed' })
    given(filed, proposed, agreed, T.proposeChange('2024-06-05T17:00:00+05:00', '2024-06-07T18:00:00+05:00', customer))
      .when(T.agreeChange('2024-06-05T19:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier))
      .thenFails({ _tag: 'AgreedDeadlinePassed' })
  })
})

describe('Ticket: result', () => {
  const delivered = T.deliver('2024-06-05T12:00:00+05:00', 'D-1')
  it('given a delivered fix, when the customer accepts it, then the ticket is resolved and refuses further work', () => {
    given(filed, proposed, agreed, delivered)
      .when(T.accept('2024-06-05T13:00:00+05:00', 'D-1'))
      .then([{ type: 'ResultAccepted', data: { ticketId: filed.ticketId, at: instant('2024-06-05T13:00:00+05:00'), deliveryId: 'D-1' } }])
    given(filed, proposed, agreed, delivered, T.accept('2024-06-05T13:00:00+05:00', 'D-1'))
      .when(T.deliver('2024-06-05T14:00:00+05:00', 'D-2'))
      .thenFails({ _tag: 'TicketResolved' })
  })

  it('given a rejected fix, the ticket is open again for a new delivery', () => {
    const rejected = T.rejectResult('2024-06-05T13:00:00+05:00', 'D-1')
    given(filed, proposed, agreed, delivered).when(T.deliver('2024-06-05T12:30:00+05:00', 'D-2')).thenFails({ _tag: 'ResultAwaitingAcceptance' })
    given(filed, proposed, agreed, delivered).when(T.rejectResult('2024-06-05T13:00:00+05:00', 'D-1', '')).thenFails({ _tag: 'ReasonMissing' })
    given(filed, proposed, agreed, delivered, rejected).when(T.accept('2024-06-05T13:30:00+05:00', 'D-1')).thenFails({ _tag: 'NoResultAwaiting' })
    given(filed, proposed, agreed, delivered, rejected).when(T.deliver('2024-06-05T14:00:00+05:00', 'D-1')).thenFails({ _tag: 'DeliveryAlreadyRecorded' })
    given(filed, proposed, agreed, delivered, rejected)
      .when(T.deliver('2024-06-05T14:00:00+05:00', 'D-2'))
      .then([{ type: 'ResultDelivered', data: { ticketId: filed.ticketId, at: instant('2024-06-05T14:00:00+05:00'), deliveryId: 'D-2', summary: 'fixed' } }])
  })

  it('lets only the supplier deliver and only the customer accept', () => {
    given(filed).when(T.deliver('2024-06-03T10:30:00+05:00', 'D-1', customer)).thenFails({ _tag: 'WrongParty' })
    given(filed, delivered).when(T.accept('2024-06-05T13:00:00+05:00', 'D-1', supplier)).thenFails({ _tag: 'WrongParty' })
  })
})

describe('Ticket: questions to the customer', () => {
  it('records which clocks a question pauses, so the customer sees them: by default none, the contract makes no exception', () => {
    given(filed)
      .when(T.ask('2024-06-03T10:30:00+05:00', 'Q-1'))
      .then([{ type: 'CustomerAsked', data: { ticketId: filed.ticketId, at: instant('2024-06-03T10:30:00+05:00'), questionId: 'Q-1', question: 'Which server?', pauses: [] } }])
    given(filed, proposed, agreed)
      .when(T.ask('2024-06-04T10:30:00+05:00', 'Q-1'))
      .then([{ type: 'CustomerAsked', data: { ticketId: filed.ticketId, at: instant('2024-06-04T10:30:00+05:00'), questionId: 'Q-1', question: 'Which server?', pauses: [] } }])
    const P = ticketCommands('T-1')
    given(P.file('2024-06-03T10:00:00+05:00', { policy: pausableDeadline }), proposed, agreed)
      .when(T.ask('2024-06-04T10:30:00+05:00', 'Q-1'))
      .then([
        {
          type: 'CustomerAsked',
          data: { ticketId: filed.ticketId, at: instant('2024-06-04T10:30:00+05:00'), questionId: 'Q-1', question: 'Which server?', pauses: ['agreed-deadline'] },
        },
      ])
  })

  it('answers only an open question, and only by the customer', () => {
    const asked = T.ask('2024-06-03T10:30:00+05:00', 'Q-1')
    given(filed, asked).when(T.answer('2024-06-03T10:40:00+05:00', 'Q-1', supplier)).thenFails({ _tag: 'WrongParty' })
    given(filed, asked).when(T.answer('2024-06-03T10:40:00+05:00', 'Q-2')).thenFails({ _tag: 'QuestionNotOpen' })
    given(filed, asked, T.answer('2024-06-03T10:40:00+05:00', 'Q-1')).when(T.answer('2024-06-03T10:50:00+05:00', 'Q-1')).thenFails({ _tag: 'QuestionNotOpen' })
    given(filed, asked).when(T.ask('2024-06-03T10:45:00+05:00', 'Q-1')).thenFails({ _tag: 'QuestionAlreadyAsked' })
  })
})

describe('Ticket: consultations', () => {
  it('files a consultation that is answered and accepted, with no deadline needed', () => {
    const C = ticketCommands('T-9')
    const events = historyOf([
      C.file('2024-06-03T10:00:00+05:00', { kind: 'consultation', channel: 'phone' }),
      C.deliver('2024-06-03T10:20:00+05:00', 'A-1'),
      C.accept('2024-06-03T10:25:00+05:00', 'A-1'),
    ])
    expect(events.map((e) => e.type)).toEqual(['RequestFiled', 'ResultDelivered', 'ResultAccepted'])
  })
})

describe('Ticket: one due instant for the decider and the verdicts, where a policy pauses the agreed deadline', () => {
  const P = ticketCommands('T-1')
  const pausedFlow = [
    P.file('2024-06-03T10:00:00+05:00', { policy: pausableDeadline }),
    proposed,
    agreed,
    // Four hours waiting for the customer: the deadline of Wednesday 18:00 is in force until 22:00.
    T.ask('2024-06-04T10:00:00+05:00', 'Q-1'),
    T.answer('2024-06-04T14:00:00+05:00', 'Q-1'),
  ]

  it('accepts a deadline change proposed and agreed after the agreed instant but before the paused due instant', () => {
    given(...pausedFlow)
      .when(T.proposeChange('2024-06-05T20:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier))
      .then([
        {
          type: 'DeadlineChangeProposed',
          data: { ticketId: filed.ticketId, at: instant('2024-06-05T20:00:00+05:00'), deadline: instant('2024-06-07T18:00:00+05:00'), reason: 'waiting for a vendor patch', proposedBy: 'supplier' },
        },
      ])
    given(...pausedFlow, T.proposeChange('2024-06-05T20:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier))
      .when(T.agreeChange('2024-06-05T21:00:00+05:00', '2024-06-07T18:00:00+05:00', customer))
      .then([
        {
          type: 'DeadlineChangeAgreed',
          data: {
            ticketId: filed.ticketId,
            at: instant('2024-06-05T21:00:00+05:00'),
            previous: instant('2024-06-05T18:00:00+05:00'),
            deadline: instant('2024-06-07T18:00:00+05:00'),
            reason: 'waiting for a vendor patch',
          },
        },
      ])
  })

  it('refuses a change after the paused due instant, and the refusal names that instant', () => {
    const refused = given(...pausedFlow).when(T.proposeChange('2024-06-05T22:00:00.001+05:00', '2024-06-07T18:00:00+05:00', supplier))
    const error = refused.thenFails({ _tag: 'AgreedDeadlinePassed', deadline: instant('2024-06-05T22:00:00+05:00') })
    expect(error.message).toContain(instant('2024-06-05T22:00:00+05:00'))
  })

  it('still pauses on a question asked after the agreed instant while the paused due instant is ahead', () => {
    given(...pausedFlow)
      .when(T.ask('2024-06-05T21:00:00+05:00', 'Q-2'))
      .then([{ type: 'CustomerAsked', data: { ticketId: filed.ticketId, at: instant('2024-06-05T21:00:00+05:00'), questionId: 'Q-2', question: 'Which server?', pauses: ['agreed-deadline'] } }])
  })

  it('never moves a business-time due instant earlier than the agreed one: a zero-length pause keeps 20:00', () => {
    const business: SlaPolicy = { ...defaultSlaPolicy, agreedDeadline: { default: { ...defaultSlaPolicy.agreedDeadline.default, measure: 'business', pausable: true }, byPriority: {} } }
    const decider = ticketDeciderOn(calendars)
    const flow = historyOf(
      [
        P.file('2024-06-03T10:00:00+05:00', { policy: business }),
        T.propose('2024-06-03T10:20:00+05:00', '2024-06-05T20:00:00+05:00'),
        T.agree('2024-06-03T10:30:00+05:00', '2024-06-05T20:00:00+05:00'),
        T.ask('2024-06-04T11:00:00+05:00', 'Q-1'),
        T.answer('2024-06-04T11:00:00+05:00', 'Q-1'),
      ],
      decider,
    )
    const change = T.proposeChange('2024-06-05T19:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier)
    const proposedChange = [
      {
        type: 'DeadlineChangeProposed' as const,
        data: { ticketId: filed.ticketId, at: instant('2024-06-05T19:00:00+05:00'), deadline: instant('2024-06-07T18:00:00+05:00'), reason: 'waiting for a vendor patch', proposedBy: 'supplier' as const },
      },
    ]
    scenario(decider).given(flow).when(change).then(proposedChange)
    // The default decider counts on the shipped calendars; without the contract's calendar a decider says so rather than guess.
    scenario(ticketDecider).given(flow).when(change).then(proposedChange)
    scenario(ticketDeciderOn({ calendarAt: () => undefined }))
      .given(flow)
      .when(change)
      .thenFails({ _tag: 'CalendarNotFound', calendarId: 'kz-5day' })
  })
})

describe('Ticket: a request received in the term is finished after it', () => {
  const ended = ticketCommands('T-1', { ...exampleTerms, term: { start: exampleTerms.term.start, end: '2024-06-03' as LocalDate } })
  // Received on the term's last evening: every later step falls after the term.
  const lastEvening = ended.file('2024-06-03T22:30:00+05:00')

  it('is proposed, agreed, delivered and accepted after the term ends', () => {
    const events = historyOf([
      lastEvening,
      ended.propose('2024-06-04T00:10:00+05:00', '2024-06-06T18:00:00+05:00'),
      ended.agree('2024-06-04T00:20:00+05:00', '2024-06-06T18:00:00+05:00'),
      ended.ask('2024-06-04T09:00:00+05:00', 'Q-1'),
      ended.answer('2024-06-04T10:00:00+05:00', 'Q-1'),
      ended.proposeChange('2024-06-05T10:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier),
      ended.agreeChange('2024-06-05T11:00:00+05:00', '2024-06-07T18:00:00+05:00', customer),
      ended.deliver('2024-06-06T12:00:00+05:00', 'D-1'),
      ended.rejectResult('2024-06-06T13:00:00+05:00', 'D-1'),
      ended.deliver('2024-06-06T15:00:00+05:00', 'D-2'),
      ended.accept('2024-06-06T16:00:00+05:00', 'D-2'),
    ])
    expect(events.map((e) => e.type)).toEqual([
      'RequestFiled',
      'DeadlineProposed',
      'DeadlineAgreed',
      'CustomerAsked',
      'QuestionAnswered',
      'DeadlineChangeProposed',
      'DeadlineChangeAgreed',
      'ResultDelivered',
      'ResultRejected',
      'ResultDelivered',
      'ResultAccepted',
    ])
  })

  it('lets the customer change the priority of a request received in the term', () => {
    given(lastEvening).when(ended.changePriority('2024-06-04T08:00:00+05:00', 'urgent')).then([
      { type: 'PriorityChanged', data: { ticketId: filed.ticketId, at: instant('2024-06-04T08:00:00+05:00'), from: 'normal', to: 'urgent' } },
    ])
  })

  it('refuses a new request received after the term, even one keyed in the same minute as a valid one', () => {
    scenario(ticketDecider).given([]).when(ended.file('2024-06-04T00:00:00+05:00')).thenFails({ _tag: 'ContractNotInForce' })
    scenario(ticketDecider).given([]).when(ended.file('2024-06-03T23:59:59.999+05:00')).then(historyOf([ended.file('2024-06-03T23:59:59.999+05:00')]))
  })
})
