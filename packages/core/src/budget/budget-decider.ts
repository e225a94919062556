/** The customization budget decider: approvals never take approved plus spent above the cap in force. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { requireActor, requireActorInForce } from '../contract/command-guards.js'
import type { ContractTerms } from '../contract/contract-terms.js'
import { Tiyn } from '../values/money.js'
import type { Decider } from '../kernel/decider.js'
import { Instant } from '../kernel/instant.js'
import { readonlyMapFromEntries } from '../kernel/collection-codecs.js'
import type { SnapshotPolicy } from '../kernel/snapshot-store.js'
import { defaultCapWarningThresholdsBps, type BudgetCommand } from './budget-commands.js'
import type { BudgetError, CommitmentsExceedAmendedCap } from './budget-errors.js'
import type { BudgetEvent } from './budget-events.js'
import { ChangeId } from '../values/domain-ids.js'
import { earlierThanHistory } from '../kernel/earlier-than-history.js'

// model

/**
 * Where a paid change stands: estimated, approved (committed against the cap), delivered, accepted (spent) or
 * cancelled.
 */
export type ChangeStatus = 'estimated' | 'approved' | 'delivered' | 'accepted' | 'cancelled'

/** One paid change as the budget tracks it: its amount and status. */
export interface BudgetChange {
  readonly changeId: ChangeId
  readonly title: string
  readonly amount: Tiyn
  readonly status: ChangeStatus
  /** When its latest step was recorded: a later step may not be dated before it. */
  readonly last: Instant
  /** The modernization request it prices, if any. */
  readonly ticketId?: string
}

/** A contract's modernization budget: its changes, the sums committed and spent, and the cap warnings already given. */
export interface BudgetState {
  readonly changes: ReadonlyMap<string, BudgetChange>
  /** Approved or delivered, not yet accepted. */
  readonly approvedOpen: number
  /** Accepted. */
  readonly spent: number
  /** Warning thresholds already announced and still passed. */
  readonly warned: ReadonlyArray<number>
}

/** The budget state as a snapshot keeps it: the changes as a JSON array of entries. */
export const BudgetState: t.Type<BudgetState, unknown, unknown> = t.readonly(
  t.type({
    changes: readonlyMapFromEntries(
      t.string,
      t.readonly(t.intersection([
        t.type({
          changeId: ChangeId,
          title: t.string,
          amount: Tiyn,
          status: t.keyof({ estimated: null, approved: null, delivered: null, accepted: null, cancelled: null }),
          last: Instant,
        }),
        t.partial({ ticketId: t.string }),
      ])),
    ),
    approvedOpen: t.number,
    spent: t.number,
    warned: t.readonlyArray(t.number),
  }),
  'BudgetState',
)

/**
 * How a budget stream is snapshotted: a budget command, an amendment and a modernization's
 * result fold only the events after the latest snapshot. Bump the version when `evolveBudget`
 * or the state changes.
 */
export const budgetSnapshots: SnapshotPolicy<BudgetState> = { name: 'budget', version: 'budget-1', codec: BudgetState }

/** The state of a budget stream with no events: nothing committed or spent. */
export const initialBudgetState: BudgetState = { changes: new Map(), approvedOpen: 0, spent: 0, warned: [] }

// operations

/** The cap in force: value × capBps / 10000, rounded down so the cap never exceeds the exact fraction. BigInt keeps large values exact. */
export const customizationCap = (terms: Pick<ContractTerms, 'value' | 'customizationCapBps'>): number =>
  Number((BigInt(terms.value) * BigInt(terms.customizationCapBps)) / 10_000n)

/** Approved plus spent: what the cap is measured against. */
export const committed = (state: BudgetState): number => state.approvedOpen + state.spent

/** True when `amount` is at or past `thresholdBps` of `cap`, in exact integer arithmetic. */
const reaches = (amount: number, thresholdBps: number, cap: number): boolean => BigInt(amount) * 10_000n >= BigInt(thresholdBps) * BigInt(cap)

const withChange = (state: BudgetState, changeId: string, at: Instant, f: (c: BudgetChange) => BudgetChange): ReadonlyMap<string, BudgetChange> => {
  const current = state.changes.get(changeId)
  if (current === undefined) return state.changes
  const next = new Map(state.changes)
  const changed = f(current)
  next.set(changeId, { ...changed, last: at > changed.last ? at : changed.last })
  return next
}

/** Applies one budget event to the state. */
export const evolveBudget = (state: BudgetState, event: BudgetEvent): BudgetState => {
  const d = event.data
  switch (event.type) {
    case 'ChangeEstimated': {
      const next = new Map(state.changes)
      next.set(d.changeId, { changeId: event.data.changeId, title: event.data.title, amount: event.data.amount, status: 'estimated', last: d.at, ...(event.data.ticketId === undefined ? {} : { ticketId: event.data.ticketId }) })
      return { ...state, changes: next }
    }
    case 'ChangeApproved':
      return { ...state, changes: withChange(state, d.changeId, d.at, (c) => ({ ...c, status: 'approved' })), approvedOpen: state.approvedOpen + event.data.amount }
    case 'CapWarningReached':
      return { ...state, warned: [...new Set([...state.warned, event.data.thresholdBps])].sort((a, b) => a - b) }
    case 'ChangeDelivered':
      return { ...state, changes: withChange(state, d.changeId, d.at, (c) => ({ ...c, status: 'delivered' })) }
    case 'ChangeAccepted':
      return {
        ...state,
        changes: withChange(state, d.changeId, d.at, (c) => ({ ...c, status: 'accepted' })),
        approvedOpen: state.approvedOpen - event.data.amount,
        spent: state.spent + event.data.amount,
      }
    case 'ChangeCancelled': {
      const { released, committedAfter, cap } = event.data
      return {
        ...state,
        changes: withChange(state, d.changeId, d.at, (c) => ({ ...c, status: 'cancelled' })),
        approvedOpen: state.approvedOpen - released,
        // A warning is announced again if commitments fall back below it and then pass it once more.
        warned: state.warned.filter((th) => reaches(committedAfter, th, cap)),
      }
    }
  }
}

const findChange = (state: BudgetState, command: BudgetCommand, allowed: ReadonlyArray<ChangeStatus>): E.Either<BudgetError, BudgetChange> => {
  const change = state.changes.get(command.changeId)
  if (change === undefined) return E.left({ _tag: 'ChangeNotFound', message: `change ${command.changeId} was never estimated`, changeId: command.changeId })
  if (!allowed.includes(change.status)) {
    return E.left({
      _tag: 'ChangeStatusForbids',
      message: `${command.type} does not apply to change ${command.changeId} while it is ${change.status}`,
      changeId: command.changeId,
      command: command.type,
      status: change.status,
    })
  }
  return command.at < change.last
    ? E.left(earlierThanHistory('change', command.changeId, command.type, command.at, change.last))
    : E.right(change)
}

const approve = (command: BudgetCommand, state: BudgetState, change: BudgetChange): E.Either<BudgetError, ReadonlyArray<BudgetEvent>> => {
  const cap = customizationCap(command.terms)
  const before = committed(state)
  const after = before + change.amount
  if (after > cap) {
    return E.left({
      _tag: 'CapExceeded',
      message: `approving change ${change.changeId} (${change.amount} tiyn) would commit ${after} tiyn against a cap of ${cap} tiyn`,
      changeId: change.changeId,
      cap,
      committed: before,
      requested: change.amount,
      shortfall: after - cap,
    })
  }
  // The commitment stays until it is spent: a lower cap already recorded to take effect later must hold it too.
  const later = command.type === 'ApproveChange' ? (command.laterCaps ?? []).find((l) => l.effectiveAt > command.at && after > l.cap) : undefined
  if (later !== undefined) {
    return E.left({
      _tag: 'CapExceeded',
      message: `approving change ${change.changeId} (${change.amount} tiyn) would commit ${after} tiyn against the cap of ${later.cap} tiyn in force from ${later.effectiveAt}`,
      changeId: change.changeId,
      cap: later.cap,
      committed: before,
      requested: change.amount,
      shortfall: after - later.cap,
      capEffectiveAt: later.effectiveAt,
    })
  }
  const base = { contractId: command.terms.contractId, changeId: change.changeId, at: command.at, actor: command.actor }
  const warnings: BudgetEvent[] = defaultCapWarningThresholdsBps
    // Announced once while passed; again if the cap in force (raised by an amendment) put commitments back below it.
    .filter((th) => reaches(after, th, cap) && (!state.warned.includes(th) || !reaches(before, th, cap)))
    .map((thresholdBps) => ({ type: 'CapWarningReached', data: { ...base, thresholdBps, committed: after as Tiyn, cap: cap as Tiyn } }))
  return E.right([{ type: 'ChangeApproved', data: { ...base, amount: change.amount, committedAfter: after as Tiyn, cap: cap as Tiyn } }, ...warnings])
}

/**
 * Decides a budget command: approval is refused when the commitments would exceed the cap in force (or a later one).
 */
export const decideBudget = (command: BudgetCommand, state: BudgetState): E.Either<BudgetError, ReadonlyArray<BudgetEvent>> => {
  const base = { contractId: command.terms.contractId, changeId: command.changeId, at: command.at, actor: command.actor }
  switch (command.type) {
    case 'EstimateChange':
      return pipe(
        requireActorInForce(command.type, command.actor, command.terms, command.at),
        E.flatMap((): E.Either<BudgetError, ReadonlyArray<BudgetEvent>> => {
          if (state.changes.has(command.changeId)) {
            return E.left({ _tag: 'ChangeAlreadyEstimated', message: `change ${command.changeId} was already estimated`, changeId: command.changeId })
          }
          if (command.amount <= 0) {
            return E.left({ _tag: 'EstimateNotPositive', message: `the estimate for change ${command.changeId} must be above zero`, changeId: command.changeId, amount: command.amount })
          }
          return E.right([{ type: 'ChangeEstimated', data: { ...base, title: command.title, amount: command.amount, ...(command.ticketId === undefined ? {} : { ticketId: command.ticketId }) } }])
        }),
      )
    case 'ApproveChange':
      return pipe(
        requireActorInForce(command.type, command.actor, command.terms, command.at),
        E.flatMap(() => findChange(state, command, ['estimated'])),
        E.flatMap((change) => approve(command, state, change)),
      )
    case 'DeliverChange':
      return pipe(
        requireActor(command.type, command.actor, command.terms),
        E.flatMap(() => findChange(state, command, ['approved'])),
        E.map((): ReadonlyArray<BudgetEvent> => [{ type: 'ChangeDelivered', data: base }]),
      )
    case 'AcceptChange':
      return pipe(
        requireActor(command.type, command.actor, command.terms),
        E.flatMap(() => findChange(state, command, ['delivered'])),
        E.map((change): ReadonlyArray<BudgetEvent> => [
          { type: 'ChangeAccepted', data: { ...base, amount: change.amount, spentAfter: (state.spent + change.amount) as Tiyn } },
        ]),
      )
    case 'CancelChange':
      return pipe(
        requireActor(command.type, command.actor, command.terms),
        E.flatMap(() => findChange(state, command, ['estimated', 'approved', 'delivered'])),
        E.map((change): ReadonlyArray<BudgetEvent> => {
          const released = change.status === 'estimated' ? 0 : change.amount
          return [{
            type: 'ChangeCancelled',
            data: {
              ...base,
              reason: command.reason,
              released: released as Tiyn,
              committedAfter: (committed(state) - released) as Tiyn,
              cap: customizationCap(command.terms) as Tiyn,
            },
          }]
        }),
      )
  }
}

/**
 * The budget aggregate (clause 11): paid changes estimated, approved within the contract's cap, delivered, accepted or
 * cancelled.
 */
export const budgetDecider: Decider<BudgetCommand, BudgetState, BudgetEvent, BudgetError> = {
  initialState: initialBudgetState,
  evolve: evolveBudget,
  decide: decideBudget,
}

/**
 * The budget's half of the amendment rule: the terms an amendment would put in force must leave
 * a cap at or above what is already committed. The application service that amends the contract
 * runs this on the budget's current state first (see docs/decisions/0201).
 */
export const requireCapCoversCommitments = (
  state: BudgetState,
  amended: Pick<ContractTerms, 'value' | 'customizationCapBps'>,
): E.Either<CommitmentsExceedAmendedCap, void> => {
  const amendedCap = customizationCap(amended)
  const c = committed(state)
  return amendedCap >= c
    ? E.right(undefined)
    : E.left({
        _tag: 'CommitmentsExceedAmendedCap',
        message: `the amended value ${amended.value} tiyn gives a cap of ${amendedCap} tiyn, below the ${c} tiyn already committed`,
        amendedValue: amended.value,
        amendedCap,
        committed: c,
      })
}
