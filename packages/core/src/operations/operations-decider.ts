/** The recurring operations decider: records each operation with its evidence; the verdicts are queries over the record. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { requireActorInForce } from '../contract/command-guards.js'
import { readonlyMapFromEntries, readonlySetFromArray } from '../kernel/collection-codecs.js'
import type { Decider } from '../kernel/decider.js'
import type { SnapshotPolicy } from '../kernel/snapshot-store.js'
import { epochMillis } from '../kernel/instant.js'
import type { OperationsCommand } from './operations-commands.js'
import type { OperationsError } from './operations-errors.js'
import type { OperationsEvent } from './operations-events.js'

// model

/** Where a step of a database move stands: planned, executed by the supplier, verified by the customer. */
export type MoveStepStatus = 'planned' | 'executed' | 'verified'

/**
 * What the operations aggregate remembers to refuse duplicates and out-of-order steps: the ids of archives, checks,
 * test stands and moves.
 */
export interface OperationsState {
  readonly archives: ReadonlySet<string>
  readonly checks: ReadonlySet<string>
  readonly stands: ReadonlySet<string>
  /** Move id → step id → status. */
  readonly moves: ReadonlyMap<string, ReadonlyMap<string, MoveStepStatus>>
}

/** The operations state as a snapshot keeps it: each set and map as a JSON array. */
export const OperationsState: t.Type<OperationsState, unknown, unknown> = t.readonly(
  t.type({
    archives: readonlySetFromArray(t.string),
    checks: readonlySetFromArray(t.string),
    stands: readonlySetFromArray(t.string),
    moves: readonlyMapFromEntries(t.string, readonlyMapFromEntries(t.string, t.keyof({ planned: null, executed: null, verified: null }))),
  }),
  'OperationsState',
)

/**
 * How an operations stream is snapshotted: a year of daily checks is one stream, and a command
 * folds only the events after its latest snapshot. Bump the version when `evolveOperations` or
 * the state changes.
 */
export const operationsSnapshots: SnapshotPolicy<OperationsState> = { name: 'operations', version: 'operations-1', codec: OperationsState }

/** The state of an operations stream with no events. */
export const initialOperationsState: OperationsState = {
  archives: new Set(),
  checks: new Set(),
  stands: new Set(),
  moves: new Map(),
}

// operations

const withStep = (state: OperationsState, moveId: string, stepId: string, status: MoveStepStatus): OperationsState => {
  const steps = new Map(state.moves.get(moveId) ?? [])
  steps.set(stepId, status)
  const moves = new Map(state.moves)
  moves.set(moveId, steps)
  return { ...state, moves }
}

/** Applies one operations event to the state. */
export const evolveOperations = (state: OperationsState, event: OperationsEvent): OperationsState => {
  switch (event.type) {
    case 'OperationsPolicySet':
      // Set by one party before policies were contract terms: kept in the record, no longer consulted.
      return state
    case 'DatabaseArchived':
      return { ...state, archives: new Set([...state.archives, event.data.archiveId]) }
    case 'BackupSyncVerified':
      return { ...state, checks: new Set([...state.checks, event.data.checkId]) }
    case 'TestStandRegistered':
      return { ...state, stands: new Set([...state.stands, event.data.standId]) }
    case 'TestStandUpdated':
      return state
    case 'DatabaseMovePlanned': {
      const moves = new Map(state.moves)
      moves.set(event.data.moveId, new Map(event.data.steps.map((s) => [s.stepId, 'planned' as const])))
      return { ...state, moves }
    }
    case 'MoveStepExecuted':
      return withStep(state, event.data.moveId, event.data.stepId, 'executed')
    case 'MoveStepVerified':
      return withStep(state, event.data.moveId, event.data.stepId, 'verified')
  }
}

const refuse = (e: OperationsError): E.Either<OperationsError, never> => E.left(e)
const invalid = (field: string, why: string) => refuse({ _tag: 'EvidenceInvalid', message: `${field} ${why}`, field })
const duplicate = (what: 'archive' | 'backup check' | 'test stand' | 'database move', id: string) =>
  refuse({ _tag: 'OperationAlreadyRecorded', message: `${what} ${id} is already recorded`, what, id })
const notFound = (what: 'test stand' | 'database move' | 'move step', id: string) =>
  refuse({ _tag: 'OperationNotFound', message: `${what} ${id} is not known`, what, id })

const facts = (command: OperationsCommand, state: OperationsState): E.Either<OperationsError, ReadonlyArray<OperationsEvent>> => {
  const base = { contractId: command.terms.contractId, at: command.at, actor: command.actor }
  switch (command.type) {
    case 'RecordArchive':
      if (state.archives.has(command.archiveId)) return duplicate('archive', command.archiveId)
      if (!Number.isSafeInteger(command.sizeBytes) || command.sizeBytes <= 0) return invalid('sizeBytes', 'must be a whole number of bytes above zero')
      return E.right([{ type: 'DatabaseArchived', data: { ...base, archiveId: command.archiveId, database: command.database, sizeBytes: command.sizeBytes, sha256: command.sha256 } }])
    case 'RecordBackupSyncCheck': {
      if (state.checks.has(command.checkId)) return duplicate('backup check', command.checkId)
      if (command.lastSyncedAt > command.at) {
        return refuse({ _tag: 'SyncAfterCheck', message: `check ${command.checkId} at ${command.at} reports a sync at ${command.lastSyncedAt}, after it`, checkId: command.checkId, lastSyncedAt: command.lastSyncedAt, at: command.at })
      }
      const lagMillis = epochMillis(command.at) - epochMillis(command.lastSyncedAt)
      const lagMinutes = Math.floor(lagMillis / 60_000)
      const lagLimitMinutes = command.terms.policy.backupLagLimitMinutes
      // Judged on the exact lag: whole minutes are for reading, and rounding down would let a lag just past the limit pass.
      const withinLimit = lagMillis <= lagLimitMinutes * 60_000
      return E.right([{ type: 'BackupSyncVerified', data: { ...base, checkId: command.checkId, lastSyncedAt: command.lastSyncedAt, lagMinutes, lagLimitMinutes, withinLimit } }])
    }
    case 'RegisterTestStand':
      if (state.stands.has(command.standId)) return duplicate('test stand', command.standId)
      return E.right([{ type: 'TestStandRegistered', data: { ...base, standId: command.standId, name: command.name } }])
    case 'RecordTestStandUpdate':
      if (!state.stands.has(command.standId)) return notFound('test stand', command.standId)
      if (command.version.trim().length === 0) return invalid('version', 'must not be empty')
      return E.right([{ type: 'TestStandUpdated', data: { ...base, standId: command.standId, version: command.version } }])
    case 'PlanDatabaseMove':
      if (state.moves.has(command.moveId)) return duplicate('database move', command.moveId)
      if (command.steps.length === 0) return invalid('steps', 'must name at least one step')
      if (new Set(command.steps.map((s) => s.stepId)).size !== command.steps.length) return invalid('steps', 'must have distinct step ids')
      return E.right([{ type: 'DatabaseMovePlanned', data: { ...base, moveId: command.moveId, target: command.target, steps: command.steps, dueAt: command.dueAt } }])
    case 'RecordMoveStepExecuted':
    case 'RecordMoveStepVerified': {
      const steps = state.moves.get(command.moveId)
      if (steps === undefined) return notFound('database move', command.moveId)
      const status = steps.get(command.stepId)
      if (status === undefined) return notFound('move step', `${command.moveId}/${command.stepId}`)
      const expected: MoveStepStatus = command.type === 'RecordMoveStepExecuted' ? 'planned' : 'executed'
      if (status !== expected) {
        return refuse({ _tag: 'MoveStepOutOfOrder', message: `${command.type}: step ${command.stepId} of move ${command.moveId} is ${status}`, moveId: command.moveId, stepId: command.stepId, status })
      }
      const data = { ...base, moveId: command.moveId, stepId: command.stepId, evidence: command.evidence }
      return E.right([command.type === 'RecordMoveStepExecuted' ? { type: 'MoveStepExecuted', data } : { type: 'MoveStepVerified', data }])
    }
  }
}

/** Operations are duties of the term: every command needs the contract in force. */
export const decideOperations = (command: OperationsCommand, state: OperationsState): E.Either<OperationsError, ReadonlyArray<OperationsEvent>> =>
  pipe(
    requireActorInForce(command.type, command.actor, command.terms, command.at),
    E.flatMap((): E.Either<OperationsError, ReadonlyArray<OperationsEvent>> => facts(command, state)),
  )

/**
 * The operations aggregate (clauses 8, 9, 12 and 13): archives, backup sync checks, test stand updates and database
 * moves, each with its evidence.
 */
export const operationsDecider: Decider<OperationsCommand, OperationsState, OperationsEvent, OperationsError> = {
  initialState: initialOperationsState,
  evolve: evolveOperations,
  decide: decideOperations,
}
