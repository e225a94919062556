/** The terms of a contract in force at an instant: the seam between the Contract aggregate and every other one. */
import * as t from 'io-ts'
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor, Party } from '../kernel/recorded-event.js'
import { BasisPoints } from './basis-points.js'
import { ContractPolicy } from './contract-policy.js'
import { ListedPerson, type ContractRole } from './people-and-roles.js'

// model

/** An amount of tenge in tiyn (1 KZT = 100 tiyn): a safe integer, never a float. */
export interface TiynBrand {
  readonly Tiyn: unique symbol
}
/**
 * Money: a whole number of tiyn (1 KZT = 100 tiyn), so sums and caps never round. Negative amounts decode; where only
 * a positive amount makes sense the codec is `PositiveTiyn`.
 *
 * @example
 * Tiyn.decode(123456) // Right: 1 234,56 KZT
 */
export const Tiyn = t.brand(t.number, (n): n is t.Branded<number, TiynBrand> => Number.isSafeInteger(n), 'Tiyn')
export type Tiyn = t.TypeOf<typeof Tiyn>

/** An amount above zero: a contract's value, an estimate. Commands take it (the type stays `Tiyn`); 0 or less means nothing. */
export const PositiveTiyn = t.refinement(Tiyn, (n) => n > 0, 'PositiveTiyn')

export { BasisPoints, type BasisPointsBrand } from './basis-points.js'

/** The brand that marks a string as a checked `ContractId`. */
export interface ContractIdBrand {
  readonly ContractId: unique symbol
}
/**
 * A contract's id, 1 to 128 characters, as the parties number it (e.g. `C-2024-001`). Every stream of the contract is
 * keyed by it.
 */
export const ContractId = t.brand(
  t.string,
  (s): s is t.Branded<string, ContractIdBrand> => s.length > 0 && s.length <= 128,
  'ContractId',
)
export type ContractId = t.TypeOf<typeof ContractId>

/** A calendar date `YYYY-MM-DD` in the contract's time zone. */
export interface LocalDateBrand {
  readonly LocalDate: unique symbol
}
/**
 * A calendar date `YYYY-MM-DD` that exists (no 2025-02-30), read in the contract's time zone.
 *
 * @example
 * LocalDate.decode('2025-03-08') // Right
 * LocalDate.decode('2025-3-8') // Left
 */
export const LocalDate = t.brand(
  t.string,
  (s): s is t.Branded<string, LocalDateBrand> =>
    /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  'LocalDate',
)
export type LocalDate = t.TypeOf<typeof LocalDate>

/** One party: its organisation and the people allowed to act for it, each with the roles they hold. */
export const PartyPeople = t.readonly(t.type({ name: t.string, people: t.readonlyArray(ListedPerson) }), 'PartyPeople')
export type PartyPeople = t.TypeOf<typeof PartyPeople>

/** The parties: each side's organisation and the people allowed to act for it. */
export const Parties = t.readonly(
  t.type({
    customer: PartyPeople,
    supplier: PartyPeople,
  }),
  'Parties',
)
export type Parties = t.TypeOf<typeof Parties>

/**
 * Everything another aggregate needs to know about its contract at one instant. The
 * application loads the Contract aggregate, takes `termsAt(instant)` and passes them in
 * the command, so deciders stay pure and amendments apply only from their effective date.
 */
export const ContractTerms = t.readonly(
  t.type({
    contractId: ContractId,
    parties: Parties,
    product: t.string,
    /** First and last day of the term, inclusive, in `timeZone`. */
    term: t.readonly(t.type({ start: LocalDate, end: LocalDate })),
    timeZone: t.string,
    /** Total contract value in force. */
    value: Tiyn,
    /** Customization cap, basis points of `value`. Default 1500. */
    customizationCapBps: BasisPoints,
    /** Business calendar in force (see `calendar/`). */
    calendarId: t.string,
    deliveryCadence: t.literal('quarterly'),
    /** The rules the contract does not state in numbers, as agreed or by default (see `contract-policy.ts`). */
    policy: ContractPolicy,
  }),
  'ContractTerms',
)
export type ContractTerms = t.TypeOf<typeof ContractTerms>

// errors shared by every aggregate of the contract

/** The command came from a party that may not give it. */
export interface WrongParty extends DomainError<'WrongParty'> {
  readonly command: string
  readonly expected: ReadonlyArray<Party>
  readonly actual: Actor
}

/** The actor is not one of the people the contract lists for their party (a person of another contract, or nobody's). */
export interface PersonNotListed extends DomainError<'PersonNotListed'> {
  readonly command: string
  readonly contractId: string
  readonly actor: Actor
}

/** The actor is listed for their party but does not hold the role the command needs. */
export interface RoleNotHeld extends DomainError<'RoleNotHeld'> {
  readonly command: string
  readonly contractId: string
  readonly actor: Actor
  readonly role: ContractRole
}

/** The contract is not in force at the command's time (before its start or after its end). */
export interface ContractNotInForce extends DomainError<'ContractNotInForce'> {
  readonly contractId: string
  readonly at: Instant
  readonly term: { readonly start: string; readonly end: string }
}
