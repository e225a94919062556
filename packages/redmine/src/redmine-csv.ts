/** A contract's requests as a CSV file for Redmine's importer (Administration is not needed: Issues → Import), for a customer whose Redmine the supplier cannot reach. */
import {
  fold,
  localDateAt,
  ticketDecider,
  type LedgerEvent,
  type RecordedEvent,
  type RequestFiled,
  type TicketEvent,
  type TicketState,
} from '@support-ledger/core'
import { redminePriorityOf, type RedmineMapping } from './redmine-mapping.js'

// model

/**
 * The importer's own field keys as headers: Redmine matches them whatever the language of its
 * interface (`tracker`, `subject`, ...); custom fields are matched by their name.
 */
export const CSV_COLUMNS = ['unique_id', 'tracker', 'subject', 'description', 'status', 'priority', 'start_date', 'due_date'] as const

/** Which requests go into the CSV. */
export interface CsvOptions {
  /** Only this contract's requests. */
  readonly contractId: string
}

// operations

/** The requests of a contract, one row each, in the order they were filed; the ledger's key goes in the mapping's key field. */
export const redmineCsv = (mapping: RedmineMapping, events: ReadonlyArray<RecordedEvent<LedgerEvent>>, options: CsvOptions): string => {
  const streams = new Map<string, Array<RecordedEvent<TicketEvent>>>()
  for (const e of events) {
    if (!isTicketEvent(e)) continue
    if (e.type === 'RequestFiled' && e.data.contractId !== options.contractId) continue
    // By stream: a ticket id names a ticket within its contract only.
    const list = streams.get(e.streamId)
    if (list === undefined && e.type !== 'RequestFiled') continue
    if (list === undefined) streams.set(e.streamId, [e])
    else list.push(e)
  }
  const trackerOf = (kind: string): string =>
    Object.entries(mapping.kinds.byTracker).find(([, k]) => k === kind)?.[0] ?? mapping.trackers.request
  const header = [...CSV_COLUMNS, mapping.externalKeyField, ...(mapping.kinds.field === undefined ? [] : [mapping.kinds.field])]
  const rows: string[][] = [header]
  for (const stream of streams.values()) {
    const filed = stream[0]!.data as RequestFiled
    const ticketId = filed.ticketId
    const state = fold(ticketDecider, stream)
    if (state.status === 'unfiled') continue
    const deadline = state.agreedDeadline ?? state.proposal
    rows.push([
      ticketId,
      trackerOf(state.kind),
      filed.subject,
      filed.description ?? '',
      statusOf(mapping, state),
      redminePriorityOf(mapping, state.priority),
      localDateAt(filed.receivedAt, filed.timeZone),
      deadline === undefined ? '' : localDateAt(deadline, filed.timeZone),
      `ticket:${ticketId}`,
      ...(mapping.kinds.field === undefined ? [] : [state.kind]),
    ])
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** RFC 4180: a field with a separator, a quote or a line break is quoted, its quotes doubled. */
export const csvField = (value: string): string => (/[",;\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value)

/** Reads CSV as written above (for tests and for checking a file before sending it). */
export const parseCsv = (text: string): string[][] => {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += c
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

const statusOf = (mapping: RedmineMapping, state: Exclude<TicketState, { status: 'unfiled' }>): string => {
  if (state.status === 'resolved') return mapping.statuses.resultAccepted ?? 'Closed'
  if (state.awaiting !== undefined) return mapping.statuses.resultDelivered ?? 'Resolved'
  if (state.agreedDeadline !== undefined) return mapping.statuses.deadlineAgreed ?? 'In Progress'
  return 'New'
}

const ticketTypes = new Set(['RequestFiled', 'PriorityChanged', 'DeadlineProposed', 'DeadlineAgreed', 'DeadlineRejected', 'DeadlineChangeProposed', 'DeadlineChangeAgreed', 'DeadlineChangeDeclined', 'ResultDelivered', 'ResultAccepted', 'ResultRejected', 'CustomerAsked', 'QuestionAnswered'])
const isTicketEvent = (e: RecordedEvent<LedgerEvent>): e is RecordedEvent<TicketEvent> => ticketTypes.has(e.type)
