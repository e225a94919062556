/**
 * The one way to change a contract: every contract command is decided with the budget in view, so an
 * amendment may never set the cap below what is already committed, whether proposed or countersigned.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { ContractCommand } from '../contract/contract-commands.js'
import { contractDecider, termsAt, type ContractState } from '../contract/contract-decider.js'
import type { ContractError } from '../contract/contract-errors.js'
import { contractStreamId, type ContractEvent } from '../contract/contract-events.js'
import { commandHandler, type CommandHandlerOptions, type HandledCommand, type HandleOptions } from '../kernel/command-handler.js'
import { fold, type Decider } from '../kernel/decider.js'
import type { AppendError, EventStore, ReadError } from '../kernel/event-store.js'
import type { EventMetadata } from '../kernel/recorded-event.js'
import { loadState, type SnapshotStore } from '../kernel/snapshot-store.js'
import { budgetDecider, budgetSnapshots, initialBudgetState, requireCapCoversCommitments, type BudgetState } from './budget-decider.js'
import type { CommitmentsExceedAmendedCap } from './budget-errors.js'
import { budgetStreamId, type BudgetEvent } from './budget-events.js'

// model

/** A contract command with the budget as the application read it. */
export interface ContractCommandWithBudget {
  readonly command: ContractCommand
  readonly budget: BudgetState
}

/**
 * Every way a contract command is refused: by the contract aggregate, or because an amended cap would fall below what
 * is already committed.
 */
export type ContractCommandError = ContractError | CommitmentsExceedAmendedCap

/** The stores a contract command reads: the contract, and the budget that an amendment of the cap must still cover. */
export interface ContractCommandDeps {
  readonly contracts: EventStore<ContractEvent>
  readonly budgets: EventStore<BudgetEvent>
  readonly options?: CommandHandlerOptions
  /** Where the budget stream's snapshots are kept; without, an amendment folds the whole budget stream. */
  readonly snapshots?: SnapshotStore
}

/** `metadata` defaults to the command's actor and time; an entrance that judged the time passes its own. */
export type ContractCommandHandler = (
  command: ContractCommand,
  options?: HandleOptions,
  metadata?: EventMetadata,
) => TaskEither<ContractCommandError | AppendError | ReadError, HandledCommand<ContractState, ContractEvent>>

// operations

/** The contract as it would stand if the amendment just proposed were countersigned too. */
const asIfSigned = (after: ContractState, amendmentId: string): ContractState => {
  if (after.status !== 'registered') return after
  const proposal = after.pending.find((p) => p.amendmentId === amendmentId)
  if (proposal === undefined) return after
  return contractDecider.evolve(after, { type: 'AmendmentCountersigned', data: { contractId: proposal.contractId, amendmentId, countersignedBy: proposal.proposedBy, at: proposal.at } })
}

/**
 * Decides a contract command as the Contract does, then, for an amendment (proposed or
 * countersigned), checks that the terms it puts in force at its effective instant, and at the
 * effective instant of every amendment signed to take effect later (one may set the value, another
 * the share), leave a cap at or above the committed sum.
 */
export const decideAmendmentWithinBudget = (
  command: ContractCommand,
  contract: ContractState,
  budget: BudgetState,
): E.Either<ContractCommandError, ReadonlyArray<ContractEvent>> => {
  const decided = contractDecider.decide(command, contract)
  if (E.isLeft(decided) || (command.type !== 'AmendContract' && command.type !== 'CountersignAmendment')) return decided
  const after = asIfSigned(fold(contractDecider, decided.right, contract), command.amendmentId)
  if (after.status !== 'registered') return decided
  const amended = after.amendments.find((a) => a.amendmentId === command.amendmentId)
  if (amended === undefined) return decided
  const later = after.amendments.filter((a) => a.effectiveAt > amended.effectiveAt).map((a) => a.effectiveAt)
  for (const at of [amended.effectiveAt, ...later]) {
    const terms = termsAt(after, at)
    if (terms === undefined) continue
    const fits = requireCapCoversCommitments(budget, terms)
    if (E.isLeft(fits)) return fits
  }
  return decided
}

/** The Contract's decider with the budget carried in the command: what the one contract handler runs. */
export const contractWithinBudgetDecider: Decider<ContractCommandWithBudget, ContractState, ContractEvent, ContractCommandError> = {
  initialState: contractDecider.initialState,
  evolve: contractDecider.evolve,
  decide: (c, state) => decideAmendmentWithinBudget(c.command, state, c.budget),
}

/**
 * Handles every contract command, registration and amendments alike: reads the budget (for an
 * amendment), then decides and appends at the contract version it read. An approval recorded
 * between the budget read and the append is not seen (see docs/decisions/0201).
 */
export const contractCommandHandler = (deps: ContractCommandDeps): ContractCommandHandler => {
  const handler = commandHandler(deps.contracts, contractWithinBudgetDecider, deps.options)
  return (command, options, metadata) => async () => {
    let budget = initialBudgetState
    if (command.type === 'AmendContract' || command.type === 'CountersignAmendment') {
      const streamId = budgetStreamId(command.contractId)
      if (deps.snapshots === undefined) {
        const slice = await deps.budgets.readStream(streamId)()
        if (E.isLeft(slice)) return slice
        budget = fold(budgetDecider, slice.right.events)
      } else {
        const loaded = await loadState(deps.budgets, budgetDecider, deps.snapshots, budgetSnapshots)(streamId)()
        if (E.isLeft(loaded)) return loaded
        budget = loaded.right.state
      }
    }
    return handler(contractStreamId(command.contractId), { command, budget }, metadata ?? { actor: command.actor, at: command.at }, { ...options, contractId: command.contractId })()
  }
}
