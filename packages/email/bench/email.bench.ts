/**
 * Benchmarks of the e-mail package, each workload in several rounds (the first a warm-up, not counted), variants
 * interleaved so a busy machine slows each alike; prints median and range and writes bench-results.json.
 *   render   notifications written into mails (template, locale formatting, headers checked), mails/s
 *   deliver  the outbox drained to a local SMTP server (smtp-server in this process) by 1 and by 4 workers,
 *            on the in-memory outbox and on PostgreSQL (DATABASE_URL), mails/s from enqueue to the last accepted
 *   inbound  raw requests parsed, matched and filed on the in-memory ledger, messages/s
 * BENCH_SCALE multiplies the sizes.
 */
import { writeFile } from 'node:fs/promises'
import {
  createCalendarRegistry,
  createInMemoryStorage,
  exampleCountersignature,
  exampleRegistration,
  inMemoryOutbox,
  instantOf,
  KAZAKHSTAN_CALENDAR,
  startOutboxWorker,
  contractLedger,
  inMemoryStores,
  type ContractId,
  type Instant,
  type LedgerEvent,
  type Outbox,
  type RecordedEvent,
} from '@support-ledger/core'
import { createPostgresStorage, dropSchema, migrate, postgresDatabase, postgresOutbox } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import pg from 'pg'
import type { ContractContacts } from '../src/contract-contacts.js'
import { inMemoryInboundLog } from '../src/inbound-log.js'
import type { MailAddress } from '../src/mail-address.js'
import { mailIntake } from '../src/mail-intake.js'
import { composeMails, type MailToEnqueue } from '../src/mail-message.js'
import { enqueueMails, mailChannel, mailDeliveryHandler } from '../src/mail-outbox.js'
import { loadMailTemplates } from '../src/mail-templates.js'
import { notificationOfEvent } from '../src/notification-policy.js'
import { startTestSmtpServer } from '../src/smtp-test-server.js'
import { pooledSmtpTransporter, smtpTransport } from '../src/smtp-transport.js'

const scale = Number(process.env.BENCH_SCALE ?? '1')
const sizes = { render: Math.round(3000 * scale), deliver: Math.round(300 * scale), inbound: Math.round(600 * scale) }
const rounds = 4
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const contractId = 'C-BENCH'
const contacts: ContractContacts = {
  contractId,
  language: 'ru',
  timeZone: 'Asia/Almaty',
  customerName: 'ТОО «Заказчик»',
  supplierName: 'ТОО «Поставщик»',
  people: [
    { personId: 'aigerim', party: 'customer', name: 'Айгерим', address: 'aigerim@customer.kz' as MailAddress, roles: ['contact'], locale: 'kk' },
    { personId: 'bolat', party: 'customer', name: 'Болат', address: 'bolat@customer.kz' as MailAddress, roles: [] },
  ],
}
const sender = { from: { name: 'Поддержка', address: 'support@supplier.kz' }, messageIdDomain: 'mail.supplier.kz' }
const at = '2026-03-05T05:00:00.000Z'

const filed = (n: number): RecordedEvent<LedgerEvent> =>
  ({
    type: 'RequestFiled',
    data: { ticketId: `T-${n}`, at, contractId, kind: 'defect', priority: 'high', channel: 'email', receivedAt: at, subject: `Ошибка в отчёте №${n}`, calendarId: 'kz-5day', timeZone: 'Asia/Almaty' },
    streamId: `ticket-T-${n}`,
    streamVersion: 1,
    globalPosition: n,
    eventId: `0190f000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    schemaVersion: 1,
    metadata: { actor: { party: 'customer', id: 'bolat' }, occurredAt: at, recordedAt: at },
  }) as unknown as RecordedEvent<LedgerEvent>

const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const summary = (xs: ReadonlyArray<number>) => ({ median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), runs: xs.length })

const main = async () => {
  const templates = await loadMailTemplates()
  if (E.isLeft(templates)) throw new Error(templates.left.message)
  const results: Record<string, number[]> = {}
  const record = (name: string, perSecond: number, warm: boolean) => {
    if (warm) return
    ;(results[name] ??= []).push(perSecond)
  }

  // render
  const events = [...Array(sizes.render).keys()].map((i) => filed(i + 1))
  const render = () => {
    const started = performance.now()
    let mails = 0
    for (const e of events) {
      const composed = composeMails(notificationOfEvent(e, contacts)!, contacts, templates.right, sender)
      if (E.isRight(composed)) mails += composed.right.length
    }
    return mails / ((performance.now() - started) / 1000)
  }

  // deliver
  const smtp = await startTestSmtpServer(0, { parse: false })
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 })
  const pgReachable = await pool.query('SELECT 1').then(
    () => true,
    (e: unknown) => (console.warn(`PostgreSQL at ${databaseUrl} unreachable (${String(e)}): the PostgreSQL outbox is not measured`), false),
  )
  const schema = `sl_bench_mail_${process.pid}`
  const database = postgresDatabase(pool)
  if (pgReachable) await migrate(database.db, { schema })
  const storage = pgReachable ? createPostgresStorage({ database, schema, notify: false }) : undefined
  const mailsToSend = (round: number, variant: string): ReadonlyArray<MailToEnqueue> =>
    [...Array(sizes.deliver).keys()].flatMap((i) => {
      const composed = composeMails(notificationOfEvent(filed(100_000 * round + i + 1), contacts)!, contacts, templates.right, sender)
      return E.isRight(composed) ? composed.right.slice(0, 1).map((m) => ({ ...m, dedupeKey: `${variant}:${m.dedupeKey}` })) : []
    })
  const deliver = async (outbox: Outbox, workers: number, round: number, variant: string) => {
    const mails = mailsToSend(round, variant)
    const before = smtp.received.length
    const transport = smtpTransport(pooledSmtpTransporter({ host: '127.0.0.1', port: smtp.port, maxConnections: workers }))
    const started = performance.now()
    for (let i = 0; i < mails.length; i += 100) await enqueueMails(outbox, mails.slice(i, i + 100), instantOf(Date.now() - 1000))()
    const running = [...Array(workers).keys()].map((w) =>
      startOutboxWorker({ outbox, channel: mailChannel, handler: mailDeliveryHandler(transport), owner: `${variant}-${round}-${w}`, batchSize: 10, idleMs: 5 }),
    )
    while (smtp.received.length - before < mails.length) await new Promise((r) => setTimeout(r, 2))
    const seconds = (performance.now() - started) / 1000
    await Promise.all(running.map((r) => r.stop()))
    await transport.close()
    return mails.length / seconds
  }

  // inbound
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) throw new Error(calendars.left.message)
  const inbound = async (round: number) => {
    const storage = createInMemoryStorage()
    const ledger = contractLedger({ storeFor: inMemoryStores(storage), calendars: calendars.right })
    await ledger.contracts.handle(exampleRegistration({ contractId: contractId as ContractId, parties: { customer: { name: 'c', people: ['aigerim', 'bolat'] }, supplier: { name: 's', people: ['daniyar'] } } }))()
    await ledger.contracts.handle(exampleCountersignature({ contractId: contractId as ContractId, actor: { party: 'customer', id: 'aigerim' } }))()
    const intake = mailIntake({
      lookups: { directory: () => TE.right([contacts]), openQuestion: () => TE.right(undefined) },
      options: { messageIdDomain: sender.messageIdDomain },
      log: inMemoryInboundLog(),
      submit: (r, o) => ledger.tickets.handle(r, o),
    })
    const raws = [...Array(sizes.inbound).keys()].map((i) =>
      Buffer.from(
        `From: =?UTF-8?B?${Buffer.from('Болат').toString('base64')}?= <bolat@customer.kz>\r\nTo: support@supplier.kz\r\nSubject: =?UTF-8?B?${Buffer.from(`Ошибка №${i}`).toString('base64')}?=\r\nDate: Thu, 05 Mar 2026 10:12:00 +0500\r\nMessage-ID: <b${round}-${i}@customer.kz>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nОтчёт не формируется, склад ${i}.\r\n`,
      ),
    )
    const now = '2026-03-05T06:00:00.000Z' as Instant
    const started = performance.now()
    for (const raw of raws) {
      const r = await intake.takeIn(raw, now)()
      if (E.isLeft(r) || r.right.status !== 'filed') throw new Error(`not filed: ${JSON.stringify(r)}`)
    }
    return raws.length / ((performance.now() - started) / 1000)
  }

  try {
    for (let round = 0; round <= rounds; round++) {
      const warm = round === 0
      record('render mails/s', render(), warm)
      for (const workers of round % 2 === 0 ? [1, 4] : [4, 1]) {
        record(`deliver in-memory outbox, ${workers} worker(s), mails/s`, await deliver(inMemoryOutbox(), workers, round * 10 + workers, 'mem'), warm)
        if (storage !== undefined) record(`deliver PostgreSQL outbox, ${workers} worker(s), mails/s`, await deliver(postgresOutbox(storage), workers, round * 10 + workers, 'pg'), warm)
      }
      record('inbound parsed and filed, messages/s', await inbound(round), warm)
    }
  } finally {
    await smtp.stop()
    if (pgReachable) await dropSchema(database.db, schema).catch(() => undefined)
    await database.close().catch(() => undefined)
    await pool.end().catch(() => undefined)
  }
  const table = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summary(v)]))
  console.log(`e-mail benchmarks (sizes ${JSON.stringify(sizes)}, ${rounds} rounds after a warm-up; median [min - max])`)
  for (const [k, v] of Object.entries(table)) console.log(`  ${k.padEnd(56)} ${String(v.median).padStart(7)}  [${v.min} - ${v.max}]`)
  await writeFile(new URL('../bench-results.json', import.meta.url), JSON.stringify({ sizes, rounds, results: table }, null, 2) + '\n')
}

await main()
