/** The checks every aggregate of the contract makes first: the right party, person and role, and the contract in force. */
import * as E from 'fp-ts/lib/Either.js'
import { DateTime } from 'luxon'
import type { Instant } from '../kernel/instant.js'
import type { Actor, Party } from '../kernel/recorded-event.js'
import type { ContractNotInForce, ContractTerms, Parties, PersonNotListed, RoleNotHeld, WrongParty } from './contract-terms.js'
import type { LocalDate } from '../values/local-date.js'
import { personId, rolesOf, whoMayAct, type ContractCommandName, type RolesNeeded } from './people-and-roles.js'

// operations

/** The calendar date of an instant in a time zone. */
export const localDateAt = (at: Instant, timeZone: string): LocalDate =>
  DateTime.fromISO(at, { zone: 'utc' }).setZone(timeZone).toISODate() as LocalDate

/** The first instant of a local date in a time zone. */
export const startOfLocalDate = (date: LocalDate, timeZone: string): Instant =>
  DateTime.fromISO(date, { zone: timeZone }).startOf('day').toUTC().toISO() as Instant

/** The last millisecond of a local date in a time zone: deadlines "by the end of the day" use it. */
export const endOfLocalDate = (date: LocalDate, timeZone: string): Instant =>
  DateTime.fromISO(date, { zone: timeZone }).endOf('day').toUTC().toISO() as Instant

/** The date `days` calendar days after `date`. */
export const addDays = (date: LocalDate, days: number): LocalDate =>
  DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() as LocalDate

/** Refuses a command given by a party not in `expected`. */
export const requireParty = (command: string, actor: Actor, expected: ReadonlyArray<Party>): E.Either<WrongParty, void> =>
  expected.includes(actor.party)
    ? E.right(undefined)
    : E.left({
        _tag: 'WrongParty',
        message: `${command} must come from the ${expected.join(' or ')}, not the ${actor.party} (${actor.id})`,
        command,
        expected,
        actual: actor,
      })

/**
 * Refuses a command unless its actor is one of the people the contract lists for a party that
 * may give it (`whoMayAct`), holding the role it needs. `parties` are those in force at the
 * command's time, so a person of another contract, or one who left, is refused.
 */
export const requireActor = (
  command: ContractCommandName,
  actor: Actor,
  contract: { readonly contractId: string; readonly parties: Parties },
): E.Either<WrongParty | PersonNotListed | RoleNotHeld, void> => {
  // A command the table does not know (only a caller past the codecs can give one) is nobody's to give.
  const needed: RolesNeeded = (whoMayAct as Readonly<Record<string, RolesNeeded>>)[command] ?? {}
  const party = actor.party === 'system' ? undefined : actor.party
  const role = party === undefined ? undefined : needed[party]
  if (party === undefined || role === undefined) {
    return requireParty(command, actor, Object.keys(needed) as ReadonlyArray<Party>)
  }
  const person = contract.parties[party].people.find((p) => personId(p) === actor.id)
  if (person === undefined) {
    return E.left({
      _tag: 'PersonNotListed',
      message: `${command}: ${actor.id} is not listed for the ${party} in contract ${contract.contractId}`,
      command,
      contractId: contract.contractId,
      actor,
    })
  }
  return rolesOf(person).includes(role)
    ? E.right(undefined)
    : E.left({
        _tag: 'RoleNotHeld',
        message: `${command}: ${actor.id} acts for the ${party} in contract ${contract.contractId} but does not hold the role ${role}`,
        command,
        contractId: contract.contractId,
        actor,
        role,
      })
}

/** Refuses a command whose instant falls outside the contract's term (dates inclusive, in the contract's zone). */
export const requireInForce = (terms: ContractTerms, at: Instant): E.Either<ContractNotInForce, void> => {
  const day = localDateAt(at, terms.timeZone)
  return day >= terms.term.start && day <= terms.term.end
    ? E.right(undefined)
    : E.left({
        _tag: 'ContractNotInForce',
        message: `contract ${terms.contractId} is not in force on ${day} (term ${terms.term.start} to ${terms.term.end})`,
        contractId: terms.contractId,
        at,
        term: { start: terms.term.start, end: terms.term.end },
      })
}

/** The actor's checks, then the term: who is asking, then whether the contract allows it at all. */
export const requireActorInForce = (
  command: ContractCommandName,
  actor: Actor,
  terms: ContractTerms,
  at: Instant,
): E.Either<WrongParty | PersonNotListed | RoleNotHeld | ContractNotInForce, void> => {
  const who = requireActor(command, actor, terms)
  return E.isLeft(who) ? who : requireInForce(terms, at)
}

/** Both checks, in the order a reader expects: who is asking, then whether the contract allows it at all. */
export const requirePartyInForce = (
  command: string,
  actor: Actor,
  expected: ReadonlyArray<Party>,
  terms: ContractTerms,
  at: Instant,
): E.Either<WrongParty | ContractNotInForce, void> =>
  E.isLeft(requireParty(command, actor, expected)) ? requireParty(command, actor, expected) : requireInForce(terms, at)
