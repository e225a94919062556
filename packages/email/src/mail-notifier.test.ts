import { exampleCountersignature, exampleRegistration, inMemoryOutbox, ticketStreamId, type ContractId, type Instant, type LedgerEvent, type RecordedEvent, type TicketId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { ticketContractFromStore } from './ledger-lookups.js'
import { contacts, contractId, sender, ticketLedger } from './mail.fixture.js'
import { mailNotifier } from './mail-notifier.js'
import { loadMailTemplates } from './mail-templates.js'

const at = '2026-03-05T05:00:00.000Z' as Instant

const setup = async () => {
  const templates = await loadMailTemplates()
  if (E.isLeft(templates)) throw new Error(templates.left.message)
  const ledger = await ticketLedger()
  const notifier = mailNotifier({ templates: templates.right, sender, contacts: (id) => TE.right(id === contractId ? contacts : undefined), ticketContract: ticketContractFromStore(ledger.tickets) })
  const file = async (ticketId: string, subject: string) => {
    const r = await ledger.service.handle({ type: 'FileRequest', contractId: contractId as ContractId, ticketId: ticketId as TicketId, actor: { party: 'customer', id: 'bolat' }, at, kind: 'defect', priority: 'high', channel: 'email', receivedAt: at, subject })()
    if (E.isLeft(r)) throw new Error(r.left.message)
  }
  const eventsOf = async (ticketId: string) => {
    const slice = await ledger.tickets.readStream(ticketStreamId(contractId, ticketId))()
    if (E.isLeft(slice)) throw new Error(slice.left.message)
    return slice.right.events as unknown as ReadonlyArray<RecordedEvent<LedgerEvent>>
  }
  return { ...ledger, notifier, file, eventsOf }
}

describe('the mail notifier', () => {
  it('enqueues the mails of a batch in the consumer\'s transaction, finds the contract of a ticket\'s later events, and a replay enqueues nothing', async () => {
    const { notifier, service, file, eventsOf } = await setup()
    await file('T-1', 'Отчёт не строится')
    const proposed = await service.handle({ type: 'ProposeDeadline', contractId: contractId as ContractId, ticketId: 'T-1' as TicketId, actor: { party: 'supplier', id: 'daniyar' }, at: '2026-03-05T05:30:00.000Z' as Instant, deadline: '2026-03-06T05:30:00.000Z' as Instant })()
    expect(E.isRight(proposed)).toBe(true)
    const events = await eventsOf('T-1')
    const outbox = inMemoryOutbox({ clock: () => at })
    const first = await outbox.transaction(async (writer) => notifier.notify(writer, events, at)())
    if (E.isLeft(first)) throw new Error(first.left.message)
    // Filing: the filer and the customer's contact; the proposal: the customer's contact.
    expect(first.right.enqueued.map((k) => k.split(':').slice(-2).join(':'))).toEqual(['bolat:request-received', 'aigerim:request-received', 'aigerim:deadline-proposed'])
    const replay = await outbox.transaction(async (writer) => notifier.notify(writer, events, at)())
    expect(replay).toMatchObject({ _tag: 'Right', right: { enqueued: [], duplicates: first.right.enqueued, refused: [] } })
  })

  it('finds the contract of a later event through its own stream when two contracts have a ticket of the same id', async () => {
    const { service, contracts, tickets } = await setup()
    const other = 'C-2024-002' as ContractId
    const registered = await contracts.handle(exampleRegistration({ contractId: other, parties: { customer: { name: 'c', people: ['aigerim', 'bolat'] }, supplier: { name: 's', people: ['daniyar'] } } }))()
    const signed = await contracts.handle(exampleCountersignature({ contractId: other, actor: { party: 'customer', id: 'aigerim' } }))()
    expect([E.isRight(registered), E.isRight(signed)]).toEqual([true, true])
    for (const c of [contractId as ContractId, other]) {
      const filed = await service.handle({ type: 'FileRequest', contractId: c, ticketId: 'T-1' as TicketId, actor: { party: 'customer', id: 'bolat' }, at, kind: 'defect', priority: 'high', channel: 'email', receivedAt: at, subject: `on ${c}` })()
      expect(E.isRight(filed)).toBe(true)
    }
    // Only the second contract's T-1 gets a proposal: its mail must go out under that contract, not the first's.
    const proposed = await service.handle({ type: 'ProposeDeadline', contractId: other, ticketId: 'T-1' as TicketId, actor: { party: 'supplier', id: 'daniyar' }, at: '2026-03-05T05:30:00.000Z' as Instant, deadline: '2026-03-06T05:30:00.000Z' as Instant })()
    expect(E.isRight(proposed)).toBe(true)
    const slice = await tickets.readStream(ticketStreamId(other, 'T-1'))()
    if (E.isLeft(slice)) throw new Error(slice.left.message)
    const proposal = slice.right.events.at(-1) as unknown as RecordedEvent<LedgerEvent>
    expect(proposal.type).toBe('DeadlineProposed')
    const templates = await loadMailTemplates()
    if (E.isLeft(templates)) throw new Error(templates.left.message)
    const both = mailNotifier({
      templates: templates.right,
      sender,
      contacts: (id) => TE.right(id === contractId || id === other ? { ...contacts, contractId: id } : undefined),
      ticketContract: ticketContractFromStore(tickets),
    })
    const mails = await both.mailsOf(proposal)()
    expect(mails).toMatchObject({ _tag: 'Right', right: { _tag: 'Right', right: [{ dedupeKey: `mail:event:${proposal.eventId}:${other}:aigerim:deadline-proposed` }] } })
  })

  it('refuses, and names, an event whose mail would carry a line break in a header; the others of the batch go on', async () => {
    const { notifier, file, eventsOf } = await setup()
    await file('T-2', 'Ok')
    await file('T-3', 'Broken\r\nBcc: someone@evil.example')
    const events = [...(await eventsOf('T-2')), ...(await eventsOf('T-3'))]
    const outbox = inMemoryOutbox({ clock: () => at })
    const result = await outbox.transaction(async (writer) => notifier.notify(writer, events, at)())
    if (E.isLeft(result)) throw new Error(result.left.message)
    expect(result.right.enqueued).toHaveLength(2)
    expect(result.right.refused).toEqual([{ source: `event:${events[1]!.eventId}`, error: { _tag: 'HeaderInjection', message: 'subject contains a line break', field: 'subject' } }])
    // Nothing of the refused event reached the outbox.
    const claimed = await outbox.claim({ channel: 'email', owner: 'x', now: at, leaseMs: 1000, limit: 100 })()
    expect(E.isRight(claimed) && claimed.right.every((m) => !m.dedupeKey.includes(events[1]!.eventId))).toBe(true)
  })

  it('fails the batch, enqueuing nothing, when the contacts cannot be read', async () => {
    const { eventsOf, file } = await setup()
    await file('T-4', 'x')
    const templates = await loadMailTemplates()
    if (E.isLeft(templates)) throw new Error('templates')
    const broken = mailNotifier({ templates: templates.right, sender, contacts: () => TE.left(new Error('db down')), ticketContract: () => TE.right(contractId) })
    const outbox = inMemoryOutbox({ clock: () => at })
    const result = await outbox.transaction(async (writer) => broken.notify(writer, await eventsOf('T-4'), at)())
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'LookupFailed', message: `contacts of contract ${contractId}: db down` } })
  })
})
