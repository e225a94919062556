/** What a customer request is about, how urgent the customer says it is, and how it reached the supplier. */
import * as t from 'io-ts'

// model

/** The kinds of request the contract covers; each maps to the clause of the contract it serves. */
export const TicketKind = t.keyof(
  {
    consultation: null,
    defect: null,
    configuration: null,
    performance: null,
    'database-migration': null,
    'test-stand': null,
    archiving: null,
    'backup-sync': null,
    modernization: null,
  },
  'TicketKind',
)
export type TicketKind = t.TypeOf<typeof TicketKind>

/** Set by the customer when filing, and changeable by the customer later. */
export const Priority = t.keyof({ low: null, normal: null, high: null, urgent: null }, 'Priority')
export type Priority = t.TypeOf<typeof Priority>

/** Where the request reached the supplier. */
export const Channel = t.keyof({ redmine: null, email: null, phone: null }, 'Channel')
export type Channel = t.TypeOf<typeof Channel>

// constructors

/** Every ticket kind, in the order the contract lists them (for forms and reports). */
export const ticketKinds: ReadonlyArray<TicketKind> = Object.keys(TicketKind.keys) as TicketKind[]
/** Every priority, lowest first. */
export const priorities: ReadonlyArray<Priority> = Object.keys(Priority.keys) as Priority[]
/** Every channel a request can arrive by. */
export const channels: ReadonlyArray<Channel> = Object.keys(Channel.keys) as Channel[]

/**
 * The numbered clause of the contract each kind serves (see docs/domain/tickets-and-sla.md).
 * A defect serves clause 3 (fix by the agreed deadline); its deadline proposal serves clause 2.
 * Modernization is work on the product's code or database structure: a customization, clause 11.
 */
export const clauseOfKind: Readonly<Record<TicketKind, number>> = {
  consultation: 1,
  defect: 3,
  configuration: 4,
  performance: 5,
  'database-migration': 8,
  'test-stand': 9,
  modernization: 11,
  archiving: 12,
  'backup-sync': 13,
}

/**
 * The kinds whose result is due by a deadline agreed with the customer, from the request's
 * receipt: defects (clause 3), configuration, including changes in the law (clause 4), and
 * performance tuning (clause 5). Their clock shows in the report before any deadline is agreed.
 */
export const kindsDueByAgreedDeadline: ReadonlyArray<TicketKind> = ['defect', 'configuration', 'performance']
