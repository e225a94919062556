/** The rule that joins tickets and the budget: a modernization request is a customization, so the cap must count it before its result is handed over. */
import * as E from 'fp-ts/lib/Either.js'
import type { DomainError } from '../kernel/domain-error.js'
import type { Instant } from '../kernel/instant.js'
import type { ContractState } from '../contract/contract-decider.js'
import { termsAt } from '../contract/contract-decider.js'
import type { LaterCap } from './budget-commands.js'
import { customizationCap, type BudgetChange, type BudgetState } from './budget-decider.js'

// model

/** A modernization request's result is handed over with no approved change pricing it: work the cap would not count. */
export interface CustomizationNotApproved extends DomainError<'CustomizationNotApproved'> {
  readonly ticketId: string
}

// operations

/** The approved (or delivered, or accepted) change that prices a modernization request, or the refusal. */
export const requireApprovedChangeFor = (budget: BudgetState, ticketId: string): E.Either<CustomizationNotApproved, BudgetChange> => {
  const change = [...budget.changes.values()].find((c) => c.ticketId === ticketId && (c.status === 'approved' || c.status === 'delivered' || c.status === 'accepted'))
  return change !== undefined
    ? E.right(change)
    : E.left({
        _tag: 'CustomizationNotApproved',
        message: `ticket ${ticketId} asks for a modernization: a customization whose result is handed over only once the customer approved a change estimated for it (EstimateChange with ticketId ${ticketId})`,
        ticketId,
      })
}

/** The caps of the amendments recorded to take effect after `at`: what an approval at `at` must also fit. */
export const laterCapsOf = (contract: ContractState, at: Instant): ReadonlyArray<LaterCap> => {
  if (contract.status !== 'registered') return []
  const out: LaterCap[] = []
  for (const a of contract.amendments) {
    if (a.effectiveAt <= at) continue
    const terms = termsAt(contract, a.effectiveAt)
    if (terms !== undefined) out.push({ effectiveAt: a.effectiveAt, cap: customizationCap(terms) as LaterCap['cap'] })
  }
  return out
}
