/** A contract to start tests, examples and benchmarks from: a year on the Kazakh calendar worth 100 million KZT. */
import type { Instant } from '../kernel/instant.js'
import type { Actor } from '../kernel/recorded-event.js'
import { countersignContract, registerContract, type CountersignContract, type RegisterContract } from '../contract/contract-commands.js'
import type { ContractId } from '../values/domain-ids.js'
import type { LocalDate } from '../values/local-date.js'
import type { Tiyn } from '../values/money.js'

// constructors

/** The customer's person in the example contract, holding every role of its party. */
export const exampleCustomer: Actor = { party: 'customer', id: 'aigerim' }
/** The supplier's person in the example contract, holding every role of its party. */
export const exampleSupplier: Actor = { party: 'supplier', id: 'daniyar' }

/** Registers contract `C-2024-001`, 2024-01-01 to 2026-12-31, on `kz-5day`; override what a case needs. */
export const exampleRegistration = (overrides: Partial<RegisterContract> = {}): RegisterContract =>
  registerContract({
    contractId: 'C-2024-001' as ContractId,
    parties: {
      customer: { name: 'Customer LLP', people: ['aigerim'] },
      supplier: { name: 'Supplier LLP', people: ['daniyar'] },
    },
    product: 'Product',
    term: { start: '2024-01-01' as LocalDate, end: '2026-12-31' as LocalDate },
    timeZone: 'Asia/Almaty',
    value: 10_000_000_000 as Tiyn,
    calendarId: 'kz-5day',
    actor: exampleSupplier,
    at: '2023-12-20T05:00:00.000Z' as Instant,
    ...overrides,
  })

/** The customer's countersignature on `exampleRegistration()`, a day after the supplier proposed it. */
export const exampleCountersignature = (overrides: Partial<CountersignContract> = {}): CountersignContract =>
  countersignContract({ contractId: 'C-2024-001' as ContractId, actor: exampleCustomer, at: '2023-12-21T05:00:00.000Z' as Instant, ...overrides })
