/** The ids the domain's aggregates are known by: opaque text chosen by the application, 1 to 128 characters. */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { checkedValue, type InvalidValue, type ValueKind } from './invalid-value.js'

// model

/** The longest id any aggregate accepts, in characters (UTF-16 code units). */
export const maxIdLength = 128

const isId = (s: string): boolean => s.length > 0 && s.length <= maxIdLength

/** The brand that marks a string as a checked `ContractId`. */
export interface ContractIdBrand {
  readonly ContractId: unique symbol
}
/** The brand that marks a string as a checked `TicketId`. */
export interface TicketIdBrand {
  readonly TicketId: unique symbol
}
/** The brand that marks a string as a checked `IncidentId`. */
export interface IncidentIdBrand {
  readonly IncidentId: unique symbol
}
/** The brand that marks a string as a checked `ChangeId`. */
export interface ChangeIdBrand {
  readonly ChangeId: unique symbol
}

// codecs

/**
 * A contract's id, 1 to 128 characters, as the parties number it (e.g. `C-2024-001`). Every stream of the contract is
 * keyed by it; build one from outside input with `contractIdOf`.
 */
export const ContractId = t.brand(t.string, (s): s is t.Branded<string, ContractIdBrand> => isId(s), 'ContractId')
export type ContractId = t.TypeOf<typeof ContractId>

/**
 * A ticket's id within its contract, 1 to 128 characters (a Redmine issue number, a mail's thread key). The same id on
 * two contracts names two tickets; build one with `ticketIdOf`.
 */
export const TicketId = t.brand(t.string, (s): s is t.Branded<string, TicketIdBrand> => isId(s), 'TicketId')
export type TicketId = t.TypeOf<typeof TicketId>

/** An incident's id within its contract, 1 to 128 characters; build one with `incidentIdOf`. */
export const IncidentId = t.brand(t.string, (s): s is t.Branded<string, IncidentIdBrand> => isId(s), 'IncidentId')
export type IncidentId = t.TypeOf<typeof IncidentId>

/** A customization (a change priced against the budget). */
export const ChangeId = t.brand(t.string, (s): s is t.Branded<string, ChangeIdBrand> => isId(s), 'ChangeId')
export type ChangeId = t.TypeOf<typeof ChangeId>

// constructors

const idOf = <A>(kind: ValueKind, codec: t.Type<A, string, unknown>) =>
  checkedValue<A, string>(kind, codec, (s) => (s.length === 0 ? 'empty' : `longer than ${maxIdLength} characters`))

/** `contractIdOf('SUP-2026-001')`; empty or longer than 128 characters is an `InvalidValue`. */
export const contractIdOf: (s: string) => E.Either<InvalidValue, ContractId> = idOf('ContractId', ContractId)
/** `ticketIdOf('T-42')`; empty or longer than 128 characters is an `InvalidValue`. */
export const ticketIdOf: (s: string) => E.Either<InvalidValue, TicketId> = idOf('TicketId', TicketId)
/** `incidentIdOf('INC-7')`; empty or longer than 128 characters is an `InvalidValue`. */
export const incidentIdOf: (s: string) => E.Either<InvalidValue, IncidentId> = idOf('IncidentId', IncidentId)
/** `changeIdOf('CH-3')`; empty or longer than 128 characters is an `InvalidValue`. */
export const changeIdOf: (s: string) => E.Either<InvalidValue, ChangeId> = idOf('ChangeId', ChangeId)
