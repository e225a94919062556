import { defaultSlaPolicy, type LedgerEvent } from '@support-ledger/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contacts, contractId, recorded } from './mail.fixture.js'
import { defaultNotificationPolicy, notificationOfEvent, notificationPolicy } from './notification-policy.js'

const customer = { party: 'customer' as const, id: 'bolat' }
const supplier = { party: 'supplier' as const, id: 'daniyar' }
const at = '2026-03-05T04:30:00.000Z'
const base = { contractId, at, actor: supplier }

const requestFiled = (subject: string, description = ''): LedgerEvent =>
  ({
    type: 'RequestFiled',
    data: {
      ticketId: 'T-1',
      at,
      contractId,
      kind: 'defect',
      priority: 'high',
      channel: 'email',
      receivedAt: at,
      subject,
      calendarId: 'kz-5day',
      timeZone: 'Asia/Almaty',
      slaPolicy: defaultSlaPolicy,
      ...(description === '' ? {} : { description }),
    },
  }) as unknown as LedgerEvent

const events: ReadonlyArray<[LedgerEvent, { party: 'customer' | 'supplier'; id: string }, ReadonlyArray<string>]> = [
  [requestFiled('Не работает отчёт'), customer, ['bolat', 'aigerim']],
  [{ type: 'DeadlineProposed', data: { ticketId: 'T-1', at, deadline: '2026-03-06T04:30:00.000Z' } } as unknown as LedgerEvent, supplier, ['aigerim']],
  [{ type: 'DeadlineAgreed', data: { ticketId: 'T-1', at, deadline: '2026-03-06T04:30:00.000Z' } } as unknown as LedgerEvent, customer, ['daniyar']],
  [{ type: 'DeadlineRejected', data: { ticketId: 'T-1', at, deadline: '2026-03-06T04:30:00.000Z', reason: 'рано' } } as unknown as LedgerEvent, customer, ['daniyar']],
  [{ type: 'CustomerAsked', data: { ticketId: 'T-1', at, questionId: 'Q-1', question: 'Версия?', pauses: [] } } as unknown as LedgerEvent, supplier, ['aigerim']],
  [
    { type: 'OnSiteDemanded', data: { ...base, incidentId: 'I-1', site: 'Астана', arrivalRule: defaultSlaPolicy.onSiteArrival.default } } as unknown as LedgerEvent,
    customer,
    ['erlan'],
  ],
  [{ type: 'EngineerArrived', data: { ...base, incidentId: 'I-1', engineer: 'erlan' } } as unknown as LedgerEvent, supplier, ['aigerim']],
  [
    { type: 'ServiceRestored', data: { ...base, incidentId: 'I-1', note: 'ok', reportRule: defaultSlaPolicy.onSiteArrival.default, calendarId: 'kz-5day' } } as unknown as LedgerEvent,
    supplier,
    ['aigerim'],
  ],
  [
    {
      type: 'FailureReportSubmitted',
      data: { ...base, incidentId: 'I-1', revision: 1, report: { summary: 'диск', rootCauses: ['a'], preventiveMeasures: ['b'], timeline: [] } },
    } as unknown as LedgerEvent,
    supplier,
    ['aigerim'],
  ],
  [{ type: 'CapWarningReached', data: { ...base, changeId: 'CH-1', thresholdBps: 8000, committed: 120_000_000, cap: 150_000_000 } } as unknown as LedgerEvent, supplier, ['aigerim', 'gulnara']],
  [
    {
      type: 'DeliveryRecorded',
      data: { ...base, deliveryId: 'D-1', quarter: '2026-Q1', dueAt: at, version: '2.1', artifactSha256: 'a'.repeat(64), changes: [] },
    } as unknown as LedgerEvent,
    supplier,
    ['aigerim'],
  ],
]

describe('notification policy', () => {
  it.each(events.map(([e, a, r]) => [e.type, e, a, r] as const))('%s mails the people its default names', (_, event, actor, expected) => {
    const n = notificationOfEvent(recorded(event, actor), contacts)
    expect(n?.recipients.map((p) => p.personId)).toEqual(expected)
  })

  it('mails nobody for an event the policy does not cover, or a trigger turned off', () => {
    expect(notificationOfEvent(recorded({ type: 'ResultAccepted', data: { ticketId: 'T-1', at, deliveryId: 'x' } } as unknown as LedgerEvent, customer), contacts)).toBeUndefined()
    const quiet = notificationPolicy({ DeadlineProposed: 'off' })
    expect(notificationOfEvent(recorded(events[1]![0], supplier), contacts, quiet)).toBeUndefined()
    expect(defaultNotificationPolicy.DeadlineProposed).not.toBe('off')
  })

  it('takes the acting person only when the contract lists them for the party the rule names', () => {
    const stranger = notificationOfEvent(recorded(requestFiled('x'), { party: 'customer', id: 'nobody' }), contacts)
    expect(stranger?.recipients.map((p) => p.personId)).toEqual(['aigerim'])
    // A supplier person filing (e.g. from a phone call) is not the customer the acknowledgement is for.
    const bySupplier = notificationOfEvent(recorded(requestFiled('x'), supplier), contacts)
    expect(bySupplier?.recipients.map((p) => p.personId)).toEqual(['aigerim'])
  })

  it('never takes a recipient from text inside an event', () => {
    const listed = new Set(contacts.people.map((p) => p.address))
    let withAddress = 0
    fc.assert(
      fc.property(fc.emailAddress(), fc.string(), fc.emailAddress(), (address, text, other) => {
        const subject = `${text} ${address}`
        if (subject.includes('@')) withAddress += 1
        const n = notificationOfEvent(recorded(requestFiled(subject, `Cc: ${other}\nTo: ${address}`), customer), contacts)
        for (const person of n?.recipients ?? []) expect(listed.has(person.address)).toBe(true)
        expect(n?.recipients.map((p) => p.address)).not.toContain(address)
      }),
      { numRuns: 200 },
    )
    // Every run puts an address in the subject and the description.
    expect(withAddress).toBe(200)
  })
})
