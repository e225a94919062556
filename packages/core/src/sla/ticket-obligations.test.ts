import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import type { ContractTerms } from '../contract/contract-terms.js'
import type { TicketCommand } from '../ticket/ticket-commands.js'
import { customer, exampleTerms, historyOf, instant, recorded, supplier, ticketCommands } from '../ticket/ticket.fixture.js'
import type { ObligationName, ObligationState } from './obligation.js'
import { defaultSlaPolicy, type PositiveMinutes, type SlaPolicy, type WindowRule } from './sla-policy.js'
import { obligationsOfTicket } from './ticket-obligations.js'

const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
if (E.isLeft(registry)) throw new Error(registry.left.message)
const calendars = registry.right

const proposalRule = (o: Partial<WindowRule>): WindowRule => ({ ...defaultSlaPolicy.deadlineProposal.rules.default, ...o })
const policy = (rules: { default: WindowRule; byPriority?: SlaPolicy['deadlineProposal']['rules']['byPriority'] }): SlaPolicy => ({
  ...defaultSlaPolicy,
  deadlineProposal: { kinds: ['defect'], rules: { default: rules.default, byPriority: rules.byPriority ?? {} } },
})
const businessTwoHours = policy({ default: proposalRule({ measure: 'business' }) })

const T = ticketCommands('T-1')
const at = instant

/** The state of one obligation of the ticket at an instant. */
const stateOf = (commands: ReadonlyArray<TicketCommand>, when: string, name: ObligationName): ObligationState | undefined => {
  const result = obligationsOfTicket(recorded(historyOf(commands)), at(when), calendars)
  if (E.isLeft(result)) throw new Error(result.left.message)
  return result.right.find((o) => o.obligation === name)
}
const ids = (o: ObligationState | undefined) => o?.evidence.map((e) => `${e.role}:${e.eventId}`)

describe('Clause 2, default rule: a deadline within 2 elapsed hours of receipt', () => {
  const filed = T.file('2024-06-03T10:00:00+05:00')

  it('is pending with the time left, warns at half and at 80% of the window, and is breached after it', () => {
    expect(stateOf([filed], '2024-06-03T10:30:00+05:00', 'deadline-proposal')).toMatchObject({
      status: 'pending',
      clause: 2,
      measure: 'elapsed',
      startedAt: at('2024-06-03T10:00:00+05:00'),
      dueAt: at('2024-06-03T12:00:00+05:00'),
      usedMinutes: 30,
      leftMinutes: 90,
      pausedBy: [],
    })
    expect(stateOf([filed], '2024-06-03T11:00:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'warned', thresholdBps: 5000 })
    expect(stateOf([filed], '2024-06-03T11:36:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'warned', thresholdBps: 8000 })
    expect(stateOf([filed], '2024-06-03T12:00:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'warned', leftMinutes: 0 })
    const breached = stateOf([filed], '2024-06-03T12:00:00.001+05:00', 'deadline-proposal')
    expect(breached).toMatchObject({ status: 'breached', dueAt: at('2024-06-03T12:00:00+05:00') })
    expect(ids(breached)).toEqual(['started:ticket-T-1/1'])
  })

  it('is met by the customer agreeing a deadline in time, and shows when it was proposed and agreed', () => {
    const commands = [filed, T.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00'), T.agree('2024-06-03T11:59:00+05:00', '2024-06-05T18:00:00+05:00')]
    const met = stateOf(commands, '2024-06-04T00:00:00+05:00', 'deadline-proposal')
    expect(met).toMatchObject({
      status: 'met',
      metAt: at('2024-06-03T11:59:00+05:00'),
      marginMinutes: 1,
      proposedAt: at('2024-06-03T11:00:00+05:00'),
      agreedAt: at('2024-06-03T11:59:00+05:00'),
    })
    expect(ids(met)).toEqual(['started:ticket-T-1/1', 'proposed:ticket-T-1/2', 'stopped:ticket-T-1/3'])
  })

  it('is not met by a proposal alone: set AND agreed within two hours', () => {
    const proposed = [filed, T.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00')]
    expect(stateOf(proposed, '2024-06-03T11:30:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'warned', proposedAt: at('2024-06-03T11:00:00+05:00') })
    const lateAgreement = stateOf([...proposed, T.agree('2024-06-03T12:30:00+05:00', '2024-06-05T18:00:00+05:00')], '2024-06-04T00:00:00+05:00', 'deadline-proposal')
    expect(lateAgreement).toMatchObject({
      status: 'breached',
      dueAt: at('2024-06-03T12:00:00+05:00'),
      stoppedAt: at('2024-06-03T12:30:00+05:00'),
      proposedAt: at('2024-06-03T11:00:00+05:00'),
      agreedAt: at('2024-06-03T12:30:00+05:00'),
    })
  })

  it('given a proposal the customer rejects and none agreed, stays pending, then is breached', () => {
    const rejected = [filed, T.propose('2024-06-03T10:10:00+05:00', '2030-01-01T00:00:00+05:00'), T.reject('2024-06-03T10:20:00+05:00', '2030-01-01T00:00:00+05:00')]
    expect(stateOf(rejected, '2024-06-03T10:30:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'pending', dueAt: at('2024-06-03T12:00:00+05:00') })
    const breached = stateOf(rejected, '2024-06-10T00:00:00+05:00', 'deadline-proposal')
    expect(breached).toMatchObject({ status: 'breached', dueAt: at('2024-06-03T12:00:00+05:00'), proposedAt: at('2024-06-03T10:10:00+05:00') })
    expect(breached).not.toHaveProperty('agreedAt')
    expect(breached).not.toHaveProperty('stoppedAt')
  })

  it('under a policy met by the proposal, is met by a proposal in time whatever the customer answers', () => {
    const byProposal: SlaPolicy = { ...defaultSlaPolicy, deadlineProposal: { ...defaultSlaPolicy.deadlineProposal, metBy: 'proposal' } }
    const P = ticketCommands('T-1')
    const commands = [
      P.file('2024-06-03T10:00:00+05:00', { policy: byProposal }),
      P.propose('2024-06-03T11:59:00+05:00', '2024-06-05T18:00:00+05:00'),
      P.reject('2024-06-03T13:00:00+05:00', '2024-06-05T18:00:00+05:00'),
    ]
    const met = stateOf(commands, '2024-06-04T00:00:00+05:00', 'deadline-proposal')
    expect(met).toMatchObject({ status: 'met', metAt: at('2024-06-03T11:59:00+05:00'), marginMinutes: 1 })
    expect(ids(met)).toEqual(['started:ticket-T-1/1', 'stopped:ticket-T-1/2'])
    const late = stateOf([commands[0]!, P.propose('2024-06-03T12:01:00+05:00', '2024-06-05T18:00:00+05:00')], '2024-06-04T00:00:00+05:00', 'deadline-proposal')
    expect(late).toMatchObject({ status: 'breached', dueAt: at('2024-06-03T12:00:00+05:00'), stoppedAt: at('2024-06-03T12:01:00+05:00') })
  })

  it('is met by a fix delivered in the window and accepted, with no deadline needed', () => {
    const fixed = [filed, T.deliver('2024-06-03T11:00:00+05:00', 'D-1')]
    expect(stateOf(fixed, '2024-06-03T13:00:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'warned', awaiting: 'acceptance' })
    expect(stateOf([...fixed, T.accept('2024-06-03T13:00:00+05:00', 'D-1')], '2024-06-03T14:00:00+05:00', 'deadline-proposal')).toMatchObject({
      status: 'met',
      metAt: at('2024-06-03T11:00:00+05:00'),
    })
    // A result the customer rejects counts for nothing: the window has passed with no deadline agreed.
    expect(stateOf([...fixed, T.rejectResult('2024-06-03T13:00:00+05:00', 'D-1')], '2024-06-03T14:00:00+05:00', 'deadline-proposal')).toMatchObject({
      status: 'breached',
    })
  })

  it('is not paused by a question: the contract makes no exception to the two hours', () => {
    const commands = [filed, T.ask('2024-06-03T10:30:00+05:00', 'Q-1'), T.answer('2024-06-03T11:30:00+05:00', 'Q-1')]
    expect(stateOf(commands, '2024-06-03T12:30:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'breached', dueAt: at('2024-06-03T12:00:00+05:00') })
  })

  it('does not apply to a consultation or a configuration by default', () => {
    const C = ticketCommands('T-2')
    expect(stateOf([C.file('2024-06-03T10:00:00+05:00', { kind: 'consultation' })], '2024-06-04T10:00:00+05:00', 'deadline-proposal')).toBeUndefined()
    expect(stateOf([C.file('2024-06-03T10:00:00+05:00', { kind: 'configuration' })], '2024-06-04T10:00:00+05:00', 'deadline-proposal')).toBeUndefined()
  })

  it('knows nothing before the request was recorded', () => {
    expect(stateOf([filed], '2024-06-03T09:59:59.999+05:00', 'deadline-proposal')).toBeUndefined()
  })
})

describe('Clause 2 under a business-hours rule on the Kazakh calendar (09:00-18:00, lunch 13:00-14:00)', () => {
  const due = (filedAt: string, when: string) => stateOf([T.file(filedAt, { policy: businessTwoHours })], when, 'deadline-proposal')

  it('given a request at 17:30 on a Friday, the two hours end at 10:30 on Monday', () => {
    expect(due('2024-06-07T17:30:00+05:00', '2024-06-08T12:00:00+05:00')).toMatchObject({
      status: 'pending',
      measure: 'business',
      usedMinutes: 30,
      dueAt: at('2024-06-10T10:30:00+05:00'),
    })
    const proposed = (when: string) =>
      stateOf(
        [T.file('2024-06-07T17:30:00+05:00', { policy: businessTwoHours }), T.propose(when, '2024-06-12T18:00:00+05:00'), T.agree(when, '2024-06-12T18:00:00+05:00')],
        '2024-06-11T00:00:00+05:00',
        'deadline-proposal',
      )
    expect(proposed('2024-06-10T10:29:00+05:00')).toMatchObject({ status: 'met' })
    expect(proposed('2024-06-10T10:31:00+05:00')).toMatchObject({ status: 'breached' })
  })

  it('skips the lunch break', () => {
    expect(due('2024-06-03T12:00:00+05:00', '2024-06-03T12:30:00+05:00')).toMatchObject({ dueAt: at('2024-06-03T15:00:00+05:00') })
  })

  it('counts across the time-zone change: 2024-02-29 was UTC+6, 2024-03-01 is UTC+5', () => {
    // 17:30 on Thursday 29 February (UTC+6): 30 minutes that day, 90 on Friday 1 March from 09:00 (UTC+5).
    expect(due('2024-02-29T17:30:00+06:00', '2024-02-29T18:30:00+06:00')).toMatchObject({ dueAt: at('2024-03-01T10:30:00+05:00') })
    expect(at('2024-03-01T10:30:00+05:00')).toBe('2024-03-01T05:30:00.000Z')
    // 08:00 on 1 March (UTC+5) is before opening: the clock starts at 09:00.
    expect(due('2024-03-01T08:00:00+05:00', '2024-03-01T08:30:00+05:00')).toMatchObject({ usedMinutes: 0, dueAt: at('2024-03-01T11:00:00+05:00') })
  })

  it('counts elapsed hours as real time across the change of offset', () => {
    const elapsed = stateOf([T.file('2024-02-29T23:30:00+06:00')], '2024-03-01T00:00:00+05:00', 'deadline-proposal')
    expect(elapsed).toMatchObject({ dueAt: at('2024-03-01T00:30:00+05:00'), usedMinutes: 90 })
  })

  it('given a request during Nauryz week, the clock waits for the first working day after it', () => {
    // Wednesday 20 March 2024, 17:00: one hour that day; 21-23 March Nauryz, 25 March the day off moved from Saturday the 23rd.
    expect(due('2024-03-20T17:00:00+05:00', '2024-03-25T12:00:00+05:00')).toMatchObject({
      status: 'warned',
      usedMinutes: 60,
      dueAt: at('2024-03-26T10:00:00+05:00'),
    })
    expect(due('2024-03-22T10:00:00+05:00', '2024-03-22T12:00:00+05:00')).toMatchObject({ usedMinutes: 0, dueAt: at('2024-03-26T11:00:00+05:00') })
  })

  it('given a request on the Friday before a transferred working Saturday, the clock runs on that Saturday', () => {
    // 4 May 2024 (Saturday) was a working day; its day off moved to Wednesday 8 May.
    expect(due('2024-05-03T17:00:00+05:00', '2024-05-03T17:30:00+05:00')).toMatchObject({ dueAt: at('2024-05-04T10:00:00+05:00') })
    // Monday 6 May at 17:00: 7 May is Defender of the Fatherland Day, 8 May the moved day off, 9 May Victory Day.
    expect(due('2024-05-06T17:00:00+05:00', '2024-05-06T17:30:00+05:00')).toMatchObject({ dueAt: at('2024-05-10T10:00:00+05:00') })
  })
})

describe('Clause 2 with rules per priority', () => {
  const byPriority = policy({
    default: proposalRule({ minutes: 240 as PositiveMinutes }),
    byPriority: { urgent: proposalRule({ minutes: 60 as PositiveMinutes }) },
  })
  const filed = T.file('2024-06-03T10:00:00+05:00', { policy: byPriority })
  const raised = T.changePriority('2024-06-03T10:30:00+05:00', 'urgent')

  it('given a priority raised by the customer midway, the window becomes the new priority one, counted from receipt', () => {
    expect(stateOf([filed], '2024-06-03T10:20:00+05:00', 'deadline-proposal')).toMatchObject({ dueAt: at('2024-06-03T14:00:00+05:00'), windowMinutes: 240 })
    const after = stateOf([filed, raised], '2024-06-03T10:40:00+05:00', 'deadline-proposal')
    expect(after).toMatchObject({ status: 'warned', windowMinutes: 60, dueAt: at('2024-06-03T11:00:00+05:00'), leftMinutes: 20 })
    expect(ids(after)).toEqual(['started:ticket-T-1/1', 'retargeted:ticket-T-1/2'])
    const proposeAt = (when: string) =>
      stateOf([filed, raised, T.propose(when, '2024-06-04T18:00:00+05:00'), T.agree(when, '2024-06-04T18:00:00+05:00')], '2024-06-04T00:00:00+05:00', 'deadline-proposal')
    expect(proposeAt('2024-06-03T10:50:00+05:00')).toMatchObject({ status: 'met' })
    expect(proposeAt('2024-06-03T11:30:00+05:00')).toMatchObject({ status: 'breached', dueAt: at('2024-06-03T11:00:00+05:00') })
  })

  it('keeps a breach when the priority is lowered after the clock was due, but follows a change made in time', () => {
    const lowered = (when: string) => stateOf([filed, raised, T.changePriority(when, 'normal')], '2024-06-03T12:00:00+05:00', 'deadline-proposal')
    const late = lowered('2024-06-03T11:40:00+05:00')
    expect(late).toMatchObject({ status: 'breached', dueAt: at('2024-06-03T11:00:00+05:00'), windowMinutes: 60 })
    expect(ids(late)).toEqual(['started:ticket-T-1/1', 'retargeted:ticket-T-1/2'])
    expect(lowered('2024-06-03T10:45:00+05:00')).toMatchObject({ status: 'warned', dueAt: at('2024-06-03T14:00:00+05:00'), windowMinutes: 240 })
  })

  it('ignores a priority change made after the agreement', () => {
    const commands = [
      filed,
      T.propose('2024-06-03T11:30:00+05:00', '2024-06-04T18:00:00+05:00'),
      T.agree('2024-06-03T11:35:00+05:00', '2024-06-04T18:00:00+05:00'),
      T.changePriority('2024-06-03T11:40:00+05:00', 'urgent'),
    ]
    expect(stateOf(commands, '2024-06-04T00:00:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'met', windowMinutes: 240 })
  })
})

describe('A pausable clause 2 rule', () => {
  const pausable = policy({ default: proposalRule({ pausable: true }) })
  const filed = T.file('2024-06-03T10:00:00+05:00', { policy: pausable })
  const asked = T.ask('2024-06-03T10:30:00+05:00', 'Q-1')

  it('pauses while a question to the customer is open, shows which, and resumes on the answer', () => {
    const paused = stateOf([filed, asked], '2024-06-03T13:00:00+05:00', 'deadline-proposal')
    expect(paused).toMatchObject({ status: 'pending', usedMinutes: 30, pausedBy: ['Q-1'] })
    expect(paused).not.toHaveProperty('dueAt')
    const resumed = stateOf([filed, asked, T.answer('2024-06-03T11:30:00+05:00', 'Q-1')], '2024-06-03T12:30:00+05:00', 'deadline-proposal')
    expect(resumed).toMatchObject({ status: 'warned', dueAt: at('2024-06-03T13:00:00+05:00'), usedMinutes: 90, pausedBy: [] })
    expect(ids(resumed)).toEqual(['started:ticket-T-1/1', 'paused:ticket-T-1/2', 'resumed:ticket-T-1/3'])
  })

  it('is met by a deadline agreed while paused', () => {
    const commands = [filed, asked, T.propose('2024-06-03T14:00:00+05:00', '2024-06-04T18:00:00+05:00'), T.agree('2024-06-03T15:00:00+05:00', '2024-06-04T18:00:00+05:00')]
    expect(stateOf(commands, '2024-06-04T00:00:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'met', marginMinutes: 90 })
  })

  it('is not rescued by a question asked after it was due', () => {
    const commands = [filed, T.ask('2024-06-03T12:30:00+05:00', 'Q-1')]
    expect(stateOf(commands, '2024-06-03T13:00:00+05:00', 'deadline-proposal')).toMatchObject({ status: 'breached', dueAt: at('2024-06-03T12:00:00+05:00') })
  })
})

describe('Clause 3: the fix by the agreed deadline', () => {
  const agreedFlow = [
    T.file('2024-06-03T10:00:00+05:00'),
    T.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00'),
    T.agree('2024-06-03T11:30:00+05:00', '2024-06-05T18:00:00+05:00'),
  ]

  it('starts when the deadline is agreed and is due at exactly the agreed deadline', () => {
    // Before the agreement the obligation is on record, waiting for it, with no due instant yet.
    const waiting = stateOf(agreedFlow.slice(0, 2), '2024-06-03T12:00:00+05:00', 'agreed-deadline')
    expect(waiting).toMatchObject({ status: 'pending', clause: 3, awaiting: 'agreement', startedAt: at('2024-06-03T10:00:00+05:00') })
    expect(waiting).not.toHaveProperty('dueAt')
    expect(stateOf(agreedFlow, '2024-06-03T12:00:00+05:00', 'agreed-deadline')).toMatchObject({
      status: 'pending',
      clause: 3,
      startedAt: at('2024-06-03T11:30:00+05:00'),
      dueAt: at('2024-06-05T18:00:00+05:00'),
    })
    expect(stateOf(agreedFlow, '2024-06-05T18:00:00.001+05:00', 'agreed-deadline')).toMatchObject({ status: 'breached' })
  })

  it('is met when the fix the customer accepts was delivered by the deadline, even if accepted after it', () => {
    const commands = [...agreedFlow, T.deliver('2024-06-05T12:00:00+05:00', 'D-1'), T.accept('2024-06-06T10:00:00+05:00', 'D-1')]
    expect(stateOf(commands, '2024-06-05T20:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'warned', awaiting: 'acceptance' })
    const met = stateOf(commands, '2024-06-06T10:00:00+05:00', 'agreed-deadline')
    expect(met).toMatchObject({ status: 'met', metAt: at('2024-06-05T12:00:00+05:00') })
    expect(ids(met)).toEqual(['started:ticket-T-1/3', 'stopped:ticket-T-1/4', 'accepted:ticket-T-1/5'])
  })

  it('given a fix rejected after the agreed deadline, the obligation is breached and the later fix does not mend it', () => {
    const commands = [
      ...agreedFlow,
      T.deliver('2024-06-05T12:00:00+05:00', 'D-1'),
      T.rejectResult('2024-06-06T10:00:00+05:00', 'D-1'),
      T.deliver('2024-06-06T15:00:00+05:00', 'D-2'),
      T.accept('2024-06-06T16:00:00+05:00', 'D-2'),
    ]
    expect(stateOf(commands, '2024-06-06T09:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'warned', awaiting: 'acceptance' })
    const rejected = stateOf(commands, '2024-06-06T10:00:00+05:00', 'agreed-deadline')
    expect(rejected).toMatchObject({ status: 'breached', dueAt: at('2024-06-05T18:00:00+05:00') })
    expect(ids(rejected)).toEqual(['started:ticket-T-1/3', 'delivered:ticket-T-1/4', 'rejected:ticket-T-1/5'])
    const final = stateOf(commands, '2024-06-07T00:00:00+05:00', 'agreed-deadline')
    expect(final).toMatchObject({ status: 'breached', stoppedAt: at('2024-06-06T15:00:00+05:00') })
    expect(ids(final)).toEqual([
      'started:ticket-T-1/3',
      'delivered:ticket-T-1/4',
      'rejected:ticket-T-1/5',
      'stopped:ticket-T-1/6',
      'accepted:ticket-T-1/7',
    ])
  })

  it('is met by a result delivered before the deadline was agreed and accepted after', () => {
    const commands = [
      T.file('2024-06-03T10:00:00+05:00'),
      T.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00'),
      T.deliver('2024-06-03T11:10:00+05:00', 'D-1'),
      T.agree('2024-06-03T11:30:00+05:00', '2024-06-05T18:00:00+05:00'),
      T.accept('2024-06-03T12:00:00+05:00', 'D-1'),
    ]
    expect(stateOf(commands, '2024-06-06T00:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'met', metAt: at('2024-06-03T11:10:00+05:00') })
  })

  it('follows a deadline renegotiated by both parties', () => {
    const commands = [
      ...agreedFlow,
      T.proposeChange('2024-06-05T10:00:00+05:00', '2024-06-07T18:00:00+05:00', supplier),
      T.agreeChange('2024-06-05T11:00:00+05:00', '2024-06-07T18:00:00+05:00', customer),
      T.deliver('2024-06-07T12:00:00+05:00', 'D-1'),
      T.accept('2024-06-07T13:00:00+05:00', 'D-1'),
    ]
    const met = stateOf(commands, '2024-06-08T00:00:00+05:00', 'agreed-deadline')
    expect(met).toMatchObject({ status: 'met', dueAt: at('2024-06-07T18:00:00+05:00') })
    expect(ids(met)).toContain('retargeted:ticket-T-1/5')
  })

  it('is not paused by a question by default: a fix delivered after the agreed deadline is late, whatever is still open', () => {
    const commands = [...agreedFlow, T.ask('2024-06-04T10:00:00+05:00', 'Q-1'), T.deliver('2024-06-30T12:00:00+05:00', 'D-1'), T.accept('2024-06-30T13:00:00+05:00', 'D-1')]
    expect(stateOf(commands, '2024-06-04T12:00:00+05:00', 'agreed-deadline')).toMatchObject({ pausedBy: [], dueAt: at('2024-06-05T18:00:00+05:00') })
    expect(stateOf(commands, '2024-07-01T00:00:00+05:00', 'agreed-deadline')).toMatchObject({
      status: 'breached',
      dueAt: at('2024-06-05T18:00:00+05:00'),
      stoppedAt: at('2024-06-30T12:00:00+05:00'),
    })
  })

  it('under a policy that opts in, is extended by the time a question to the customer stays open', () => {
    const P = ticketCommands('T-1')
    const pausable: SlaPolicy = { ...defaultSlaPolicy, agreedDeadline: { default: { ...defaultSlaPolicy.agreedDeadline.default, pausable: true }, byPriority: {} } }
    const opted = [
      P.file('2024-06-03T10:00:00+05:00', { policy: pausable }),
      P.propose('2024-06-03T11:00:00+05:00', '2024-06-05T18:00:00+05:00'),
      P.agree('2024-06-03T11:30:00+05:00', '2024-06-05T18:00:00+05:00'),
    ]
    const commands = [...opted, T.ask('2024-06-04T10:00:00+05:00', 'Q-1'), T.answer('2024-06-04T14:00:00+05:00', 'Q-1')]
    expect(stateOf(commands, '2024-06-04T12:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'pending', pausedBy: ['Q-1'] })
    expect(stateOf(commands, '2024-06-04T15:00:00+05:00', 'agreed-deadline')).toMatchObject({ dueAt: at('2024-06-05T22:00:00+05:00'), pausedBy: [] })
    const lateButExtended = [...commands, T.deliver('2024-06-05T21:00:00+05:00', 'D-1'), T.accept('2024-06-05T21:30:00+05:00', 'D-1')]
    expect(stateOf(lateButExtended, '2024-06-06T00:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'met', marginMinutes: 60 })
  })

  it('serves the clause of the request kind: a configuration for a change in the law is clause 4', () => {
    const C = ticketCommands('T-3')
    const commands = [
      C.file('2024-06-03T10:00:00+05:00', { kind: 'configuration', lawReference: 'Tax Code' }),
      C.propose('2024-06-03T11:00:00+05:00', '2024-06-10T18:00:00+05:00'),
      C.agree('2024-06-03T11:30:00+05:00', '2024-06-10T18:00:00+05:00'),
    ]
    expect(stateOf(commands, '2024-06-04T00:00:00+05:00', 'agreed-deadline')).toMatchObject({ clause: 4, subject: { aggregate: 'ticket', id: 'T-3' } })
  })
})

describe('Calendars', () => {
  it('refuses to guess when a business-time clock has no calendar', () => {
    const terms: ContractTerms = { ...exampleTerms, calendarId: 'nowhere' }
    const N = ticketCommands('T-4', terms)
    const result = obligationsOfTicket(recorded(historyOf([N.file('2024-06-03T10:00:00+05:00', { policy: businessTwoHours })])), at('2024-06-03T11:00:00+05:00'), calendars)
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'CalendarNotFound', calendarId: 'nowhere' } })
  })
})

describe('Pauses never help a late fix and never bring a due instant forward', () => {
  const P = ticketCommands('T-1')
  const business: SlaPolicy = { ...defaultSlaPolicy, agreedDeadline: { default: { ...defaultSlaPolicy.agreedDeadline.default, measure: 'business', pausable: true }, byPriority: {} } }
  // Agreed for Wednesday 20:00, after working hours.
  const agreedFlow = [
    P.file('2024-06-03T10:00:00+05:00', { policy: business }),
    P.propose('2024-06-03T10:20:00+05:00', '2024-06-05T20:00:00+05:00'),
    P.agree('2024-06-03T10:30:00+05:00', '2024-06-05T20:00:00+05:00'),
  ]
  const fixedAt = (commands: ReadonlyArray<TicketCommand>, when: string) => [...commands, P.deliver(when, 'D-1'), P.accept('2024-06-06T10:00:00+05:00', 'D-1')]

  it('on business time, a zero-length pause at 11:00 keeps the due instant at the agreed 20:00', () => {
    const zero = [...agreedFlow, P.ask('2024-06-04T11:00:00+05:00', 'Q-1'), P.answer('2024-06-04T11:00:00+05:00', 'Q-1')]
    expect(stateOf(zero, '2024-06-04T12:00:00+05:00', 'agreed-deadline')).toMatchObject({ dueAt: at('2024-06-05T20:00:00+05:00') })
    expect(stateOf(fixedAt(zero, '2024-06-05T19:00:00+05:00'), '2024-06-06T12:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'met' })
  })

  it('on business time, a pause outside working hours keeps the due instant at the agreed 20:00', () => {
    const evening = [...agreedFlow, P.ask('2024-06-04T19:00:00+05:00', 'Q-1'), P.answer('2024-06-04T19:30:00+05:00', 'Q-1')]
    expect(stateOf(evening, '2024-06-04T20:00:00+05:00', 'agreed-deadline')).toMatchObject({ dueAt: at('2024-06-05T20:00:00+05:00') })
    expect(stateOf(fixedAt(evening, '2024-06-05T19:30:00+05:00'), '2024-06-06T12:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'met' })
  })

  it('on business time, an hour of working time paused moves 20:00 to 10:00 next working day', () => {
    const hour = [...agreedFlow, P.ask('2024-06-04T11:00:00+05:00', 'Q-1'), P.answer('2024-06-04T12:00:00+05:00', 'Q-1')]
    expect(stateOf(hour, '2024-06-04T13:00:00+05:00', 'agreed-deadline')).toMatchObject({ dueAt: at('2024-06-06T10:00:00+05:00') })
  })

  it('by default, a question left open does not make a fix delivered 25 days late met', () => {
    const D = ticketCommands('T-1')
    const commands = [
      D.file('2024-06-03T10:00:00+05:00'),
      D.propose('2024-06-03T10:20:00+05:00', '2024-06-05T18:00:00+05:00'),
      D.agree('2024-06-03T10:30:00+05:00', '2024-06-05T18:00:00+05:00'),
      D.ask('2024-06-05T12:00:00+05:00', 'Q-1'),
      D.deliver('2024-06-30T18:00:00+05:00', 'D-1'),
      D.accept('2024-07-01T10:00:00+05:00', 'D-1'),
    ]
    expect(stateOf(commands, '2024-07-02T00:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'breached', dueAt: at('2024-06-05T18:00:00+05:00') })
  })

  it('a breach cites what stood at its due instant and then only gains the late stop: a question asked and answered while the late fix awaits acceptance changes nothing', () => {
    const commands = [
      ...agreedFlow,
      P.ask('2024-06-04T11:00:00+05:00', 'Q-1'),
      P.answer('2024-06-04T11:00:00+05:00', 'Q-1'),
      P.deliver('2024-06-06T12:00:00+05:00', 'D-1'),
      P.ask('2024-06-06T13:00:00+05:00', 'Q-2'),
      P.answer('2024-06-06T14:00:00+05:00', 'Q-2'),
      P.accept('2024-06-06T15:00:00+05:00', 'D-1'),
    ]
    const cited = ['started:ticket-T-1/3', 'paused:ticket-T-1/4', 'resumed:ticket-T-1/5']
    const late = stateOf(commands, '2024-06-06T14:30:00+05:00', 'agreed-deadline')
    expect(late).toMatchObject({ status: 'breached', dueAt: at('2024-06-05T20:00:00+05:00') })
    expect(ids(late)).toEqual(cited)
    const accepted = stateOf(commands, '2024-06-06T15:00:00+05:00', 'agreed-deadline')
    expect(accepted).toMatchObject({ status: 'breached', dueAt: at('2024-06-05T20:00:00+05:00'), stoppedAt: at('2024-06-06T12:00:00+05:00') })
    expect(ids(accepted)).toEqual([...cited, 'stopped:ticket-T-1/6', 'accepted:ticket-T-1/9'])
  })
})

describe('A defect whose deadline is never agreed stays on the record', () => {
  const rejected = [
    T.file('2024-06-03T10:00:00+05:00'),
    T.propose('2024-06-03T10:10:00+05:00', '2030-01-01T00:00:00+05:00'),
    T.reject('2024-06-03T10:20:00+05:00', '2030-01-01T00:00:00+05:00'),
  ]

  it('has a clause 3 obligation waiting for the agreement, whatever was proposed', () => {
    const waiting = stateOf(rejected, '2024-06-10T00:00:00+05:00', 'agreed-deadline')
    expect(waiting).toMatchObject({ status: 'pending', clause: 3, awaiting: 'agreement', proposedAt: at('2024-06-03T10:10:00+05:00') })
    expect(ids(waiting)).toEqual(['started:ticket-T-1/1', 'proposed:ticket-T-1/2'])
  })

  it('given a fix accepted with no deadline ever agreed, is judged by the two hours: in them met, after them breached', () => {
    const inWindow = stateOf([...rejected, T.deliver('2024-06-03T11:30:00+05:00', 'D-1'), T.accept('2024-06-03T15:00:00+05:00', 'D-1')], '2024-06-04T00:00:00+05:00', 'agreed-deadline')
    expect(inWindow).toMatchObject({ status: 'met', dueAt: at('2024-06-03T12:00:00+05:00'), metAt: at('2024-06-03T11:30:00+05:00') })
    const later = stateOf([...rejected, T.deliver('2024-06-04T11:30:00+05:00', 'D-1'), T.accept('2024-06-04T15:00:00+05:00', 'D-1')], '2024-06-05T00:00:00+05:00', 'agreed-deadline')
    expect(later).toMatchObject({ status: 'breached', dueAt: at('2024-06-03T12:00:00+05:00'), stoppedAt: at('2024-06-04T11:30:00+05:00') })
  })
})

describe('Clauses 4 and 5: configuration and performance by the agreed deadline', () => {
  const C = ticketCommands('T-5')

  it('a configuration for a change in the law waits for its deadline, then is judged by it (clause 4); no two-hour clock', () => {
    const filed = C.file('2024-06-03T10:00:00+05:00', { kind: 'configuration', lawReference: 'Tax Code, art. 12' })
    expect(stateOf([filed], '2024-06-05T00:00:00+05:00', 'deadline-proposal')).toBeUndefined()
    expect(stateOf([filed], '2024-06-05T00:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'pending', clause: 4, awaiting: 'agreement' })
    const agreed = [filed, C.propose('2024-06-05T10:00:00+05:00', '2024-06-10T18:00:00+05:00'), C.agree('2024-06-05T11:00:00+05:00', '2024-06-10T18:00:00+05:00')]
    expect(stateOf(agreed, '2024-06-10T18:00:00.001+05:00', 'agreed-deadline')).toMatchObject({ status: 'breached', clause: 4, dueAt: at('2024-06-10T18:00:00+05:00') })
    const done = [...agreed, C.deliver('2024-06-10T17:00:00+05:00', 'D-1'), C.accept('2024-06-11T10:00:00+05:00', 'D-1')]
    expect(stateOf(done, '2024-06-12T00:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'met', clause: 4, agreedAt: at('2024-06-05T11:00:00+05:00') })
  })

  it('a performance request is clause 5; accepted with no deadline agreed it had no time limit to miss', () => {
    const filed = C.file('2024-06-03T10:00:00+05:00', { kind: 'performance' })
    expect(stateOf([filed], '2024-06-05T00:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'pending', clause: 5, awaiting: 'agreement' })
    const done = [filed, C.deliver('2024-06-20T17:00:00+05:00', 'D-1'), C.accept('2024-06-21T10:00:00+05:00', 'D-1')]
    expect(stateOf(done, '2024-06-22T00:00:00+05:00', 'agreed-deadline')).toMatchObject({ status: 'met', clause: 5, metAt: at('2024-06-20T17:00:00+05:00') })
  })
})
