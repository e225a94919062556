// What the report's fold keeps in memory: a ticket's clocks, not its events, and of a ticket outside the scope at most its acceptances.
import v8 from 'node:v8'
import { runInNewContext } from 'node:vm'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createCalendarRegistry } from '../calendar/calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from '../calendar/kazakhstan/kazakhstan-calendar.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import { exampleLedger } from '../testing/example-ledger.js'
import { complianceReportFold, type ReportScope } from './compliance-report.js'
import type { LedgerEvent } from './ledger-events.js'

v8.setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const calendars = E.getOrElseW((e) => {
  throw new Error(String(e))
})(createCalendarRegistry([KAZAKHSTAN_CALENDAR]))
const TICKETS = 6_000
const ledger = exampleLedger({ tickets: TICKETS })
// Events as a store reads them: each decoded afresh, sharing no string or object with the generator's.
const read = JSON.parse(JSON.stringify(ledger.events)) as ReadonlyArray<RecordedEvent<LedgerEvent>>

/** The heap the fold holds once every page is folded, per ticket of the log; the report is built after, so the fold is still held when counted. */
const bytesPerTicket = (period: ReportScope['period']): number => {
  for (let i = 0; i < 3; i++) gc()
  const before = process.memoryUsage().heapUsed
  const fold = complianceReportFold(ledger.terms.contractId, { asOf: ledger.asOf, period })
  for (let i = 0; i < read.length; i += 500) fold.add(read.slice(i, i + 500))
  for (let i = 0; i < 3; i++) gc()
  const held = process.memoryUsage().heapUsed - before
  const report = fold.build({ asOf: ledger.asOf, period, calendars })
  expect(E.isRight(report) && report.right.obligations.some((o) => o.total > 0)).toBe(true)
  return held / TICKETS
}

describe('compliance report fold memory', () => {
  it('keeps about a kilobyte per ticket in scope (its clocks, of nine events on average), not the events', () => {
    expect(read.length / TICKETS).toBeGreaterThan(8)
    // Kept as spread copies, the clocks took about 2,600 bytes a ticket; as literals of exact size, about 1,050.
    expect(bytesPerTicket({ kind: 'contract-to-date' })).toBeLessThan(1_600)
  })

  it('keeps of a ticket filed outside the scope at most its acceptances, and nothing of one that is not a defect', () => {
    // May's tickets are one in twelve: the rest are outside. Each kept with a list for its acceptances, they took about 520 bytes a ticket; now about 200.
    expect(bytesPerTicket({ kind: 'month', month: '2024-05' })).toBeLessThan(400)
  })
})
