import {
  contractEvents,
  contractStreamId,
  createCalendarRegistry,
  inMemoryEventStore,
  drainOnce,
  inMemoryObligationSchedule,
  inMemoryOutbox,
  KAZAKHSTAN_CALENDAR,
  ticketStreamId,
  type ContractId,
  type Instant,
  type LedgerEvent,
  type RecordedEvent,
  type TicketId,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { contacts, contractId, sender, ticketLedger } from './mail.fixture.js'
import type { OutgoingMail } from './mail-message.js'
import { mailChannel, mailDeliveryHandler } from './mail-outbox.js'
import { loadMailTemplates } from './mail-templates.js'
import type { MailTransport } from './mail-transport.js'
import { enqueueScheduleMails } from './schedule-mails.js'
import { momentsFromObligationSchedule } from './schedule-moments.js'

const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
if (E.isLeft(registry)) throw new Error(registry.left.message)
const minutes = (from: string, n: number) => new Date(Date.parse(from) + n * 60_000).toISOString() as Instant

describe('mails from the ledger\'s obligation schedule', () => {
  it('warns the support desk at 50%, then stays silent about an obligation met before its next moment', async () => {
    const templates = await loadMailTemplates()
    if (E.isLeft(templates)) throw new Error(templates.left.message)
    const { service, tickets } = await ticketLedger()
    const received = '2026-03-05T05:00:00.000Z' as Instant
    const ticketId = 'T-42' as TicketId
    const filed = await service.handle({
      type: 'FileRequest',
      contractId: contractId as ContractId,
      ticketId,
      actor: { party: 'customer', id: 'bolat' },
      at: received,
      kind: 'defect',
      priority: 'high',
      channel: 'email',
      receivedAt: received,
      subject: 'Сбой расчёта',
    })()
    expect(E.isRight(filed)).toBe(true)
    const schedule = inMemoryObligationSchedule({ calendars: registry.right })
    const feed = async () => {
      await schedule.reset()
      const slice = await tickets.readStream(ticketStreamId(contractId, ticketId))()
      if (E.isLeft(slice)) throw new Error(slice.left.message)
      await schedule.handle(slice.right.events as unknown as ReadonlyArray<RecordedEvent<LedgerEvent>>)
    }
    await feed()
    const moments = momentsFromObligationSchedule(schedule)
    const outbox = inMemoryOutbox({ clock: () => received })
    const enqueued = await enqueueScheduleMails({ schedule: moments, templates: templates.right, sender, contacts: () => TE.right(contacts) })(outbox, received, minutes(received, 200))()
    if (E.isLeft(enqueued)) throw new Error(enqueued.left.message)
    // 50% and 80% of the two-hour window to the support desk; the breach to the support desk and the customer's contact.
    expect(enqueued.right.enqueued).toHaveLength(4)

    const sent: OutgoingMail[] = []
    const transport: MailTransport = { send: (mail) => async () => (sent.push(mail), E.right({ messageId: mail.messageId, response: '250' })), close: async () => undefined }
    const drainAt = (now: Instant) =>
      drainOnce({ outbox, channel: mailChannel, owner: 'w', clock: () => now, handler: mailDeliveryHandler(transport, { stillOpen: moments.stillOpen, now: () => now }) })
    await drainAt(minutes(received, 61))
    expect(sent.map((m) => [m.template, m.to.address])).toEqual([['clock-warning', 'support@supplier.kz']])
    expect(sent[0]!.subject).toContain('50%')

    // The supplier proposes a deadline at +70 min and the customer agrees it at +75: clause 2 is met by the agreement.
    const proposed = await service.handle({ type: 'ProposeDeadline', contractId: contractId as ContractId, ticketId, actor: { party: 'supplier', id: 'daniyar' }, at: minutes(received, 70), deadline: minutes(received, 3000) })()
    expect(E.isRight(proposed)).toBe(true)
    const agreed = await service.handle({ type: 'AgreeDeadline', contractId: contractId as ContractId, ticketId, actor: { party: 'customer', id: 'aigerim' }, at: minutes(received, 75), deadline: minutes(received, 3000) })()
    expect(E.isRight(agreed)).toBe(true)
    await feed()
    await drainAt(minutes(received, 130))
    expect(sent).toHaveLength(1)
  })

  it('tells the supplier\'s manager of a quarter\'s delivery due soon and late, from the quarters the schedule holds', async () => {
    const templates = await loadMailTemplates()
    if (E.isLeft(templates)) throw new Error(templates.left.message)
    const { storage } = await ticketLedger()
    const contractStream = await inMemoryEventStore(contractEvents, storage).readStream(contractStreamId(contractId))()
    if (E.isLeft(contractStream)) throw new Error(contractStream.left.message)
    const schedule = inMemoryObligationSchedule({ calendars: registry.right })
    await schedule.handle(contractStream.right.events as unknown as ReadonlyArray<RecordedEvent<LedgerEvent>>)
    const moments = momentsFromObligationSchedule(schedule)
    const found = await moments.momentsBetween('2026-03-20T00:00:00.000Z' as Instant, '2026-04-20T00:00:00.000Z' as Instant)()
    if (E.isLeft(found)) throw new Error('schedule')
    // 2026-Q1 is due at the end of 10 April in Almaty (19:00 UTC): due soon a week before, late from then.
    expect(found.right.map((m) => [m.subject, m.moment, m.at])).toEqual([
      [{ kind: 'delivery', id: '2026-Q1' }, 'due-soon', '2026-04-03T18:59:59.999Z'],
      [{ kind: 'delivery', id: '2026-Q1' }, 'late', '2026-04-10T19:00:00.000Z'],
    ])
    const outbox = inMemoryOutbox({ clock: () => '2026-03-20T00:00:00.000Z' as Instant })
    const result = await enqueueScheduleMails({ schedule: moments, templates: templates.right, sender, contacts: () => TE.right(contacts) })(
      outbox,
      '2026-03-20T00:00:00.000Z' as Instant,
      '2026-04-20T00:00:00.000Z' as Instant,
    )()
    expect(E.isRight(result) && result.right.enqueued.map((k) => k.split(':').slice(-2).join(':'))).toEqual(['gulnara:delivery-due', 'gulnara:delivery-late'])
    expect(await moments.stillOpen({ contractId, key: found.right[0]!.obligationKey }, '2026-04-01T00:00:00.000Z' as Instant)()).toEqual(E.right(true))
  })
})
