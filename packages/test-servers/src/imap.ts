/**
 * The IMAP server (Dovecot) the `*.int.test.ts` files of the workspace use: probed once, skipped with a message
 * without it, a failure under `CI=true`. A separate entry, so that tests without mail never probe it.
 */
import { connect } from 'node:net'
import { describe } from 'vitest'

/** Where the tests find Dovecot: `IMAP_URL` (set by `.ci/run` and `scripts/dovecot.sh`), or its default port. */
export const IMAP_URL = process.env.IMAP_URL ?? 'imap://support%40example.kz:secret@127.0.0.1:10143'

export const imapSettings = (() => {
  const url = new URL(IMAP_URL)
  return { host: url.hostname, port: Number(url.port || 143), user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
})()

const probeImap = (): Promise<string | undefined> =>
  new Promise((resolve) => {
    const socket = connect({ host: imapSettings.host, port: imapSettings.port })
    const done = (why: string | undefined) => {
      socket.destroy()
      resolve(why)
    }
    socket.setTimeout(3_000, () => done('timed out'))
    socket.once('error', (e) => done(e.message))
    socket.once('data', (d) => done(d.toString().startsWith('* OK') ? undefined : `unexpected greeting ${d.toString().slice(0, 40)}`))
  })

/** Why the server did not answer, or undefined when it did. */
export const imapUnreachable = await probeImap()
if (imapUnreachable !== undefined) {
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and the IMAP server at ${imapSettings.host}:${imapSettings.port} is unreachable (${imapUnreachable}): integration tests must run on CI`)
  }
  console.warn(`Skipping IMAP integration tests: no IMAP server at ${imapSettings.host}:${imapSettings.port} (${imapUnreachable}). Run scripts/dovecot.sh start, or set IMAP_URL.`)
}

/** `describe` that skips when no IMAP server answers (and never on CI, where the probe above already failed). */
export const describeWithImap = (name: string, body: () => void): void => {
  describe.skipIf(imapUnreachable !== undefined)(name, body)
}
