import {
  addMillis,
  drainOnce,
  ledgerEvents,
  type ContractId,
  type Instant,
  type LedgerEvent,
  type RecordedEvent,
  type TicketId,
  ticketEvents,
  createCalendarRegistry,
  KAZAKHSTAN_CALENDAR,
  contractLedger,
  exampleCountersignature,
  exampleRegistration,
} from '@support-ledger/core'
import { createPostgresStorage, dropSchema, migrate, postgresDatabase, postgresEventStore, postgresOutbox, postgresStores, startConsumer } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createInboundLogTable, postgresInboundLog } from './inbound-log.js'
import { ticketContractFromStore } from './ledger-lookups.js'
import { contacts, contractId, rawMail, sender } from './mail.fixture.js'
import { mailIntake } from './mail-intake.js'
import { mailNotifier } from './mail-notifier.js'
import { mailChannel, mailDeliveryHandler } from './mail-outbox.js'
import { loadMailTemplates } from './mail-templates.js'
import { DATABASE_URL, describeWithPostgres } from '@support-ledger/test-servers'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server.js'
import { pooledSmtpTransporter, smtpTransport } from './smtp-transport.js'

const schema = `sl_mail_${Math.random().toString(36).slice(2, 10)}`
let pool: pg.Pool
let smtp: TestSmtpServer
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: DATABASE_URL, max: 8 })
  smtp = await startTestSmtpServer()
})
afterAll(async () => {
  await smtp.stop()
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined)
  await pool.end()
})

const registry = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
if (E.isLeft(registry)) throw new Error(registry.left.message)

describeWithPostgres('mail on PostgreSQL', () => {
  it('keeps one inbound record per Message-ID across two intakes at once, and the set-aside ones with their reason', async () => {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await createInboundLogTable(pool, schema)
    await createInboundLogTable(pool, schema) // again: nothing changes
    const log = postgresInboundLog(pool, schema)
    const filed: string[] = []
    const intakeOf = () =>
      mailIntake({
        lookups: { directory: () => TE.right([contacts]), openQuestion: () => TE.right(undefined) },
        options: { messageIdDomain: sender.messageIdDomain },
        log,
        submit: (r) => async () => (filed.includes(r.ticketId) ? E.left({ _tag: 'TicketAlreadyFiled', message: 'already filed' }) : (filed.push(r.ticketId), E.right(undefined))),
      })
    const request = rawMail({ From: 'bolat@customer.kz', Subject: 'x', Date: 'Thu, 05 Mar 2026 10:12:00 +0500', 'Message-ID': '<pg-1@customer.kz>' }, 'hello')
    const junk = rawMail({ From: 'who@nowhere.example', Subject: 'junk', 'Message-ID': '<pg-junk@nowhere.example>' }, 'junk')
    const now = '2026-03-05T06:00:00.000Z' as Instant
    const results = await Promise.all([intakeOf().takeIn(request, now)(), intakeOf().takeIn(request, now)(), intakeOf().takeIn(junk, now)(), intakeOf().takeIn(junk, now)()])
    for (const r of results) expect(E.isRight(r), JSON.stringify(r)).toBe(true)
    expect(filed).toHaveLength(1)
    expect(await log.find('<pg-1@customer.kz>')()).toMatchObject({ _tag: 'Right', right: { status: 'filed' } })
    const aside = await log.setAside()()
    expect(E.isRight(aside) && aside.right.map((r) => [r.messageId, r.reason, r.outcome.kind])).toEqual([['<pg-junk@nowhere.example>', 'unknown-sender', 'set-aside']])
  })

  it('from an append to the SMTP server: a consumer enqueues in its transaction, a worker sends, a crash before the mark resends the same Message-ID once', async () => {
    const database = postgresDatabase(pool)
    const storeSchema = `${schema}_store`
    await migrate(database.db, { schema: storeSchema })
    const storage = createPostgresStorage({ database, schema: storeSchema })
    try {
      const tickets = postgresEventStore(ticketEvents, storage)
      const ledger = contractLedger({ storeFor: postgresStores(storage), calendars: registry.right })
      const registered = await ledger.contracts.handle(
        exampleRegistration({ contractId: contractId as ContractId, parties: { customer: { name: 'c', people: ['aigerim', 'bolat'] }, supplier: { name: 's', people: ['daniyar'] } } }),
      )()
      expect(E.isRight(registered)).toBe(true)
      const signed = await ledger.contracts.handle(exampleCountersignature({ contractId: contractId as ContractId, actor: { party: 'customer', id: 'aigerim' } }))()
      expect(E.isRight(signed)).toBe(true)
      const templates = await loadMailTemplates()
      if (E.isLeft(templates)) throw new Error(templates.left.message)
      const outbox = postgresOutbox(storage)
      const notifier = mailNotifier({ templates: templates.right, sender, contacts: () => TE.right(contacts), ticketContract: ticketContractFromStore(tickets) })
      const at = '2026-03-05T05:00:00.000Z' as Instant
      const consumer = startConsumer(storage, {
        name: 'mail-notifier',
        catalog: ledgerEvents,
        leaseMs: 3_000,
        handle: async (events, tx) => {
          const result = await notifier.notify(outbox.within(tx), events as ReadonlyArray<RecordedEvent<LedgerEvent>>, at)()
          if (E.isLeft(result)) throw new Error(result.left.message)
        },
      })
      try {
        for (const n of [1, 2, 3]) {
          const filed = await ledger.tickets.handle({ type: 'FileRequest', contractId: contractId as ContractId, ticketId: `T-${n}` as TicketId, actor: { party: 'customer', id: 'bolat' }, at, kind: 'defect', priority: 'high', channel: 'email', receivedAt: at, subject: `Заявка ${n}` })()
          expect(E.isRight(filed)).toBe(true)
        }
        // Each filing mails bolat and aigerim: six mails, enqueued by the consumer with its checkpoint.
        const enqueued = async () => ((await pool.query(`SELECT count(*)::int AS n FROM ${storeSchema}.outbox WHERE channel = 'email'`)).rows[0] as { n: number }).n
        for (const deadline = Date.now() + 20_000; Date.now() < deadline && (await enqueued()) < 6; ) await new Promise((r) => setTimeout(r, 50))
        expect(await enqueued()).toBe(6)
      } finally {
        await consumer.stop()
      }
      const transport = smtpTransport(pooledSmtpTransporter({ host: '127.0.0.1', port: smtp.port }))
      try {
        const t0 = new Date().toISOString() as Instant
        // A worker sends the batch and dies before marking: every mark is lost.
        const dying = { ...outbox, markDelivered: () => async () => E.left({ _tag: 'StoreUnavailable' as const, message: 'process killed', cause: undefined }) }
        await drainOnce({ outbox: dying, channel: mailChannel, owner: 'dead', clock: () => t0, handler: mailDeliveryHandler(transport), leaseMs: 30_000, batchSize: 100 })
        expect(smtp.received).toHaveLength(6)
        // A new worker after the lease ran out sends each again, and marks it.
        await drainOnce({ outbox, channel: mailChannel, owner: 'next', clock: () => addMillis(t0, 31_000), handler: mailDeliveryHandler(transport), batchSize: 100 })
        const ids = smtp.received.map((m) => m.parsed.messageId!)
        expect(ids).toHaveLength(12)
        expect(new Set(ids).size).toBe(6)
        const pending = await pool.query(`SELECT count(*)::int AS n FROM ${storeSchema}.outbox WHERE channel = 'email' AND delivered_at IS NULL`)
        expect((pending.rows[0] as { n: number }).n).toBe(0)
      } finally {
        await transport.close()
      }
    } finally {
      await dropSchema(database.db, storeSchema).catch(() => undefined)
      await database.close()
    }
  })
})
