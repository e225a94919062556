/** The example contract's terms in force, for tests, examples and benchmarks that need terms rather than a registration. */
import * as E from 'fp-ts/lib/Either.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { RegisterContract } from './contract-commands.js'
import { contractDecider, termsAt } from './contract-decider.js'
import { exampleRegistration } from './contract-fixtures.js'
import type { ContractTerms } from './contract-terms.js'

// constructors

/** The terms of `exampleRegistration` (with `overrides`) as the Contract aggregate puts them in force at its start. */
export const exampleContractTerms = (overrides: Partial<RegisterContract> = {}): ContractTerms => {
  const registration = exampleRegistration(overrides)
  const decided = contractDecider.decide(registration, contractDecider.initialState)
  if (E.isLeft(decided)) throw new Error(decided.left.message)
  const terms = termsAt(fold(contractDecider, decided.right), `${registration.term.start}T00:00:00.000Z` as Instant)
  if (terms === undefined) throw new Error('the example contract has no terms')
  return terms
}
