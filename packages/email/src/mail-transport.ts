/** The transport port: how the delivery worker hands one mail to the outside world. */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { OutgoingMail } from './mail-message.js'

// model

/** The server or the file system refused the mail. `permanent` failures (SMTP 5xx) are not retried. */
export interface SendFailed {
  readonly _tag: 'SendFailed'
  readonly message: string
  readonly permanent: boolean
  /** The SMTP reply (`550 5.1.1 no such user`), or the network error. */
  readonly reply: string
  readonly responseCode?: number
}

/** A mail the server (or the folder) accepted. */
export interface MailSent {
  readonly messageId: string
  /** What the server answered on acceptance (`250 ...`), or where the file was written. */
  readonly response: string
}

/** Sends one mail. The mail carries its own `Message-ID`; sending it twice sends the same mail twice. */
export interface MailTransport {
  /** Sends one mail. */
  readonly send: (mail: OutgoingMail) => TaskEither<SendFailed, MailSent>
  /** Closes the connection or pool. */
  readonly close: () => Promise<void>
}
