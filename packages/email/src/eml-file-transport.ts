/** Mail out as `.eml` files in a folder, one per `Message-ID`: the demo's transport, and a resend overwrites the same file. */
import type { Instant } from '@support-ledger/core'
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import nodemailer from 'nodemailer'
import { nodemailerMessage } from './smtp-transport.js'
import type { MailTransport } from './mail-transport.js'

// model

/** How `.eml` files are written: `clock` fixes the `Date` header (and so makes the files repeatable). */
export interface EmlFileOptions {
  /**
   * The mail's `Date`. Given, the MIME boundary is derived from the `Message-ID` too, so the same
   * mail sent at the same instant is the same bytes (nodemailer otherwise takes the clock and random bytes).
   */
  readonly clock?: () => Instant
}

// constructors

/** The file a mail is written to: its `Message-ID` made safe for a file name. */
export const emlFileName = (messageId: string): string => `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`

/**
 * A transport that writes each mail to an `.eml` file in a folder instead of sending it: for demos and for checking
 * mails by eye.
 */
export const emlFileTransport = (directory: string, options: EmlFileOptions = {}): MailTransport => {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
  const fixed = (messageId: string) =>
    options.clock === undefined ? {} : { date: new Date(options.clock()), baseBoundary: createHash('sha256').update(messageId).digest('hex').slice(0, 16) }
  return {
    send: (mail) => async () => {
      try {
        const message = { ...nodemailerMessage(mail), ...fixed(mail.messageId) }
        const info = (await builder.sendMail(message as unknown as Parameters<typeof builder.sendMail>[0])) as unknown as { message: Buffer }
        await mkdir(directory, { recursive: true })
        const file = join(directory, emlFileName(mail.messageId))
        await writeFile(file, info.message)
        return E.right({ messageId: mail.messageId, response: file })
      } catch (error) {
        return E.left({ _tag: 'SendFailed', message: String(error), permanent: false, reply: String(error) })
      }
    },
    close: async () => builder.close(),
  }
}
