import { type ContractTerms } from '@support-ledger/core'
import { exampleRegistration } from '@support-ledger/core/testing'
import { describe, expect, it } from 'vitest'
import { contractContacts } from './contract-contacts.js'

const registration = exampleRegistration()
const terms = {
  contractId: registration.contractId,
  parties: registration.parties,
  product: registration.product,
  term: registration.term,
  timeZone: registration.timeZone,
  value: registration.value,
  customizationCapBps: 1500,
  calendarId: registration.calendarId,
  deliveryCadence: 'quarterly',
} as unknown as ContractTerms

describe('contract contacts', () => {
  it('takes the people the contract lists, with their party, roles and language', () => {
    const contacts = contractContacts(terms, 'ru', [
      { personId: 'aigerim', party: 'customer', name: 'Айгерим', address: 'aigerim@customer.kz', roles: ['contact'], locale: 'kk' },
      { personId: 'daniyar', party: 'supplier', name: 'Daniyar', address: 'daniyar@supplier.kz', roles: ['support'] },
    ])
    expect(contacts).toMatchObject({ _tag: 'Right', right: { contractId: terms.contractId, language: 'ru', timeZone: 'Asia/Almaty', people: [{ personId: 'aigerim', locale: 'kk' }, { personId: 'daniyar' }] } })
  })

  it('refuses a person the contract does not list for that party, a malformed address or a name with a line break, naming the field', () => {
    expect(contractContacts(terms, 'ru', [{ personId: 'aigerim', party: 'supplier', name: 'A', address: 'a@b.kz', roles: [] }])).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'PersonNotOnContract', field: 'people[0].personId', personId: 'aigerim', party: 'supplier' },
    })
    expect(
      contractContacts(terms, 'ru', [
        { personId: 'aigerim', party: 'customer', name: 'A', address: 'a@b.kz', roles: [] },
        { personId: 'daniyar', party: 'supplier', name: 'D', address: 'daniyar at supplier', roles: [] },
      ]),
    ).toMatchObject({ _tag: 'Left', left: { _tag: 'MalformedAddress', field: 'people[1].address' } })
    expect(contractContacts(terms, 'ru', [{ personId: 'aigerim', party: 'customer', name: 'A\r\nBcc: x@y.kz', address: 'a@b.kz', roles: [] }])).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'HeaderInjection', field: 'people[0].name' },
    })
  })
})
