/** The ids the domain's aggregates are known by: opaque text chosen by the application, 1 to 128 characters. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidValue, type InvalidValue, type ValueKind } from './invalid-value.js'

// model

/** The longest id any aggregate accepts, in characters (UTF-16 code units). */
export const maxIdLength = 128

const isId = (s: string): boolean => s.length > 0 && s.length <= maxIdLength

export interface ContractIdBrand {
  readonly ContractId: unique symbol
}
export interface TicketIdBrand {
  readonly TicketId: unique symbol
}
export interface IncidentIdBrand {
  readonly IncidentId: unique symbol
}
export interface ChangeIdBrand {
  readonly ChangeId: unique symbol
}

// codecs

export const ContractId = t.brand(t.string, (s): s is t.Branded<string, ContractIdBrand> => isId(s), 'ContractId')
export type ContractId = t.TypeOf<typeof ContractId>

export const TicketId = t.brand(t.string, (s): s is t.Branded<string, TicketIdBrand> => isId(s), 'TicketId')
export type TicketId = t.TypeOf<typeof TicketId>

export const IncidentId = t.brand(t.string, (s): s is t.Branded<string, IncidentIdBrand> => isId(s), 'IncidentId')
export type IncidentId = t.TypeOf<typeof IncidentId>

/** A customization (a change priced against the budget). */
export const ChangeId = t.brand(t.string, (s): s is t.Branded<string, ChangeIdBrand> => isId(s), 'ChangeId')
export type ChangeId = t.TypeOf<typeof ChangeId>

// constructors

const idOf =
  <A>(kind: ValueKind, codec: t.Type<A, string, unknown>) =>
  (s: string): E.Either<InvalidValue, A> =>
    codec.is(s) ? E.right(s) : E.left(invalidValue(kind, s, s.length === 0 ? 'empty' : `longer than ${maxIdLength} characters`))

/** `contractIdOf('SUP-2026-001')`; empty or longer than 128 characters is an `InvalidValue`. */
export const contractIdOf: (s: string) => E.Either<InvalidValue, ContractId> = idOf('ContractId', ContractId)
/** `ticketIdOf('T-42')`; empty or longer than 128 characters is an `InvalidValue`. */
export const ticketIdOf: (s: string) => E.Either<InvalidValue, TicketId> = idOf('TicketId', TicketId)
/** `incidentIdOf('INC-7')`; empty or longer than 128 characters is an `InvalidValue`. */
export const incidentIdOf: (s: string) => E.Either<InvalidValue, IncidentId> = idOf('IncidentId', IncidentId)
/** `changeIdOf('CH-3')`; empty or longer than 128 characters is an `InvalidValue`. */
export const changeIdOf: (s: string) => E.Either<InvalidValue, ChangeId> = idOf('ChangeId', ChangeId)
