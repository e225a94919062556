/**
 * The mail side of `support-ledger sync`: requests and answers in from an IMAP mailbox, the mails of new ledger
 * events and of the schedule's warnings and breaches enqueued in the outbox, and the outbox sent over SMTP.
 * Each step is idempotent by the e-mail adapter's keys, so a pass repeated after a crash sends nothing twice.
 */
import {
  addMillis,
  contractDecider,
  contractIdOf,
  contractEvents,
  contractStreamId,
  defaultRetryPolicy,
  drainOnce,
  fold,
  ledgerEvents,
  termsInForceAt,
  ticketEvents,
  type ContractLedger,
  type Instant,
  type ObligationSchedule,
  type OutboxWorkerLogger,
} from '@support-ledger/core'
import {
  contractContacts,
  createInboundLogTable,
  enqueueScheduleMails,
  imapMailbox,
  loadMailTemplates,
  mailChannel,
  mailDeliveryHandler,
  mailIntake,
  mailNotifier,
  momentsFromObligationSchedule,
  openQuestionFromStore,
  pooledSmtpTransporter,
  postgresInboundLog,
  shippedTemplatesDirectory,
  smtpTransport,
  ticketContractFromStore,
  type ContractContacts,
  type IntakeStatus,
  type MailTransport,
  type SqlClient,
} from '@support-ledger/email'
import { postgresEventStore, postgresOutbox } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { ImapFlow } from 'imapflow'
import { CompiledQuery } from 'kysely'
import { resolve } from 'node:path'
import type { MailConfig } from './cli-config.js'
import type { CliContext } from './cli-context.js'
import type { OpenedStore } from './cli-store.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'

// model

/** What one pass of mail did. */
export interface MailPass {
  /** Messages taken in from the mailbox, by outcome; `undefined` when no IMAP server is configured. */
  readonly received?: Readonly<Record<IntakeStatus, number>> & { readonly deferred: number }
  /** Why the mailbox could not be read in this pass (the next pass tries again). */
  readonly mailboxFailed?: string
  /** Mails enqueued: of new ledger events, of the schedule's warnings and breaches. */
  readonly enqueued: { readonly events: number; readonly schedule: number }
  /** Mails that could not be written (a line break in a header, a malformed address), with their source. */
  readonly refused: ReadonlyArray<string>
  /** Mails sent over SMTP in this pass; `undefined` when no SMTP server is configured (they wait in the outbox). */
  readonly delivered?: number
  readonly failed: ReadonlyArray<{ readonly id: string; readonly reason: string; readonly dead: boolean }>
}

/** What the mailbox gave in a pass. */
export type MailReceived = Pick<MailPass, 'received' | 'mailboxFailed'>

/** A pass is split in two so that the schedule is brought up to date between them, with the requests just filed. */
export interface MailSync {
  /** Takes in the mailbox's unread messages. */
  readonly receive: () => Promise<MailReceived>
  /** Enqueues the mails of new events and of the schedule's moments, then sends what is due. */
  readonly send: (schedule: ObligationSchedule, received: MailReceived) => Promise<E.Either<CliFailure, MailPass>>
  readonly close: () => Promise<void>
}

// constructors

const NOTIFIER = 'mail-notifier'
const SCHEDULE = 'mail-schedule'

/** The mail side's own two marks: how far the notifier read the log, and through which instant the schedule was mailed. */
const createMarks = async (client: SqlClient, schema: string) => {
  await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".mail_marks (name text PRIMARY KEY, position bigint, through timestamptz)`)
  return {
    position: async (): Promise<number> => {
      const { rows } = await client.query(`SELECT position FROM "${schema}".mail_marks WHERE name = $1`, [NOTIFIER])
      return Number(rows[0]?.position ?? 0)
    },
    setPosition: (position: number) =>
      client.query(`INSERT INTO "${schema}".mail_marks (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = excluded.position`, [NOTIFIER, position]),
    through: async (): Promise<Instant | undefined> => {
      const { rows } = await client.query(`SELECT through FROM "${schema}".mail_marks WHERE name = $1`, [SCHEDULE])
      const t = rows[0]?.through
      return t === undefined || t === null ? undefined : (new Date(t as string).toISOString() as Instant)
    },
    setThrough: (through: Instant) =>
      client.query(`INSERT INTO "${schema}".mail_marks (name, through) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET through = excluded.through`, [SCHEDULE, through]),
  }
}

const why = (e: unknown): string => (e instanceof Error ? e.message : String((e as { message?: unknown } | undefined)?.message ?? e))

/** The contacts of each configured contract, checked against its terms in force now. */
const loadContacts = async (store: OpenedStore, mail: MailConfig, now: Instant): Promise<E.Either<CliFailure, ReadonlyMap<string, ContractContacts>>> => {
  const contracts = postgresEventStore(contractEvents, store.storage)
  const out = new Map<string, ContractContacts>()
  for (const [key, entry] of Object.entries(mail.contracts)) {
    const id = contractIdOf(key)
    if (E.isLeft(id)) return E.left(cliFailure(ExitCode.usage, `mail.contracts.${key}: ${id.left.message}`))
    const contractId = id.right
    const read = await contracts.readStream(contractStreamId(contractId))()
    if (E.isLeft(read)) return E.left(cliFailure(ExitCode.storeUnavailable, `the ${store.where} cannot be read: ${read.left.message}`))
    const inForce = termsInForceAt(fold(contractDecider, read.right.events), now)
    if (inForce === undefined) return E.left(cliFailure(ExitCode.notFound, `mail.contracts.${contractId}: the contract is not registered and in force`))
    const contacts = contractContacts(inForce.terms, entry.language, entry.people)
    if (E.isLeft(contacts)) return E.left(cliFailure(ExitCode.usage, `mail.contracts.${contractId}.${contacts.left.field}: ${contacts.left.message}`))
    out.set(contractId, contacts.right)
  }
  return E.right(out)
}

/** Connects to the IMAP server; its password is `IMAP_PASSWORD`. */
const connectImap = async (server: NonNullable<MailConfig['imap']>, password: string | undefined): Promise<E.Either<CliFailure, ImapFlow>> => {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: server.secure ?? false,
    logger: false,
    ...(server.user === undefined ? {} : { auth: { user: server.user, pass: password ?? '' } }),
  })
  // A connection the server drops while idle is reported here; the next pass's poll says so.
  client.on('error', () => undefined)
  try {
    await client.connect()
    return E.right(client)
  } catch (e) {
    return E.left(cliFailure(ExitCode.serviceUnavailable, `IMAP ${server.host}:${server.port}: ${why(e)}`))
  }
}

/** Connects the SMTP pool and checks the server answers (and takes the login); its password is `SMTP_PASSWORD`. */
const connectSmtp = async (server: NonNullable<MailConfig['smtp']>, password: string | undefined): Promise<E.Either<CliFailure, MailTransport>> => {
  const transporter = pooledSmtpTransporter({
    host: server.host,
    port: server.port,
    secure: server.secure ?? false,
    maxConnections: 1,
    ...(server.user === undefined ? {} : { auth: { user: server.user, pass: password ?? '' } }),
  })
  try {
    await transporter.verify?.()
  } catch (e) {
    transporter.close()
    return E.left(cliFailure(ExitCode.serviceUnavailable, `SMTP ${server.host}:${server.port}: ${why(e)}`))
  }
  return E.right(smtpTransport(transporter))
}

/** A mail server configured with a user whose password is not in the environment: checked before the store is opened. */
export const mailSecretMissing = (ctx: CliContext): CliFailure | undefined => {
  const mail = ctx.config.mail
  if (mail?.imap?.user !== undefined && ctx.secrets.imapPassword === undefined) return cliFailure(ExitCode.usage, 'mail.imap is configured with a user but IMAP_PASSWORD is not set in the environment')
  if (mail?.smtp?.user !== undefined && ctx.secrets.smtpPassword === undefined) return cliFailure(ExitCode.usage, 'mail.smtp is configured with a user but SMTP_PASSWORD is not set in the environment')
  return undefined
}

/**
 * Sets the mail side up once: the configuration's secrets, the contacts against the contracts, the templates,
 * the servers (a server that does not answer is exit 4 before anything is read), the inbound log's table.
 */
export const openMailSync = async (ctx: CliContext, store: OpenedStore, ledger: ContractLedger): Promise<E.Either<CliFailure, MailSync | undefined>> => {
  const mail = ctx.config.mail
  if (mail === undefined) return E.right(undefined)
  const missing = mailSecretMissing(ctx)
  if (missing !== undefined) return E.left(missing)
  const templates = await loadMailTemplates(mail.templatesDir === undefined ? [shippedTemplatesDirectory] : [resolve(mail.templatesDir), shippedTemplatesDirectory])
  if (E.isLeft(templates)) return E.left(cliFailure(ExitCode.usage, `mail templates: ${templates.left.message}`))
  const contacts = await loadContacts(store, mail, ctx.now())
  if (E.isLeft(contacts)) return contacts

  // The inbound log and the marks live beside the store's schema, as the Redmine record does.
  const schema = `${ctx.store.schema}_mail`.slice(0, 63)
  const sql: SqlClient = {
    query: async (text, values = []) => {
      const result = await store.storage.database.db.executeQuery(CompiledQuery.raw(text, [...values]))
      return { rows: result.rows as ReadonlyArray<Record<string, unknown>> }
    },
  }
  let marks: Awaited<ReturnType<typeof createMarks>>
  try {
    await sql.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    await createInboundLogTable(sql, schema)
    marks = await createMarks(sql, schema)
  } catch (e) {
    return E.left(cliFailure(ExitCode.storeUnavailable, `cannot create the mail tables in schema ${schema} of the ${store.where}: ${why(e)}`))
  }

  const imap = mail.imap === undefined ? undefined : await connectImap(mail.imap, ctx.secrets.imapPassword)
  if (imap !== undefined && E.isLeft(imap)) return imap
  const smtp = mail.smtp === undefined ? undefined : await connectSmtp(mail.smtp, ctx.secrets.smtpPassword)
  if (smtp !== undefined && E.isLeft(smtp)) {
    if (imap !== undefined) await imap.right.logout().catch(() => undefined)
    return smtp
  }

  const tickets = postgresEventStore(ticketEvents, store.storage)
  const log = postgresEventStore(ledgerEvents, store.storage)
  const outbox = postgresOutbox(store.storage)
  const byContract = contacts.right
  const contactsOf = (contractId: string) => TE.right(byContract.get(contractId))
  const sender = { from: { name: mail.sender.name, address: mail.sender.address }, messageIdDomain: mail.sender.messageIdDomain }
  const notifier = mailNotifier({ templates: templates.right, sender, contacts: contactsOf, ticketContract: ticketContractFromStore(tickets) })
  const intake = mailIntake({
    lookups: { directory: () => TE.right([...byContract.values()]), openQuestion: openQuestionFromStore(tickets) },
    options: { messageIdDomain: sender.messageIdDomain, ...(mail.intake?.kind === undefined ? {} : { kind: mail.intake.kind }), ...(mail.intake?.priority === undefined ? {} : { priority: mail.intake.priority }) },
    log: postgresInboundLog(sql, schema),
    submit: (request, options) => ledger.tickets.handle(request, options),
  })
  const mailboxOf = (client: ImapFlow) =>
    imapMailbox(client, intake, { clock: ctx.now, ...(mail.imap?.mailbox === undefined ? {} : { mailbox: mail.imap.mailbox }), ...(mail.imap?.setAsideMailbox === undefined ? {} : { setAsideMailbox: mail.imap.setAsideMailbox }) })
  let client = imap?.right
  let mailbox = client === undefined ? undefined : mailboxOf(client)
  /** imapflow does not reconnect by itself: after a failed poll, a loop's next pass logs in again. */
  const reconnect = async () => {
    if (mail.imap === undefined) return
    await client?.logout().catch(() => undefined)
    const again = await connectImap(mail.imap, ctx.secrets.imapPassword)
    if (E.isRight(again)) {
      client = again.right
      mailbox = mailboxOf(again.right)
    }
  }
  const lookbackMs = (mail.lookbackHours ?? 24) * 3_600_000
  const owner = `support-ledger-cli-mail-${process.pid}`

  /** Enqueues the mails of the log's events after the notifier's mark; the mark moves after each page's enqueue. */
  const notifyNew = async (): Promise<E.Either<string, { enqueued: number; refused: string[] }>> => {
    let enqueued = 0
    const refused: string[] = []
    try {
      for (let after = await marks.position(); ; ) {
        const page = await log.readAll({ after, limit: 500 })()
        if (E.isLeft(page)) return E.left(page.left.message)
        if (page.right.events.length === 0) return E.right({ enqueued, refused })
        // A crash between the enqueue and the mark enqueues the page again: its dedupe keys make that a no-op.
        const r = await notifier.notify(outbox, page.right.events, ctx.now())()
        if (E.isLeft(r)) return E.left(r.left.message)
        enqueued += r.right.enqueued.length
        refused.push(...r.right.refused.map((x) => `${x.source}: ${x.error.message}`))
        after = page.right.next
        await marks.setPosition(after)
      }
    } catch (e) {
      return E.left(why(e))
    }
  }

  /** Enqueues the warnings and breaches that fell since the last pass (the first pass looks back `lookbackHours`). */
  const mailMoments = async (schedule: ObligationSchedule): Promise<E.Either<string, { enqueued: number; refused: string[] }>> => {
    try {
      const to = ctx.now()
      const from = (await marks.through()) ?? addMillis(to, -lookbackMs)
      if (from >= to) return E.right({ enqueued: 0, refused: [] })
      const r = await enqueueScheduleMails({ schedule: momentsFromObligationSchedule(schedule), templates: templates.right, sender, contacts: contactsOf })(outbox, from, to)()
      if (E.isLeft(r)) return E.left(r.left.message)
      await marks.setThrough(to)
      return E.right({ enqueued: r.right.enqueued.length, refused: r.right.refused.map((x) => `${x.source}: ${x.error.message}`) })
    } catch (e) {
      return E.left(why(e))
    }
  }

  /** Sends what is due through SMTP; a mail about an obligation met meanwhile is settled unsent. */
  const deliver = async (schedule: ObligationSchedule, transport: MailTransport) => {
    let delivered = 0
    const failed: Array<MailPass['failed'][number]> = []
    const logger: OutboxWorkerLogger = (entry) => {
      if (entry._tag === 'RetryScheduled') failed.push({ id: entry.id, reason: entry.reason, dead: false })
      if (entry._tag === 'DeadLettered') failed.push({ id: entry.id, reason: entry.reason, dead: true })
    }
    const handler = mailDeliveryHandler(transport, { stillOpen: momentsFromObligationSchedule(schedule).stillOpen, now: ctx.now })
    for (;;) {
      const pass = await drainOnce({ outbox, channel: mailChannel, handler, owner, clock: ctx.now, retry: defaultRetryPolicy, batchSize: 20, logger })
      delivered += pass.delivered
      if (pass.claimed === 0 || pass.delivered === 0) break
    }
    return { delivered, failed }
  }

  return E.right({
    receive: async () => {
      if (mailbox === undefined) return {}
      const polled = await mailbox.poll()
      if (E.isRight(polled)) return { received: { ...polled.right.counts, deferred: polled.right.deferred } }
      await reconnect()
      return { mailboxFailed: polled.left.message }
    },
    send: async (schedule, received) => {
      const events = await notifyNew()
      if (E.isLeft(events)) return E.left(storeFailureOf(store, `mail notifier: ${events.left}`))
      const moments = await mailMoments(schedule)
      if (E.isLeft(moments)) return E.left(storeFailureOf(store, `mail schedule: ${moments.left}`))
      const sent = smtp === undefined ? undefined : await deliver(schedule, smtp.right)
      return E.right({
        ...received,
        enqueued: { events: events.right.enqueued, schedule: moments.right.enqueued },
        refused: [...events.right.refused, ...moments.right.refused],
        ...(sent === undefined ? {} : { delivered: sent.delivered }),
        failed: sent?.failed ?? [],
      })
    },
    close: async () => {
      await client?.logout().catch(() => undefined)
      if (smtp !== undefined) await smtp.right.close()
    },
  })
}

const storeFailureOf = (store: OpenedStore, message: string): CliFailure => cliFailure(ExitCode.storeUnavailable, `the ${store.where}: ${message}`)

/** One line for people about a pass of mail. */
export const mailLine = (pass: MailPass): string => {
  const r = pass.received
  const inbox = pass.mailboxFailed !== undefined ? `mailbox unreadable (${pass.mailboxFailed})` : r === undefined ? 'no mailbox' : `mail in: filed ${r.filed}, answered ${r.answered}, set aside ${r['set-aside']}, deferred ${r.deferred}`
  const out = `enqueued ${pass.enqueued.events + pass.enqueued.schedule} (${pass.enqueued.schedule} from the schedule)`
  const sent = pass.delivered === undefined ? 'no SMTP server: mails wait in the outbox' : `sent ${pass.delivered}, failed ${pass.failed.length}`
  return `${inbox}; mail out: ${out}, ${sent}${pass.refused.length > 0 ? `, refused ${pass.refused.length}` : ''}`
}
