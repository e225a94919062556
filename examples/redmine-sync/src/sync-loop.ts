/** A ledger kept in memory beside one Redmine: each round polls Redmine, enqueues the ledger's news and delivers the writes due. */
import {
  contractLedger,
  createCalendarRegistry,
  createInMemoryStorage,
  exampleCountersignature,
  exampleRegistration,
  incidentEvents,
  inMemoryEventStore,
  inMemoryOutbox,
  instantOf,
  KAZAKHSTAN_CALENDAR,
  ledgerEvents,
  ticketEvents,
  type ContractId,
  type Instant,
  type ContractLedger,
  type LocalDate,
} from '@support-ledger/core'
import {
  previewOutbox,
  redmineClient,
  redmineCsv,
  redmineExport,
  redmineImport,
  redmineImportEvents,
  redmineOutboxHandler,
  redmineSync,
  resolveMapping,
  type ImportFailed,
  type PlannedWrite,
  type PollOutcome,
  type RedmineMapping,
  type RedmineUser,
  type SyncRound,
} from '@support-ledger/redmine'
import * as E from 'fp-ts/lib/Either.js'

export interface SyncLoopOptions {
  readonly url: string
  readonly apiKey: string
  readonly mapping: RedmineMapping
  /** Reads nothing into the ledger and writes nothing to Redmine: says what a round would do. */
  readonly dryRun?: boolean
}

export type RoundReport =
  | { readonly kind: 'round'; readonly round: SyncRound }
  | { readonly kind: 'dry-run'; readonly imported: E.Either<ImportFailed, PollOutcome>; readonly pending: E.Either<{ readonly message: string }, ReadonlyArray<{ readonly messageId: string; readonly planned: ReadonlyArray<PlannedWrite> }>> }

export interface SyncLoop {
  readonly me: RedmineUser
  readonly ledger: ContractLedger
  /** One round; in a dry run, the import's plan and the writes that are waiting, nothing sent. */
  readonly round: () => Promise<RoundReport>
  /** The contract's requests as a CSV file for Redmine's importer. */
  readonly csv: (contractId: string) => Promise<E.Either<{ readonly message: string }, string>>
}

/**
 * Opens the loop: checks the mapping against the server first (a name the server lacks stops it
 * here), then registers each mapped contract in the in-memory ledger. A deployment keeps the
 * ledger, the import's record and the outbox in PostgreSQL instead, so that a restart loses nothing.
 */
export const openSyncLoop = async (options: SyncLoopOptions): Promise<E.Either<{ readonly _tag: string; readonly message: string }, SyncLoop>> => {
  const client = redmineClient({ url: options.url, apiKey: options.apiKey })
  const resolved = await resolveMapping(client, options.mapping)()
  if (E.isLeft(resolved)) return resolved
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) return calendars
  const storage = createInMemoryStorage()
  const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars: calendars.right })
  const customers = options.mapping.customers.map((c) => c.person)
  // The example's contract is proposed by the supplier's Daniyar and countersigned by the first customer person.
  const suppliers = [...new Set(['daniyar', ...(options.mapping.suppliers ?? []).map((s) => s.person)])]
  for (const p of options.mapping.projects) {
    const contractId = p.contractId as ContractId
    const registered = await ledger.contracts.handle(
      exampleRegistration({
        contractId,
        parties: { customer: { name: 'Customer', people: customers }, supplier: { name: 'Supplier', people: suppliers } },
        term: { start: '2024-01-01' as LocalDate, end: '2027-12-31' as LocalDate },
      }),
    )()
    if (E.isLeft(registered)) return registered
    const signer = customers[0]
    if (signer === undefined) return E.left({ _tag: 'NoCustomerPerson', message: 'the mapping names no customer person to countersign the contract' })
    const signed = await ledger.contracts.handle(exampleCountersignature({ contractId, actor: { party: 'customer', id: signer } }))()
    if (E.isLeft(signed)) return signed
  }

  const clock = (): Instant => instantOf(Date.now())
  const source = new URL(options.url).host
  const record = inMemoryEventStore(redmineImportEvents, createInMemoryStorage())
  const outbox = inMemoryOutbox({ clock })
  const ticketStore = inMemoryEventStore(ticketEvents, storage)
  const importer = redmineImport({ client, mapping: resolved.right, tickets: ledger.tickets, ticketEvents: ticketStore, record, outbox, source, clock, dryRun: options.dryRun === true })
  const exporter = redmineExport({ mapping: resolved.right, source, ticketEvents: ticketStore, incidentEvents: inMemoryEventStore(incidentEvents, storage) })
  const log = inMemoryEventStore(ledgerEvents, storage)
  const sync = redmineSync({ import: importer, export: exporter, log, record, outbox, handler: redmineOutboxHandler(client, resolved.right), source, clock, owner: `redmine-sync-${process.pid}` })

  return E.right({
    me: resolved.right.me,
    ledger,
    round: async () => {
      if (options.dryRun !== true) return { kind: 'round', round: await sync.round() }
      const imported = await importer.poll()()
      const pending = await previewOutbox(outbox, client, resolved.right, clock())()
      return { kind: 'dry-run', imported, pending }
    },
    csv: async (contractId: string) => {
      const all = await log.readAll({ after: 0, limit: 100_000 })()
      return E.isLeft(all) ? all : E.right(redmineCsv(options.mapping, all.right.events, { contractId }))
    },
  })
}
