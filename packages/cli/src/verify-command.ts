/**
 * `support-ledger verify`: every stream's hash chain and every log seal, and, given a seal kept
 * outside the database, that the log still holds exactly the events that seal covered.
 */
import { latestSeal, parseSeal, sealLog, sealText, verifyAgainstSeal, verifyAll, type LogSeal } from '@support-ledger/postgres'
import * as E from 'fp-ts/lib/Either.js'
import { readFile, writeFile } from 'node:fs/promises'
import { done, withStore, type CliContext, type CommandResult } from './cli-context.js'
import { storeFailure } from './cli-store.js'
import { cliFailure, ExitCode, type CliFailure } from './exit-codes.js'

export interface VerifyOptions {
  /** A file holding a kept seal line, as `--write-seal` or `sealText` wrote it. */
  readonly seal?: string
  /** Seal the log first and write the latest seal's line here, to be kept elsewhere. */
  readonly writeSeal?: string
}

export const verifyCommand = async (ctx: CliContext, options: VerifyOptions): Promise<E.Either<CliFailure, CommandResult>> => {
  // The kept seal is read before the store is opened: a bad file is a usage error, nothing is touched.
  let kept: LogSeal | undefined
  if (options.seal !== undefined) {
    let text: string
    try {
      text = await readFile(options.seal, 'utf8')
    } catch (e) {
      return E.left(cliFailure(ExitCode.usage, `--seal ${options.seal}: ${(e as Error).message}`))
    }
    const parsed = parseSeal(text)
    if (E.isLeft(parsed)) return E.left(cliFailure(ExitCode.usage, `--seal ${options.seal}: ${parsed.left.message}`))
    kept = parsed.right
  }

  return withStore(ctx, async (store) => {
    const lines: string[] = []
    let written: string | undefined
    if (options.writeSeal !== undefined) {
      const sealed = await sealLog(store.storage)()
      if (E.isLeft(sealed)) return E.left(storeFailure(store, sealed.left.message))
      const seal = sealed.right ?? (await latestSeal(store.storage)().then((r) => (E.isRight(r) ? r.right : undefined)))
      if (seal === undefined) return E.left(cliFailure(ExitCode.notFound, 'the log holds no events to seal yet'))
      written = sealText(seal)
      await writeFile(options.writeSeal, `${written}\n`, 'utf8')
      lines.push(`sealed: ${written}`, `wrote ${options.writeSeal}: keep it outside the database`)
    }

    const all = await verifyAll(store.storage)()
    if (E.isLeft(all)) return E.left(storeFailure(store, all.left.message))
    const problems: Array<{ readonly kind: string; readonly message: string }> = [...all.right.problems]
    lines.push(
      `chains: ${all.right.streams} streams, ${all.right.events} events; seals: ${all.right.seals.seals}, through position ${all.right.seals.sealedThrough}, ${all.right.seals.unsealedEvents} events after the last seal`,
    )
    let againstKept: unknown
    if (kept !== undefined) {
      const coverage = await verifyAgainstSeal(store.storage, kept)()
      if (E.isLeft(coverage)) return E.left(storeFailure(store, coverage.left.message))
      problems.push(...coverage.right.problems)
      againstKept = { sealNo: kept.sealNo, throughPosition: kept.throughPosition, problems: coverage.right.problems.length }
      lines.push(`kept seal ${kept.sealNo} through position ${kept.throughPosition}: ${coverage.right.problems.length === 0 ? 'matches the log' : 'does NOT match the log'}`)
    }
    for (const p of problems) lines.push(`problem (${p.kind}): ${p.message}`)
    lines.push(problems.length === 0 ? 'verified: no problems' : `verification FAILED: ${problems.length} problem(s)`)
    return done(
      lines,
      { verified: problems.length === 0, streams: all.right.streams, events: all.right.events, seals: all.right.seals, keptSeal: againstKept, sealWritten: written, problems },
      problems.length === 0 ? ExitCode.ok : ExitCode.checkFailed,
    )
  })
}
