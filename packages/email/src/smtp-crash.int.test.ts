import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { addMillis, drainOnce, instantOf, type Instant, type LedgerEvent } from '@support-ledger/core'
import { createPostgresStorage, dropSchema, migrate, postgresDatabase, postgresOutbox } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { composeMails } from './mail-message.js'
import { enqueueMails, mailChannel, mailDeliveryHandler } from './mail-outbox.js'
import { contacts, recorded, sender } from './mail.fixture.js'
import { loadMailTemplates } from './mail-templates.js'
import { notificationOfEvent } from './notification-policy.js'
import { DATABASE_URL, describeWithPostgres } from '@support-ledger/test-servers'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server.js'
import { pooledSmtpTransporter, smtpTransport } from './smtp-transport.js'

const schema = `sl_crash_${Math.random().toString(36).slice(2, 10)}`
let pool: pg.Pool
let smtp: TestSmtpServer
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 })
  smtp = await startTestSmtpServer()
})
afterAll(async () => {
  await smtp.stop()
  await pool.end()
})

const runDoomedWorker = (): Promise<NodeJS.Signals | number | null> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@support-ledger/source', fileURLToPath(new URL('./crash-after-send.fixture.ts', import.meta.url)), DATABASE_URL, schema, String(smtp.port)], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(signal ?? code))
  })

describeWithPostgres('a delivery worker killed between send and mark', () => {
  it('after restart, resends only the mail it had sent, once, under the same Message-ID; every mail arrives', async () => {
    const database = postgresDatabase(pool)
    await migrate(database.db, { schema })
    try {
      const storage = createPostgresStorage({ database, schema, notify: false })
      const outbox = postgresOutbox(storage)
      const templates = await loadMailTemplates()
      if (E.isLeft(templates)) throw new Error(templates.left.message)
      const at = '2026-03-05T05:00:00.000Z'
      const mails = [1, 2, 3].flatMap((n) => {
        const event = recorded({ type: 'DeadlineProposed', data: { ticketId: `T-${n}`, at, deadline: '2026-03-06T10:00:00.000Z' } } as unknown as LedgerEvent, { party: 'supplier', id: 'daniyar' })
        const composed = composeMails(notificationOfEvent(event, contacts)!, contacts, templates.right, sender)
        if (E.isLeft(composed)) throw new Error(composed.left.message)
        return composed.right
      })
      await enqueueMails(outbox, mails, instantOf(Date.now() - 1000))()

      // A real process, killed by SIGKILL right after the server accepted its first mail.
      expect(await runDoomedWorker()).toBe('SIGKILL')
      expect(smtp.received.map((m) => m.parsed.messageId)).toEqual([mails[0]!.mail.messageId])

      // A new worker, once the dead one's leases ran out.
      const transport = smtpTransport(pooledSmtpTransporter({ host: '127.0.0.1', port: smtp.port }))
      try {
        const later = addMillis(new Date().toISOString() as Instant, 31_000)
        const pass = await drainOnce({ outbox, channel: mailChannel, owner: 'restarted', clock: () => later, handler: mailDeliveryHandler(transport), batchSize: 100 })
        expect(pass).toMatchObject({ claimed: 3, delivered: 3 })
      } finally {
        await transport.close()
      }
      const counts = new Map<string, number>()
      for (const m of smtp.received) counts.set(m.parsed.messageId!, (counts.get(m.parsed.messageId!) ?? 0) + 1)
      expect(Object.fromEntries(counts)).toEqual({ [mails[0]!.mail.messageId]: 2, [mails[1]!.mail.messageId]: 1, [mails[2]!.mail.messageId]: 1 })
    } finally {
      await dropSchema(database.db, schema).catch(() => undefined)
      await database.close()
    }
  })
})
