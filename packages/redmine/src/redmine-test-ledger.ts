/** A ledger in memory wired to a test project of the real Redmine: the import, the export, the outbox and one sync round at a time. */
import {
  contractLedger,
  createCalendarRegistry,
  createInMemoryStorage,
  exampleCountersignature,
  exampleRegistration,
  inMemoryEventStore,
  inMemoryObligationSchedule,
  inMemoryOutbox,
  instantOf,
  KAZAKHSTAN_CALENDAR,
  ledgerEvents,
  ticketEvents,
  incidentEvents,
  type ContractId,
  type Instant,
  type LocalDate,
} from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { RedmineClient } from './redmine-client.js'
import { redmineExport } from './redmine-export.js'
import { redmineImportEvents } from './redmine-import-events.js'
import { redmineImport } from './redmine-import.js'
import { defaultRedmineMapping, resolveMapping, type RedmineMapping } from './redmine-mapping.js'
import { redmineSync } from './redmine-sync.js'
import type { TestProject } from './redmine-test-server.js'
import { redmineOutboxHandler } from './redmine-write.js'

export const supplier = { party: 'supplier', id: 'daniyar' } as const
export const customer = { party: 'customer', id: 'aigerim' } as const
export const calendars = E.getOrElseW((e: { readonly message: string }) => {
  throw new Error(e.message)
})(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))

/** The contract of a test project: in force from 2024 to 2027, Aigerim for the customer and Daniyar for the supplier. */
export const contractIdOf = (project: TestProject): ContractId => `C-${project.identifier}` as ContractId

export const openTestLedger = async (project: TestProject, options: { readonly client?: RedmineClient; readonly mapping?: (base: RedmineMapping) => RedmineMapping } = {}) => {
  const storage = createInMemoryStorage()
  // The import's record lives beside the ledger in its own storage: the ledger's log holds the ledger's events only.
  const recordStorage = createInMemoryStorage()
  const ledger = contractLedger({ storeFor: (catalog) => inMemoryEventStore(catalog, storage), calendars })
  const contractId = contractIdOf(project)
  const registered = await ledger.contracts.handle(
    exampleRegistration({ contractId, term: { start: '2024-01-01' as LocalDate, end: '2027-12-31' as LocalDate } }),
  )()
  if (E.isLeft(registered)) throw new Error(registered.left.message)
  const signed = await ledger.contracts.handle(exampleCountersignature({ contractId }))()
  if (E.isLeft(signed)) throw new Error(signed.left.message)

  const defaults = defaultRedmineMapping(
    [{ project: project.identifier, contractId }],
    [{ redmineUserId: project.users.customer, person: 'aigerim' }],
    [{ person: 'daniyar', redmineUserId: project.users.ledger }],
  )
  const mapping = options.mapping === undefined ? defaults : options.mapping(defaults)
  const client = options.client ?? project.sync()
  const resolved = await resolveMapping(client, mapping)()
  if (E.isLeft(resolved)) throw new Error(resolved.left.message)
  const clock = (): Instant => instantOf(Date.now())
  const outbox = inMemoryOutbox({ clock })
  const record = inMemoryEventStore(redmineImportEvents, recordStorage)
  const ticketStore = inMemoryEventStore(ticketEvents, storage)
  const source = 'test-redmine'
  const importer = redmineImport({ client, mapping: resolved.right, tickets: ledger.tickets, ticketEvents: ticketStore, record, outbox, source, clock })
  const exporter = redmineExport({ mapping: resolved.right, source, ticketEvents: ticketStore, incidentEvents: inMemoryEventStore(incidentEvents, storage) })
  const handler = redmineOutboxHandler(client, resolved.right)
  const log = inMemoryEventStore(ledgerEvents, storage)
  // The obligation schedule, fed from the log before each round as its consumer would be.
  const schedule = inMemoryObligationSchedule({ calendars })
  let fed = 0
  const feedSchedule = async () => {
    const page = await log.readAll({ after: fed, limit: 100_000 })()
    if (E.isLeft(page) || page.right.events.length === 0) return
    await schedule.handle(page.right.events)
    fed = page.right.next
  }
  const base = redmineSync({
    schedule,
    import: importer,
    export: exporter,
    log,
    record,
    outbox,
    handler,
    source,
    clock,
    owner: 'test-worker',
    // Retries come at once in tests: each round is a fresh attempt.
    retry: { initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 5 },
  })
  const sync = {
    ...base,
    round: async () => {
      await feedSchedule()
      return base.round()
    },
  }
  return { ledger, contractId, resolved: resolved.right, client, outbox, record, ticketStore, importer, exporter, handler, sync, clock, storage, schedule }
}

/** A request received and filed at the same instant (two reads of a clock could put receipt after filing). */
export const filedNow = (at: Instant) => ({ at, receivedAt: at })
