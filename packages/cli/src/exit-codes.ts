/** What the process's exit status says: scripts branch on these, so they never change meaning. */
export const ExitCode = {
  /** The command did what was asked and found nothing wrong. */
  ok: 0,
  /** The command ran and found a failure it was asked to look for: a broken chain or seal, a breach with `--fail-on-breach`. */
  checkFailed: 1,
  /** The command line or the configuration file is wrong: nothing was read or written. */
  usage: 2,
  /** The store cannot be reached or read (server down, wrong DATABASE_URL, schema not migrated). */
  storeUnavailable: 3,
  /** A service the command talks to (Redmine) cannot be reached or refused the setup. */
  serviceUnavailable: 4,
  /** The store answered but holds no such thing (a contract not registered by the as-of instant). */
  notFound: 5,
  /** A fault in the program itself; the message says where. */
  internal: 70,
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** An expected failure: the exit status and a message naming what went wrong. */
export interface CliFailure {
  readonly code: ExitCode
  readonly message: string
}

export const cliFailure = (code: ExitCode, message: string): CliFailure => ({ code, message })
