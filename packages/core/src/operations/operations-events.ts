/** The recurring operations' events: archives, backup sync checks, test stand updates and database moves, each with its evidence. */
import * as t from 'io-ts'
import { ArchivingCadence } from '../contract/contract-policy.js'
import { ContractId } from '../values/domain-ids.js'
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

export const MoveTarget = t.keyof({ 'new-servers': null, 'backup-servers': null }, 'MoveTarget')
export type MoveTarget = t.TypeOf<typeof MoveTarget>

export const MoveStep = t.readonly(t.type({ stepId: t.string, description: t.string }), 'MoveStep')
export type MoveStep = t.TypeOf<typeof MoveStep>

// codecs

const base = { contractId: ContractId, at: Instant, actor: Actor }

export const OperationsPolicySet = t.readonly(t.type({ ...base, policy: OperationsPolicy }), 'OperationsPolicySet')
export type OperationsPolicySet = t.TypeOf<typeof OperationsPolicySet>

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

export const TestStandRegistered = t.readonly(t.type({ ...base, standId: t.string, name: t.string }), 'TestStandRegistered')
export type TestStandRegistered = t.TypeOf<typeof TestStandRegistered>

export const TestStandUpdated = t.readonly(t.type({ ...base, standId: t.string, version: t.string }), 'TestStandUpdated')
export type TestStandUpdated = t.TypeOf<typeof TestStandUpdated>

export const DatabaseMovePlanned = t.readonly(
  t.type({ ...base, moveId: t.string, target: MoveTarget, steps: t.readonlyArray(MoveStep), dueAt: Instant }),
  'DatabaseMovePlanned',
)
export type DatabaseMovePlanned = t.TypeOf<typeof DatabaseMovePlanned>

export const MoveStepExecuted = t.readonly(t.type({ ...base, moveId: t.string, stepId: t.string, evidence: t.string }), 'MoveStepExecuted')
export type MoveStepExecuted = t.TypeOf<typeof MoveStepExecuted>

export const MoveStepVerified = t.readonly(t.type({ ...base, moveId: t.string, stepId: t.string, evidence: t.string }), 'MoveStepVerified')
export type MoveStepVerified = t.TypeOf<typeof MoveStepVerified>

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
export type OperationsEvent = t.TypeOf<typeof operationsEvents.codec>

// operations

export const operationsStreamId = (contractId: ContractId): string => `operations-${contractId}`
