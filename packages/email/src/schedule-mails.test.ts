import { addMillis, drainOnce, inMemoryOutbox, type Instant, type OutboxMessage } from '@support-ledger/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { contacts, sender } from './mail.fixture.js'
import { OutgoingMail } from './mail-message.js'
import { mailChannel, mailDeliveryHandler } from './mail-outbox.js'
import { loadMailTemplates, type MailTemplates } from './mail-templates.js'
import type { MailTransport } from './mail-transport.js'
import { enqueueScheduleMails, type ObligationMoments, type ScheduleMoment } from './schedule-mails.js'

let templates: MailTemplates
beforeAll(async () => {
  const loaded = await loadMailTemplates()
  if (E.isLeft(loaded)) throw new Error(loaded.left.message)
  templates = loaded.right
})

const base = Date.parse('2026-03-05T04:00:00.000Z')
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString() as Instant

const moment = (n: number, over: Partial<ScheduleMoment> = {}): ScheduleMoment => ({
  contractId: contacts.contractId,
  obligationKey: `ticket:T-${n}:deadline-proposal`,
  obligation: 'deadline-proposal',
  moment: 'warning',
  thresholdBps: 5000,
  subject: { kind: 'ticket', id: `T-${n}` },
  dueAt: at(120),
  at: at(60),
  ...over,
})

/** The schedule as a list of moments and a set of obligations met. */
const scheduleOf = (moments: ReadonlyArray<ScheduleMoment>, met: Set<string> = new Set()): ObligationMoments => ({
  momentsBetween: (from, to) => TE.right(moments.filter((m) => m.at >= from && m.at < to && !met.has(m.obligationKey))),
  stillOpen: (obligation) => TE.right(!met.has(obligation.key)),
})

const deps = (schedule: ObligationMoments) => ({ schedule, templates, sender, contacts: () => TE.right(contacts) })

const all = async (outbox: ReturnType<typeof inMemoryOutbox>): Promise<ReadonlyArray<OutboxMessage>> => {
  const out: OutboxMessage[] = []
  // Claim everything far in the future, read, and release: the outbox has no list, but a claim shows what is there.
  const claimed = await outbox.claim({ channel: mailChannel, owner: 'reader', now: at(100_000), leaseMs: 1, limit: 10_000 })()
  if (E.isLeft(claimed)) throw new Error(claimed.left.message)
  out.push(...claimed.right)
  await outbox.release({ owner: 'reader', ids: claimed.right.map((m) => m.id) })()
  return out
}

describe('time-based mails from the obligation schedule', () => {
  it('mails the supplier at a warning, the supplier and the customer at a breach, the manager for a delivery', async () => {
    const outbox = inMemoryOutbox({ clock: () => at(0) })
    const moments = [
      moment(1),
      moment(2, { moment: 'breach', thresholdBps: undefined as never, at: at(120) }),
      moment(3, { obligationKey: 'delivery:2026-Q1', obligation: 'quarterly-delivery', moment: 'due-soon', subject: { kind: 'delivery', id: '2026-Q1' }, at: at(90) }),
    ]
    const result = await enqueueScheduleMails(deps(scheduleOf(moments)))(outbox, at(0), at(200))()
    if (E.isLeft(result)) throw new Error(result.left.message)
    const mails = (await all(outbox)).map((m) => OutgoingMail.decode(m.payload)).flatMap((d) => (E.isRight(d) ? [d.right] : []))
    expect(mails.map((m) => [m.template, m.to.address]).sort()).toEqual(
      [
        ['clock-warning', 'support@supplier.kz'],
        ['clock-breached', 'support@supplier.kz'],
        ['clock-breached', 'aigerim@customer.kz'],
        ['delivery-due', 'manager@supplier.kz'],
      ].sort(),
    )
    const warning = mails.find((m) => m.template === 'clock-warning')!
    expect(warning.subject).toContain('50%')
    expect(warning.text).toContain('deadline set within two hours')
  })

  it('sends each warning once per obligation and threshold, however the windows overlap and however many instances scan', () => {
    let overlapping = 0
    return fc.assert(
      fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 120 })), { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 1, max: 3 }),
          async (scans, instances) => {
            const outbox = inMemoryOutbox({ clock: () => at(0) })
            const moments = [moment(1), moment(1, { thresholdBps: 8000, at: at(96) }), moment(2, { at: at(150) }), moment(3, { at: at(250) })]
            const schedule = scheduleOf(moments)
            // Each instance (or each restart) is a fresh enqueuer over the same outbox; they scan at once.
            await Promise.all(
              [...Array(instances).keys()].map(async () => {
                const enqueue = enqueueScheduleMails(deps(schedule))
                for (const [from, length] of scans) await enqueue(outbox, at(from), at(from + length))()
              }),
            )
            const covered = moments.filter((m) => scans.some(([from, length]) => m.at >= at(from) && m.at < at(from + length)))
            if (instances > 1 || scans.some(([f, l], i) => scans.some(([g, k], j) => i !== j && f < g + k && g < f + l))) overlapping += 1
            const stored = await all(outbox)
            // One mail per covered moment: the support desk is its only recipient.
            expect(stored.length).toBe(covered.length)
            expect(new Set(stored.map((m) => m.dedupeKey)).size).toBe(stored.length)
          },
        ),
      { numRuns: 100 },
    ).then(() => expect(overlapping).toBeGreaterThan(50))
  })

  it('does not send a warning whose obligation was met after it was enqueued, and settles it', async () => {
    const outbox = inMemoryOutbox({ clock: () => at(0) })
    const met = new Set<string>()
    const schedule = scheduleOf([moment(1), moment(2)], met)
    await enqueueScheduleMails(deps(schedule))(outbox, at(0), at(100))()
    met.add('ticket:T-1:deadline-proposal')
    const sent: string[] = []
    const transport: MailTransport = { send: (mail) => async () => (sent.push(mail.subject), E.right({ messageId: mail.messageId, response: '250' })), close: async () => undefined }
    await drainOnce({ outbox, channel: mailChannel, owner: 'w', clock: () => at(61), handler: mailDeliveryHandler(transport, { stillOpen: schedule.stillOpen, now: () => at(61) }) })
    expect(sent).toHaveLength(1)
    expect(sent[0]).toContain('T-2')
    expect(await all(outbox)).toEqual([])
  })

  it('does not send a moment before it falls, even when the window is scanned ahead', async () => {
    const outbox = inMemoryOutbox({ clock: () => at(0) })
    await enqueueScheduleMails(deps(scheduleOf([moment(1)])))(outbox, at(0), at(100))()
    const early = await outbox.claim({ channel: mailChannel, owner: 'w', now: at(59), leaseMs: 1000 })()
    expect(E.isRight(early) && early.right).toEqual([])
    const due = await outbox.claim({ channel: mailChannel, owner: 'w', now: addMillis(at(60), 0), leaseMs: 1000 })()
    expect(E.isRight(due) && due.right.length).toBe(1)
  })
})
