/** The rule that joins the Contract and the budget: an amendment may not set the cap below what is already committed. */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { AmendContract } from '../contract/contract-commands.js'
import { contractDecider, termsAt, type ContractState } from '../contract/contract-decider.js'
import type { ContractError } from '../contract/contract-errors.js'
import { contractStreamId, type ContractEvent } from '../contract/contract-events.js'
import { fold } from '../kernel/decider.js'
import type { AppendError, AppendResult, EventStore, ReadError } from '../kernel/event-store.js'
import type { EventMetadata } from '../kernel/recorded-event.js'
import { budgetDecider, requireCapCoversCommitments, type BudgetState } from './budget-decider.js'
import type { CommitmentsExceedAmendedCap } from './budget-errors.js'
import { budgetStreamId, type BudgetEvent } from './budget-events.js'

// operations

/**
 * Decides an amendment with the budget in view: the Contract decides it as usual, then the terms
 * it would put in force at its effective instant must leave a cap at or above the committed sum.
 */
export const decideAmendmentWithinBudget = (
  command: AmendContract,
  contract: ContractState,
  budget: BudgetState,
): E.Either<ContractError | CommitmentsExceedAmendedCap, ReadonlyArray<ContractEvent>> => {
  const decided = contractDecider.decide(command, contract)
  if (E.isLeft(decided)) return decided
  const after = fold(contractDecider, decided.right, contract)
  for (const event of decided.right) {
    if (event.type !== 'ContractAmended') continue
    // Amendments already recorded to take effect later combine with this one (one may set the value, the other the share):
    // the cap must hold at each of their effective instants too.
    const later = after.status === 'registered' ? after.amendments.filter((a) => a.effectiveAt > event.data.effectiveAt).map((a) => a.effectiveAt) : []
    for (const at of [event.data.effectiveAt, ...later]) {
      const amended = termsAt(after, at)
      if (amended === undefined) continue
      const fits = requireCapCoversCommitments(budget, amended)
      if (E.isLeft(fits)) return fits
    }
  }
  return decided
}

/**
 * The application service: reads the budget, then amends the contract at the version it read.
 * The budget is read first; an approval recorded between the read and the append is not seen
 * (see docs/decisions/0201 for why that window is accepted).
 */
export const amendContractWithinBudget =
  (deps: { readonly contracts: EventStore<ContractEvent>; readonly budgets: EventStore<BudgetEvent> }) =>
  (command: AmendContract, metadata: EventMetadata): TaskEither<ReadError | AppendError | ContractError | CommitmentsExceedAmendedCap, AppendResult | undefined> =>
  async () => {
    const budget = await deps.budgets.readStream(budgetStreamId(command.contractId))()
    if (E.isLeft(budget)) return budget
    const contract = await deps.contracts.readStream(contractStreamId(command.contractId))()
    if (E.isLeft(contract)) return contract
    const decided = decideAmendmentWithinBudget(command, fold(contractDecider, contract.right.events), fold(budgetDecider, budget.right.events))
    if (E.isLeft(decided)) return decided
    if (decided.right.length === 0) return E.right(undefined)
    return deps.contracts.append(
      contractStreamId(command.contractId),
      decided.right.map((event) => ({ event, metadata })),
      { expectedVersion: contract.right.version },
    )()
  }
