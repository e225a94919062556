/**
 * Who can be mailed on a contract: the people the contract lists, with their party, roles, address and language.
 * The one place this package reads the contract's terms; recipients and senders are resolved here and nowhere else.
 */
import type { ContractTerms } from '@support-ledger/core'
import * as A from 'fp-ts/lib/Array.js'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { addressKey, mailAddress, MailAddress, type HeaderError } from './mail-address.js'
import { MailLocale } from './mail-locale.js'

// model

/** The side of the contract a contact belongs to. */
export const ContactParty = t.keyof({ customer: null, supplier: null }, 'ContactParty')
export type ContactParty = t.TypeOf<typeof ContactParty>

/**
 * A person of the contract who can be mailed. `roles` are the contract's roles for that person; the default
 * policy uses `contact` (customer), and `support`, `on-call`, `manager` (supplier).
 */
export const Contact = t.readonly(
  t.intersection([
    t.type({ personId: t.string, party: ContactParty, name: t.string, address: MailAddress, roles: t.readonlyArray(t.string) }),
    t.partial({ locale: MailLocale }),
  ]),
  'Contact',
)
export type Contact = t.TypeOf<typeof Contact>

/** Everything the mails of one contract need to know about it. */
export const ContractContacts = t.readonly(
  t.type({
    contractId: t.string,
    /** The contract's language: the default for a person without one. */
    language: MailLocale,
    timeZone: t.string,
    customerName: t.string,
    supplierName: t.string,
    people: t.readonlyArray(Contact),
  }),
  'ContractContacts',
)
export type ContractContacts = t.TypeOf<typeof ContractContacts>

/** What a contact entry says before it is checked. */
export interface ContactEntry {
  readonly personId: string
  readonly party: ContactParty
  readonly name: string
  readonly address: string
  readonly roles: ReadonlyArray<string>
  readonly locale?: MailLocale
}

/** A contact names a person the contract does not list for that party. */
export interface PersonNotOnContract {
  readonly _tag: 'PersonNotOnContract'
  readonly message: string
  readonly field: string
  readonly personId: string
  readonly party: ContactParty
}

/**
 * A contact list that cannot be used: an address that cannot be written in a header, or a person the contract does not
 * list.
 */
export type ContactsInvalid = HeaderError | PersonNotOnContract

// constructors

/**
 * The contacts of a contract from its terms in force and an address for each person: a person the
 * contract does not list, a malformed address or a line break in a name is a typed error naming the field.
 */
export const contractContacts = (
  terms: ContractTerms,
  language: MailLocale,
  entries: ReadonlyArray<ContactEntry>,
): E.Either<ContactsInvalid, ContractContacts> =>
  pipe(
    [...entries],
    A.traverseWithIndex(E.Applicative)((i, entry) => checkEntry(terms, `people[${i}]`, entry)),
    E.map((people) => ({
      contractId: terms.contractId,
      language,
      timeZone: terms.timeZone,
      customerName: terms.parties.customer.name,
      supplierName: terms.parties.supplier.name,
      people,
    })),
  )

/** The ids a party lists: a person is listed by id, or (with roles) as `{ id, roles }`. */
const listedIds = (people: ReadonlyArray<unknown>): ReadonlyArray<string> =>
  people.map((p) => (typeof p === 'string' ? p : typeof p === 'object' && p !== null && typeof (p as { id?: unknown }).id === 'string' ? (p as { id: string }).id : ''))

const checkEntry = (terms: ContractTerms, field: string, entry: ContactEntry): E.Either<ContactsInvalid, Contact> => {
  if (!listedIds(terms.parties[entry.party].people).includes(entry.personId)) {
    return E.left({
      _tag: 'PersonNotOnContract',
      message: `${field}: ${entry.personId} is not a ${entry.party} person of contract ${terms.contractId}`,
      field: `${field}.personId`,
      personId: entry.personId,
      party: entry.party,
    })
  }
  return pipe(
    mailAddress(`${field}.address`, entry.address),
    E.chainW((address) => (/[\r\n\0]/.test(entry.name) ? E.left(nameBreak(field)) : E.right(address))),
    E.map((address) => ({
      personId: entry.personId,
      party: entry.party,
      name: entry.name,
      address,
      roles: entry.roles,
      ...(entry.locale === undefined ? {} : { locale: entry.locale }),
    })),
  )
}

const nameBreak = (field: string): HeaderError => ({ _tag: 'HeaderInjection', message: `${field}.name contains a line break`, field: `${field}.name` })

// operations

/** The people of `party` holding `role`. */
export const contactsWithRole = (contacts: ContractContacts, party: ContactParty, role: string): ReadonlyArray<Contact> =>
  contacts.people.filter((p) => p.party === party && p.roles.includes(role))

/** The contact of a listed person, if they have one. */
export const contactById = (contacts: ContractContacts, personId: string): Contact | undefined =>
  contacts.people.find((p) => p.personId === personId)

/** The customer people whose address is `address`, across the given contracts. */
export const customerContactsByAddress = (
  directory: ReadonlyArray<ContractContacts>,
  address: string,
): ReadonlyArray<{ readonly contacts: ContractContacts; readonly person: Contact }> => {
  const key = addressKey(address)
  return directory.flatMap((contacts) =>
    contacts.people.filter((p) => p.party === 'customer' && addressKey(p.address) === key).map((person) => ({ contacts, person })),
  )
}

/** The language a person reads: their own, else the contract's. */
export const localeOf = (contacts: ContractContacts, person: Contact): MailLocale => person.locale ?? contacts.language
