/** The customization budget's commands. Each carries its time, its actor and the contract terms in force then. */
import * as t from 'io-ts'
import { ContractTerms, PositiveTiyn, Tiyn } from '../contract/contract-terms.js'
import { boundedText } from '../kernel/input-codec.js'
import { Instant } from '../kernel/instant.js'
import { Actor } from '../kernel/recorded-event.js'
import { ChangeId } from './budget-events.js'

// model

/** Commitments crossing these fractions of the cap (basis points) raise a warning. */
export const defaultCapWarningThresholdsBps: ReadonlyArray<number> = [8000, 9500]

// codecs

const base = { changeId: ChangeId, at: Instant, actor: Actor, terms: ContractTerms }

/** `ticketId` names the modernization request the change prices: its result may be delivered once the change is approved. */
export const EstimateChange = t.readonly(
  t.intersection([
    t.type({ type: t.literal('EstimateChange'), ...base, title: boundedText(255, 'ChangeTitle', 1), amount: PositiveTiyn }),
    t.partial({ ticketId: boundedText(128, 'TicketId', 1) }),
  ]),
  'EstimateChange',
)
export type EstimateChange = t.TypeOf<typeof EstimateChange>

/**
 * The caps of amendments already recorded to take effect after the approval, filled in by the
 * application from the Contract: the commitment outlives the day it is approved, so it must fit them too.
 */
export const LaterCap = t.readonly(t.type({ effectiveAt: Instant, cap: Tiyn }), 'LaterCap')
export type LaterCap = t.TypeOf<typeof LaterCap>

/**
 * The customer approves an estimated change: its amount is committed against the cap, which must hold now and under
 * every later cap.
 */
export const ApproveChange = t.readonly(
  t.intersection([t.type({ type: t.literal('ApproveChange'), ...base }), t.partial({ laterCaps: t.readonlyArray(LaterCap) })]),
  'ApproveChange',
)
export type ApproveChange = t.TypeOf<typeof ApproveChange>

/** The supplier delivers an approved change. */
export const DeliverChange = t.readonly(t.type({ type: t.literal('DeliverChange'), ...base }), 'DeliverChange')
export type DeliverChange = t.TypeOf<typeof DeliverChange>

/** The customer accepts a delivered change: its amount is spent. */
export const AcceptChange = t.readonly(t.type({ type: t.literal('AcceptChange'), ...base }), 'AcceptChange')
export type AcceptChange = t.TypeOf<typeof AcceptChange>

/** Either party cancels a change not yet accepted, with a reason; its commitment is released. */
export const CancelChange = t.readonly(t.type({ type: t.literal('CancelChange'), ...base, reason: t.string }), 'CancelChange')
export type CancelChange = t.TypeOf<typeof CancelChange>

/** Any budget command, decoded from input at the entrance (`type` picks the command). */
export const BudgetCommand = t.union([EstimateChange, ApproveChange, DeliverChange, AcceptChange, CancelChange], 'BudgetCommand')
export type BudgetCommand = t.TypeOf<typeof BudgetCommand>
