import { inMemoryOutbox, type DeliveryEvent, type Instant, type LedgerEvent, type LocalDate, type RecordedEvent } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { deliveryMoments, type DeliveryContract } from './delivery-moments.js'
import { contacts, contractId, recorded, sender } from './mail.fixture.js'
import { loadMailTemplates } from './mail-templates.js'
import { enqueueScheduleMails } from './schedule-mails.js'

const contract: DeliveryContract = { contractId, terms: { term: { start: '2026-01-01' as LocalDate, end: '2026-12-31' as LocalDate }, timeZone: 'Asia/Almaty' }, graceDays: 10 }
const year = { from: '2026-01-01T00:00:00.000Z' as Instant, to: '2027-02-01T00:00:00.000Z' as Instant }
const deliveryEvent = (type: 'DeliveryRecorded' | 'DeliveryRejected', quarter: string, at: string, deliveryId = `D-${quarter}`): RecordedEvent<DeliveryEvent> =>
  recorded(
    {
      type,
      data:
        type === 'DeliveryRecorded'
          ? { contractId, deliveryId, at, actor: { party: 'supplier', id: 'daniyar' }, quarter, dueAt: at, version: '1.0', artifactSha256: 'a'.repeat(64), changes: [] }
          : { contractId, deliveryId, at, actor: { party: 'customer', id: 'aigerim' }, reason: 'broken build' },
    } as unknown as LedgerEvent,
    { party: 'supplier', id: 'daniyar' },
    at,
  ) as unknown as RecordedEvent<DeliveryEvent>

const momentsWith = (events: ReadonlyArray<RecordedEvent<DeliveryEvent>>) => deliveryMoments({ contracts: () => TE.right([contract]), deliveries: () => TE.right(events) })

describe('delivery moments', () => {
  it('gives each quarter a due-soon moment a week before its due instant and a late one at it', async () => {
    const found = await momentsWith([]).momentsBetween(year.from, year.to)()
    if (E.isLeft(found)) throw new Error('lookup')
    expect(found.right.map((m) => [m.subject.id, m.moment, m.at])).toEqual([
      // Q1 ends 31 March; ten grace days; 10 April in Almaty (UTC+5) ends at 19:00 UTC: late from then, due soon a week before.
      ['2026-Q1', 'due-soon', '2026-04-03T18:59:59.999Z'],
      ['2026-Q1', 'late', '2026-04-10T19:00:00.000Z'],
      ['2026-Q2', 'due-soon', '2026-07-03T18:59:59.999Z'],
      ['2026-Q2', 'late', '2026-07-10T19:00:00.000Z'],
      ['2026-Q3', 'due-soon', '2026-10-03T18:59:59.999Z'],
      ['2026-Q3', 'late', '2026-10-10T19:00:00.000Z'],
      ['2026-Q4', 'due-soon', '2027-01-03T18:59:59.999Z'],
      ['2026-Q4', 'late', '2027-01-10T19:00:00.000Z'],
    ])
  })

  it('drops a quarter once delivered, and brings it back when the delivery is rejected', async () => {
    const delivered = [deliveryEvent('DeliveryRecorded', '2026-Q1', '2026-04-01T06:00:00.000Z')]
    const quiet = await momentsWith(delivered).momentsBetween(year.from, '2026-05-01T00:00:00.000Z' as Instant)()
    expect(E.isRight(quiet) && quiet.right).toEqual([])
    const rejected = [...delivered, deliveryEvent('DeliveryRejected', '2026-Q1', '2026-04-02T06:00:00.000Z')]
    const back = await momentsWith(rejected).momentsBetween(year.from, '2026-05-01T00:00:00.000Z' as Instant)()
    expect(E.isRight(back) && back.right.map((m) => m.moment)).toEqual(['due-soon', 'late'])
    const open = momentsWith(delivered).stillOpen({ contractId, key: `delivery:${contractId}:2026-Q1` }, '2026-04-05T00:00:00.000Z' as Instant)
    expect(await open()).toEqual(E.right(false))
    expect(await momentsWith([]).stillOpen({ contractId, key: `delivery:${contractId}:2026-Q1` }, '2026-04-05T00:00:00.000Z' as Instant)()).toEqual(E.right(true))
  })

  it('mails the supplier\'s manager', async () => {
    const templates = await loadMailTemplates()
    if (E.isLeft(templates)) throw new Error(templates.left.message)
    const outbox = inMemoryOutbox({ clock: () => year.from })
    const result = await enqueueScheduleMails({ schedule: momentsWith([]), templates: templates.right, sender, contacts: () => TE.right(contacts) })(outbox, year.from, '2026-05-01T00:00:00.000Z' as Instant)()
    if (E.isLeft(result)) throw new Error(result.left.message)
    expect(result.right.enqueued.map((k) => k.split(':').slice(-2).join(':'))).toEqual(['gulnara:delivery-due', 'gulnara:delivery-late'])
  })
})
