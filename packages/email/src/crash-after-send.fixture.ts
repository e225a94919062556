/**
 * A delivery worker that dies for real between sending and marking: run as its own process by
 * `smtp-crash.int.test.ts`. It claims the mails of the outbox in `schema`, sends the first to the SMTP
 * server on `port`, and kills itself with SIGKILL before the outbox hears of it.
 */
import { drainOnce } from '@support-ledger/core'
import { createPostgresStorage, postgresDatabase, postgresOutbox } from '@support-ledger/postgres'
import pg from 'pg'
import { mailChannel, mailDeliveryHandler } from './mail-outbox.js'
import { pooledSmtpTransporter, smtpTransport } from './smtp-transport.js'

const [databaseUrl, schema, port] = process.argv.slice(2)
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 })
const storage = createPostgresStorage({ database: postgresDatabase(pool), schema: schema!, notify: false })
const send = mailDeliveryHandler(smtpTransport(pooledSmtpTransporter({ host: '127.0.0.1', port: Number(port) })))
await drainOnce({
  outbox: postgresOutbox(storage),
  channel: mailChannel,
  owner: 'doomed-worker',
  leaseMs: 30_000,
  batchSize: 100,
  handler: (message) => async () => {
    const sent = await send(message)()
    // The server has accepted the mail; the process dies before the worker can mark it.
    process.kill(process.pid, 'SIGKILL')
    return sent
  },
})
