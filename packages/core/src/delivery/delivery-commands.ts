/** The quarterly delivery's commands. Each carries its time, its actor and the contract terms in force then. */
import * as t from 'io-ts'
import { defaultContractPolicy } from '../contract/contract-policy.js'
import { ContractTerms } from '../contract/contract-terms.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { AcceptedChange, ChangeRef, DeliveryId, QuarterLabel, Sha256Hex } from './delivery-events.js'

// model

/** Days after a quarter's last day by which its delivery is due, by default: the contract policy's default (`ContractPolicy.deliveryGraceDays`). */
export const defaultDeliveryGraceDays = defaultContractPolicy.deliveryGraceDays

// codecs

const base = { deliveryId: DeliveryId, at: Instant, actor: Actor, terms: ContractTerms }

/**
 * Records a delivery. `acceptedChanges` is every change the customer had accepted by `at`, as
 * the application knows from the ticket and budget streams; the decider refuses a delivery
 * that leaves out one of them not already delivered. The quarter's due instant follows the
 * contract's policy (`terms.policy.deliveryGraceDays`), never the command.
 */
export const RecordDelivery = t.readonly(
  t.type({
    type: t.literal('RecordDelivery'),
    ...base,
    quarter: QuarterLabel,
    version: t.string,
    artifactSha256: Sha256Hex,
    changes: t.readonlyArray(ChangeRef),
    acceptedChanges: t.readonlyArray(AcceptedChange),
  }),
  'RecordDelivery',
)
export type RecordDelivery = t.TypeOf<typeof RecordDelivery>

/** The customer accepts a recorded delivery. */
export const AcceptDelivery = t.readonly(t.type({ type: t.literal('AcceptDelivery'), ...base }), 'AcceptDelivery')
export type AcceptDelivery = t.TypeOf<typeof AcceptDelivery>

/** The customer rejects a recorded delivery, with a reason; its changes must go into a later one. */
export const RejectDelivery = t.readonly(t.type({ type: t.literal('RejectDelivery'), ...base, reason: t.string }), 'RejectDelivery')
export type RejectDelivery = t.TypeOf<typeof RejectDelivery>

/** Any delivery command, decoded from input at the entrance (`type` picks the command). */
export const DeliveryCommand = t.union([RecordDelivery, AcceptDelivery, RejectDelivery], 'DeliveryCommand')
export type DeliveryCommand = t.TypeOf<typeof DeliveryCommand>
