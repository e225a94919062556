/** The recurring operations' events: archives, backup sync checks, test stand updates and database moves, each with its evidence. */
import * as t from 'io-ts'
import { ArchivingCadence } from '../contract/contract-policy.js'
import { ContractId } from '../contract/contract-terms.js'
import { Sha256Hex } from '../delivery/delivery-events.js'
import { eventCatalog, eventType } from '../kernel/event-catalog.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { WindowRule } from '../sla/sla-policy.js'

// model

export { ArchivingCadence } from '../contract/contract-policy.js'

/**
 * The due windows of the recurring operations as one party once set them alone (`OperationsPolicySet`,
 * read, never written now). They are the contract's policy today: `ContractPolicy`, amended by both parties.
 */
export const OperationsPolicy = t.readonly(
  t.type({
    archiving: ArchivingCadence,
    /** The backup may lag the primary by at most this, and must be verified at least this often. */
    backupLagLimitMinutes: t.number,
    /** Each test stand is brought to a delivered version within this window of the delivery. */
    testStandWindow: WindowRule,
  }),
  'OperationsPolicy',
)
export type OperationsPolicy = t.TypeOf<typeof OperationsPolicy>

/** Where a database move goes: the customer's new servers or its backup servers. */
export const MoveTarget = t.keyof({ 'new-servers': null, 'backup-servers': null }, 'MoveTarget')
export type MoveTarget = t.TypeOf<typeof MoveTarget>

/** One step of a database move, executed by the supplier and verified by the customer. */
export const MoveStep = t.readonly(t.type({ stepId: t.string, description: t.string }), 'MoveStep')
export type MoveStep = t.TypeOf<typeof MoveStep>

// codecs

const base = { contractId: ContractId, at: Instant, actor: Actor }

/** The operations' due windows as one party once set them alone; read from old streams, never written now. */
export const OperationsPolicySet = t.readonly(t.type({ ...base, policy: OperationsPolicy }), 'OperationsPolicySet')
export type OperationsPolicySet = t.TypeOf<typeof OperationsPolicySet>

/** The supplier archived a database (clause 12), with the archive's size and SHA-256 as evidence. */
export const DatabaseArchived = t.readonly(
  t.type({ ...base, archiveId: t.string, database: t.string, sizeBytes: t.number, sha256: Sha256Hex }),
  'DatabaseArchived',
)
export type DatabaseArchived = t.TypeOf<typeof DatabaseArchived>

/** The lag and the limit in force (the contract's policy when checked) are both recorded: the verdict of a check never changes afterwards. */
export const BackupSyncVerified = t.readonly(
  t.type({ ...base, checkId: t.string, lastSyncedAt: Instant, lagMinutes: t.number, lagLimitMinutes: t.number, withinLimit: t.boolean }),
  'BackupSyncVerified',
)
export type BackupSyncVerified = t.TypeOf<typeof BackupSyncVerified>

/** The supplier registered a test stand (clause 9). */
export const TestStandRegistered = t.readonly(t.type({ ...base, standId: t.string, name: t.string }), 'TestStandRegistered')
export type TestStandRegistered = t.TypeOf<typeof TestStandRegistered>

/** A test stand was brought to a delivered version (clause 9). */
export const TestStandUpdated = t.readonly(t.type({ ...base, standId: t.string, version: t.string }), 'TestStandUpdated')
export type TestStandUpdated = t.TypeOf<typeof TestStandUpdated>

/** A database move was planned (clause 8): its target, its steps and when it is due. */
export const DatabaseMovePlanned = t.readonly(
  t.type({ ...base, moveId: t.string, target: MoveTarget, steps: t.readonlyArray(MoveStep), dueAt: Instant }),
  'DatabaseMovePlanned',
)
export type DatabaseMovePlanned = t.TypeOf<typeof DatabaseMovePlanned>

/** The supplier executed a step of a database move, with evidence. */
export const MoveStepExecuted = t.readonly(t.type({ ...base, moveId: t.string, stepId: t.string, evidence: t.string }), 'MoveStepExecuted')
export type MoveStepExecuted = t.TypeOf<typeof MoveStepExecuted>

/** The customer verified an executed step on its servers, with evidence. */
export const MoveStepVerified = t.readonly(t.type({ ...base, moveId: t.string, stepId: t.string, evidence: t.string }), 'MoveStepVerified')
export type MoveStepVerified = t.TypeOf<typeof MoveStepVerified>

/**
 * The catalog of operations events, with their codecs and upcasters: what a store of operations streams is built with.
 */
export const operationsEvents = eventCatalog([
  eventType('OperationsPolicySet', OperationsPolicySet),
  eventType('DatabaseArchived', DatabaseArchived),
  eventType('BackupSyncVerified', BackupSyncVerified),
  eventType('TestStandRegistered', TestStandRegistered),
  eventType('TestStandUpdated', TestStandUpdated),
  eventType('DatabaseMovePlanned', DatabaseMovePlanned),
  eventType('MoveStepExecuted', MoveStepExecuted),
  eventType('MoveStepVerified', MoveStepVerified),
])
/** Any event of a contract's operations stream. */
export type OperationsEvent = t.TypeOf<typeof operationsEvents.codec>

// operations

/** The id of a contract's operations stream: one per contract. */
export const operationsStreamId = (contractId: ContractId): string => `operations-${contractId}`
