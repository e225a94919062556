/** Mail out as `.eml` files in a folder, one per `Message-ID`: the demo's transport, and a resend overwrites the same file. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import nodemailer from 'nodemailer'
import { nodemailerMessage } from './smtp-transport.js'
import type { MailTransport } from './mail-transport.js'

// constructors

/** The file a mail is written to: its `Message-ID` made safe for a file name. */
export const emlFileName = (messageId: string): string => `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`

/**
 * A transport that writes each mail to an `.eml` file in a folder instead of sending it: for demos and for checking
 * mails by eye.
 */
export const emlFileTransport = (directory: string): MailTransport => {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
  return {
    send: (mail) => async () => {
      try {
        const info = (await builder.sendMail(nodemailerMessage(mail) as unknown as Parameters<typeof builder.sendMail>[0])) as unknown as { message: Buffer }
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
