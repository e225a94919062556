/**
 * The recurring operations' commands. Each carries its time, its actor and the contract terms in
 * force then; their due windows are the contract's policy (`ContractPolicy`), not a command.
 */
import * as t from 'io-ts'
import { ContractTerms } from '../contract/contract-terms.js'
import { Sha256Hex } from '../delivery/delivery-events.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { MoveStep, MoveTarget } from './operations-events.js'

// model

// codecs

const base = { at: Instant, actor: Actor, terms: ContractTerms }

/** The supplier records an archive of a database (clause 12), with its size and SHA-256. */
export const RecordArchive = t.readonly(
  t.type({ type: t.literal('RecordArchive'), ...base, archiveId: t.string, database: t.string, sizeBytes: t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'ByteCount'), sha256: Sha256Hex }),
  'RecordArchive',
)
export type RecordArchive = t.TypeOf<typeof RecordArchive>

/** The supplier records a check of the backup database's lag behind the primary (clause 13). */
export const RecordBackupSyncCheck = t.readonly(
  t.type({ type: t.literal('RecordBackupSyncCheck'), ...base, checkId: t.string, lastSyncedAt: Instant }),
  'RecordBackupSyncCheck',
)
export type RecordBackupSyncCheck = t.TypeOf<typeof RecordBackupSyncCheck>

/** The supplier registers a test stand (clause 9). */
export const RegisterTestStand = t.readonly(t.type({ type: t.literal('RegisterTestStand'), ...base, standId: t.string, name: t.string }), 'RegisterTestStand')
export type RegisterTestStand = t.TypeOf<typeof RegisterTestStand>

/** The supplier records that a test stand runs a delivered version (clause 9). */
export const RecordTestStandUpdate = t.readonly(t.type({ type: t.literal('RecordTestStandUpdate'), ...base, standId: t.string, version: t.string }), 'RecordTestStandUpdate')
export type RecordTestStandUpdate = t.TypeOf<typeof RecordTestStandUpdate>

/** The customer asks for (or the supplier plans) a database move (clause 8): its target, steps and due instant. */
export const PlanDatabaseMove = t.readonly(
  t.type({ type: t.literal('PlanDatabaseMove'), ...base, moveId: t.string, target: MoveTarget, steps: t.readonlyArray(MoveStep), dueAt: Instant }),
  'PlanDatabaseMove',
)
export type PlanDatabaseMove = t.TypeOf<typeof PlanDatabaseMove>

/** The supplier records a step of a move as executed, with evidence. */
export const RecordMoveStepExecuted = t.readonly(
  t.type({ type: t.literal('RecordMoveStepExecuted'), ...base, moveId: t.string, stepId: t.string, evidence: t.string }),
  'RecordMoveStepExecuted',
)
export type RecordMoveStepExecuted = t.TypeOf<typeof RecordMoveStepExecuted>

/** The customer confirms an executed step works on its servers, with evidence. */
export const RecordMoveStepVerified = t.readonly(
  t.type({ type: t.literal('RecordMoveStepVerified'), ...base, moveId: t.string, stepId: t.string, evidence: t.string }),
  'RecordMoveStepVerified',
)
export type RecordMoveStepVerified = t.TypeOf<typeof RecordMoveStepVerified>

/** Any operations command, decoded from input at the entrance (`type` picks the command). */
export const OperationsCommand = t.union(
  [RecordArchive, RecordBackupSyncCheck, RegisterTestStand, RecordTestStandUpdate, PlanDatabaseMove, RecordMoveStepExecuted, RecordMoveStepVerified],
  'OperationsCommand',
)
export type OperationsCommand = t.TypeOf<typeof OperationsCommand>
