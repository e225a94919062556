/** A real SMTP server in the test process (smtp-server), keeping what it accepts and refusing on demand: the workspace's tests of mail out use it. */
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A refusal the server gives instead of accepting a mail: `451` (try again) or `550` (never). */
export interface SmtpRefusal {
  readonly code: number
  readonly message: string
}

export interface ReceivedMail {
  readonly raw: Buffer
  /** Absent when the server was started with `parse: false` (benchmarks: parsing is the reader's cost, not delivery's). */
  readonly parsed: ParsedMail
  readonly envelopeTo: ReadonlyArray<string>
}

export interface TestSmtpServer {
  readonly port: number
  readonly received: ReadonlyArray<ReceivedMail>
  /** Decides per mail whether to refuse it; undefined accepts. */
  refuse: (() => SmtpRefusal | undefined) | undefined
  /** Closes the listener: the next connection is refused (ECONNREFUSED). */
  readonly stop: () => Promise<void>
  /** Listens again on the same port, keeping what was received. */
  readonly start: () => Promise<void>
}

/** A real SMTP server in this process on 127.0.0.1, port 0 (or the given one), that keeps every mail it accepts. */
export const startTestSmtpServer = async (port = 0, options: { readonly parse?: boolean } = {}): Promise<TestSmtpServer> => {
  const received: ReceivedMail[] = []
  let server: SMTPServer | undefined
  let boundPort = port
  const state: TestSmtpServer = {
    get port() {
      return boundPort
    },
    received,
    refuse: undefined,
    stop: async () => {
      const s = server
      server = undefined
      if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()))
    },
    start: async () => {
      const s = new SMTPServer({
        authOptional: true,
        // Pooled clients keep connections open: close them at once on stop, as a crashed server would.
        closeTimeout: 50,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        size: 50 * 1024 * 1024,
        onData(stream, session, callback) {
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            const refusal = state.refuse?.()
            if (refusal !== undefined) {
              const error = new Error(refusal.message) as Error & { responseCode: number }
              error.responseCode = refusal.code
              callback(error)
              return
            }
            const raw = Buffer.concat(chunks)
            if (options.parse === false) {
              received.push({ raw, parsed: undefined as unknown as ParsedMail, envelopeTo: session.envelope.rcptTo.map((r) => r.address) })
              callback(null, 'queued')
              return
            }
            simpleParser(raw).then(
              (parsed) => {
                received.push({ raw, parsed, envelopeTo: session.envelope.rcptTo.map((r) => r.address) })
                callback(null, 'queued')
              },
              (e: unknown) => callback(e as Error),
            )
          })
        },
      })
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject)
        s.listen(boundPort, '127.0.0.1', () => resolve())
      })
      boundPort = (s.server.address() as { port: number }).port
      server = s
    },
  }
  await state.start()
  return state
}
