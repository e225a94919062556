/** The getting-started guide's program: register a contract, record two requests, and write its first compliance report. */
// #region imports
import {
  contractIdOf,
  contractLedger,
  countersignContract,
  createCalendarRegistry,
  instantOf,
  KAZAKHSTAN_CALENDAR,
  localDateOf,
  registerContract,
  renderReportMarkdown,
  ticketIdOf,
  tiynFromKzt,
  type ComplianceReport,
} from '@support-ledger/core'
import { postgresStores } from '@support-ledger/postgres'
import { openEmbeddedStorage, type EmbeddedStorageOptions } from '@support-ledger/postgres/embedded'
import * as E from 'fp-ts/lib/Either.js'
// #endregion imports

export interface FirstReport {
  readonly report: ComplianceReport
  readonly markdown: string
}

/** One line per clause that had anything to judge: what the program prints. */
export const summaryLines = (report: ComplianceReport): ReadonlyArray<string> =>
  report.obligations.filter((o) => o.total > 0).map((o) => `clause ${o.clause} ${o.obligation}: ${o.met} met, ${o.breached} breached, ${o.pending} pending`)

/** A refusal stops the program here; an application would show it to the person instead. */
const orStop = <A>(result: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

/** Runs the guide on the embedded store in `where` (a folder, or `{ inMemory: true }`). */
export const firstReport = async (where: EmbeddedStorageOptions): Promise<FirstReport> => {
  // #region open
  // The embedded PostgreSQL (PGlite) in a local folder: created and migrated on first use, no server needed.
  const embedded = await openEmbeddedStorage(where)
  const calendars = orStop(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
  const ledger = contractLedger({ storeFor: postgresStores(embedded.storage), calendars })
  // #endregion open
  try {
    // #region contract
    const at = (almaty: string) => instantOf(new Date(`${almaty}+05:00`))
    const contractId = orStop(contractIdOf('C-2025-001'))
    const customer = { party: 'customer', id: 'aigerim' } as const
    const supplier = { party: 'supplier', id: 'daniyar' } as const

    // The supplier proposes the contract: a year of support for 100 000 000,00 tenge (read exactly into integer tiyn).
    orStop(
      await ledger.contracts.handle(
        registerContract({
          contractId,
          parties: { customer: { name: 'Customer LLP', people: ['aigerim'] }, supplier: { name: 'Supplier LLP', people: ['daniyar'] } },
          product: 'Payroll',
          term: { start: orStop(localDateOf('2025-01-01')), end: orStop(localDateOf('2025-12-31')) },
          timeZone: 'Asia/Almaty',
          value: orStop(tiynFromKzt('100 000 000,00')),
          calendarId: 'kz-5day',
          actor: supplier,
          at: at('2024-12-20T10:00:00'),
        }),
      )(),
    )
    // Nothing binds until the customer countersigns.
    orStop(await ledger.contracts.handle(countersignContract({ contractId, actor: customer, at: at('2024-12-23T10:00:00') }))())
    // #endregion contract

    // #region requests
    // A defect filed at 10:00: the supplier proposes a deadline at 11:20, within the two hours of clause 2.
    const t1 = { contractId, ticketId: orStop(ticketIdOf('T-1')) }
    const filed = { type: 'FileRequest', actor: customer, kind: 'defect', priority: 'high', channel: 'redmine' } as const
    orStop(await ledger.tickets.handle({ ...t1, ...filed, at: at('2025-03-03T10:00:00'), receivedAt: at('2025-03-03T10:00:00'), subject: 'Payslips show last month' })())
    const deadline = at('2025-03-05T18:00:00')
    orStop(await ledger.tickets.handle({ ...t1, type: 'ProposeDeadline', actor: supplier, at: at('2025-03-03T11:20:00'), deadline })())
    orStop(await ledger.tickets.handle({ ...t1, type: 'AgreeDeadline', actor: customer, at: at('2025-03-03T11:40:00'), deadline })())
    // The fix is delivered on Wednesday before the deadline and accepted: clause 3 is met.
    orStop(await ledger.tickets.handle({ ...t1, type: 'DeliverResult', actor: supplier, at: at('2025-03-05T16:00:00'), deliveryId: 'fix-1', summary: 'Fixed the period filter' })())
    orStop(await ledger.tickets.handle({ ...t1, type: 'AcceptResult', actor: customer, at: at('2025-03-06T09:00:00'), deliveryId: 'fix-1' })())

    // A second defect waits three hours for its proposal: clause 2 is breached, and the report says so.
    const t2 = { contractId, ticketId: orStop(ticketIdOf('T-2')) }
    orStop(await ledger.tickets.handle({ ...t2, ...filed, at: at('2025-03-10T09:00:00'), receivedAt: at('2025-03-10T09:00:00'), subject: 'Export to the bank fails' })())
    orStop(await ledger.tickets.handle({ ...t2, type: 'ProposeDeadline', actor: supplier, at: at('2025-03-10T12:00:00'), deadline: at('2025-03-12T18:00:00') })())
    // #endregion requests

    // #region report
    // The first quarter as the record held it on 1 April: every clause with its count, met, breached and pending.
    const report = orStop(await ledger.report({ contractId, asOf: at('2025-04-01T00:00:00'), period: { kind: 'quarter', quarter: '2025-Q1' } })())
    const markdown = renderReportMarkdown(report, 'en')
    // #endregion report
    return { report, markdown }
  } finally {
    await embedded.close()
  }
}
