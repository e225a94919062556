/** Mail out over SMTP through a nodemailer transporter (pooled in production), with the server's reply kept on failure. */
import * as E from 'fp-ts/lib/Either.js'
import nodemailer from 'nodemailer'
import type { OutgoingMail } from './mail-message.js'
import type { MailTransport, SendFailed } from './mail-transport.js'

// model

/** The part of a nodemailer transporter the transport calls. */
export interface NodemailerTransporter {
  /** Sends one message; resolves when the server accepted it. */
  sendMail(message: NodemailerMessage): Promise<{ readonly messageId: string; readonly response: string }>
  /** Closes the connection or pool. */
  close(): void
}

/** A mail in the shape nodemailer sends, with our own `Message-ID` and threading headers. */
export interface NodemailerMessage {
  readonly messageId: string
  readonly from: { readonly name: string; readonly address: string }
  readonly to: ReadonlyArray<{ readonly name: string; readonly address: string }>
  readonly subject: string
  readonly text: string
  readonly html: string
  readonly inReplyTo: string
  readonly references: ReadonlyArray<string>
  readonly headers: Readonly<Record<string, string>>
}

/** Where and how to reach the SMTP server; no environment is read here. */
export interface SmtpServerOptions {
  readonly host: string
  readonly port: number
  readonly secure?: boolean
  readonly auth?: { readonly user: string; readonly pass: string }
  /** Connections kept open by the pool; nodemailer's default is 5. */
  readonly maxConnections?: number
  readonly connectionTimeoutMs?: number
}

// constructors

/** The nodemailer fields of a mail: every header, the `Message-ID` included, comes from the stored mail. */
export const nodemailerMessage = (mail: OutgoingMail): NodemailerMessage => ({
  messageId: mail.messageId,
  from: mail.from,
  to: [mail.to],
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  inReplyTo: mail.inReplyTo,
  references: mail.references,
  headers: { 'Content-Language': mail.locale, 'Auto-Submitted': 'auto-generated' },
})

/** A pooled nodemailer transporter for `options`: connections are reused across mails. */
export const pooledSmtpTransporter = (options: SmtpServerOptions): NodemailerTransporter =>
  nodemailer.createTransport({
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    ...(options.auth === undefined ? {} : { auth: { user: options.auth.user, pass: options.auth.pass } }),
    maxConnections: options.maxConnections ?? 5,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.connectionTimeoutMs ?? 10_000,
  }) as unknown as NodemailerTransporter

/** A failure as the worker sees it: SMTP 5xx is permanent, anything else (4xx, network) is worth retrying. */
export const sendFailureOf = (error: unknown): SendFailed => {
  const e = error as { message?: string; response?: string; responseCode?: number; code?: string }
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined
  const reply = e.response ?? `${e.code ?? 'error'}: ${e.message ?? String(error)}`
  return {
    _tag: 'SendFailed',
    message: e.message ?? String(error),
    permanent: responseCode !== undefined && responseCode >= 500 && responseCode < 600,
    reply,
    ...(responseCode === undefined ? {} : { responseCode }),
  }
}

/** Sends through a configured transporter (see `pooledSmtpTransporter`). */
export const smtpTransport = (transporter: NodemailerTransporter): MailTransport => ({
  send: (mail) => async () => {
    try {
      const info = await transporter.sendMail(nodemailerMessage(mail))
      return E.right({ messageId: info.messageId, response: info.response })
    } catch (error) {
      return E.left(sendFailureOf(error))
    }
  },
  close: async () => transporter.close(),
})
