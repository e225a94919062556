/** `support-ledger migrate`: creates or updates the store's schema. */
import type * as E from 'fp-ts/lib/Either.js'
import { done, withStore, type CliContext, type CommandResult } from './cli-context.js'
import type { CliFailure } from './exit-codes.js'

export const migrateCommand = (ctx: CliContext): Promise<E.Either<CliFailure, CommandResult>> =>
  withStore(
    ctx,
    async (store) => {
      const report = store.migrated
      const applied = report?.applied ?? []
      const line =
        applied.length === 0
          ? `schema ${ctx.store.schema} in the ${store.where} is current at version ${report?.version ?? '?'}`
          : `schema ${ctx.store.schema} in the ${store.where}: applied ${applied.join(', ')}; now at version ${report?.version ?? '?'}`
      return done([line], { schema: ctx.store.schema, where: store.where, applied, version: report?.version })
    },
    { migrateServer: true },
  )
