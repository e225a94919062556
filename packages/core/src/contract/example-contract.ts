/** An example contract's terms: the one the tests, the examples and the benchmark all start from. */
import type { ContractId, ContractTerms, LocalDate, Tiyn, BasisPoints } from './contract-terms.js'

// constructors

/** A year-long contract on the Kazakh calendar worth 100 million KZT, with the default 15% cap; override what a case needs. */
export const exampleContractTerms = (overrides: Partial<ContractTerms> = {}): ContractTerms => ({
  contractId: 'C-2026-001' as ContractId,
  parties: {
    customer: { name: 'Customer LLP', people: ['aigerim'] },
    supplier: { name: 'Supplier LLP', people: ['daniyar'] },
  },
  product: 'Product',
  term: { start: '2026-01-01' as LocalDate, end: '2026-12-31' as LocalDate },
  timeZone: 'Asia/Almaty',
  value: 10_000_000_000 as Tiyn,
  customizationCapBps: 1500 as BasisPoints,
  calendarId: 'kz-5day',
  deliveryCadence: 'quarterly',
  ...overrides,
})
