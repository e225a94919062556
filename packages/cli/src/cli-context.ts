/** What every command is given: the configuration, the secrets, where to write, and how to open the store. */
import type { Instant } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { CliConfig, CliSecrets } from './cli-config.js'
import type { ProgressMode } from './cli-progress-line.js'
import { openStore, type OpenedStore, type StoreSettings } from './cli-store.js'
import { ExitCode, type CliFailure } from './exit-codes.js'

// model

/** The process's streams and environment, passed in so that a test can run the program in-process too. */
export interface CliIo {
  /** Writes to standard output. */
  readonly out: (text: string) => void
  /** Writes to standard error. */
  readonly err: (text: string) => void
  readonly stdoutIsTty: boolean
  readonly env: Readonly<Record<string, string | undefined>>
}

export interface CliContext {
  readonly config: CliConfig
  readonly secrets: CliSecrets
  readonly store: StoreSettings
  readonly json: boolean
  readonly io: CliIo
  readonly progress: ProgressMode
  readonly now: () => Instant
}

/** A command's outcome: the exit status, lines for people, one object for `--json`. */
export interface CommandResult {
  readonly code: ExitCode
  readonly lines: ReadonlyArray<string>
  readonly json: unknown
}

// operations

export const done = (lines: ReadonlyArray<string>, json: unknown, code: ExitCode = ExitCode.ok): E.Either<CliFailure, CommandResult> => E.right({ code, lines, json })

/** Runs `work` with the store open and closes it whatever happens. */
export const withStore = async <A>(
  ctx: CliContext,
  work: (store: OpenedStore) => Promise<E.Either<CliFailure, A>>,
  options: Parameters<typeof openStore>[1] = {},
): Promise<E.Either<CliFailure, A>> => {
  const opened = await openStore(ctx.store, options)
  if (E.isLeft(opened)) return opened
  try {
    return await work(opened.right)
  } finally {
    await opened.right.close().catch(() => undefined)
  }
}
