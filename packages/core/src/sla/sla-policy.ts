/** The SLA policy of a contract: the clock rule of every time-limited obligation, per priority. */
import * as t from 'io-ts'
import { BasisPoints } from '../contract/basis-points.js'
import { TicketKind, type Priority } from '../ticket/ticket-kind.js'

// model

/** Elapsed (calendar) time, or working time on the contract's business calendar. */
export const ClockMeasure = t.keyof({ elapsed: null, business: null }, 'ClockMeasure')
export type ClockMeasure = t.TypeOf<typeof ClockMeasure>

/** The brand that marks a number as checked `PositiveMinutes`. */
export interface PositiveMinutesBrand {
  readonly PositiveMinutes: unique symbol
}
/** A window length in whole minutes, at least one. */
export const PositiveMinutes = t.brand(
  t.number,
  (n): n is t.Branded<number, PositiveMinutesBrand> => Number.isSafeInteger(n) && n > 0,
  'PositiveMinutes',
)
export type PositiveMinutes = t.TypeOf<typeof PositiveMinutes>

/**
 * A clock with a fixed window: it starts at an event, runs for `minutes` of `measure`, stops
 * at the event that meets it. `pausable`: whether a recorded request to the customer pauses
 * it. `warnAtBps`: fractions of the window at which it warns (5000 = half the window used).
 */
export const WindowRule = t.readonly(
  t.type({ measure: ClockMeasure, minutes: PositiveMinutes, pausable: t.boolean, warnAtBps: t.readonlyArray(BasisPoints) }),
  'WindowRule',
)
export type WindowRule = t.TypeOf<typeof WindowRule>

/** A clock whose end is an agreed instant rather than a fixed window: it runs from the agreement to that instant. */
export const DeadlineRule = t.readonly(
  t.type({ measure: ClockMeasure, pausable: t.boolean, warnAtBps: t.readonlyArray(BasisPoints) }),
  'DeadlineRule',
)
export type DeadlineRule = t.TypeOf<typeof DeadlineRule>

/**
 * What meets clause 2. The contract says the supplier sets a deadline *and agrees it* with the
 * customer within two hours: `agreement` (the default) needs the customer's agreement in the
 * window; `proposal` is for contracts that ask only for a proposal in it.
 */
export const DeadlineMetBy = t.keyof({ agreement: null, proposal: null }, 'DeadlineMetBy')
export type DeadlineMetBy = t.TypeOf<typeof DeadlineMetBy>

const byPriority = <C extends t.Mixed>(rule: C, name: string) =>
  t.readonly(
    t.type({
      default: rule,
      /** Priorities without an entry use `default`. */
      byPriority: t.readonly(t.partial({ low: rule, normal: rule, high: rule, urgent: rule })),
    }),
    name,
  )

/** A window rule for each priority: a default, and the priorities whose window differs. */
export const WindowRules = byPriority(WindowRule, 'WindowRules')
export type WindowRules = t.TypeOf<typeof WindowRules>
/** A deadline rule for each priority: a default, and the priorities whose rule differs. */
export const DeadlineRules = byPriority(DeadlineRule, 'DeadlineRules')
export type DeadlineRules = t.TypeOf<typeof DeadlineRules>

/** Every clock rule of a contract. A copy travels with each ticket, so an amendment never reaches back. */
export const SlaPolicy = t.readonly(
  t.type({
    /** Clause 2: the supplier sets a deadline within a window of receipt, for these kinds of request. */
    deadlineProposal: t.readonly(
      t.intersection([
        t.type({ kinds: t.readonlyArray(TicketKind), rules: WindowRules }),
        /** Absent in policies recorded before the rule was explicit: read as `agreement`, the contract's wording. */
        t.partial({ metBy: DeadlineMetBy }),
      ]),
    ),
    /** Clause 3 and the other kinds with an agreed deadline: the result is delivered by it. */
    agreedDeadline: DeadlineRules,
    /** Clause 6: on-site arrival within a window of the customer's demand (used by incidents). */
    onSiteArrival: WindowRules,
  }),
  'SlaPolicy',
)
export type SlaPolicy = t.TypeOf<typeof SlaPolicy>

// constructors

/** When a clock warns by default: at 50% and at 80% of its window used. */
export const defaultWarnAtBps: ReadonlyArray<BasisPoints> = [5000 as BasisPoints, 8000 as BasisPoints]

/**
 * The contract's own terms: a deadline set and agreed within 2 elapsed hours of receiving a
 * defect, the result delivered by the agreed deadline, on-site arrival within 3 elapsed hours.
 * Nothing is paused: the contract makes no exception for questions to the customer. A policy
 * that lets a question pause a clock says so in `pausable`.
 */
export const defaultSlaPolicy: SlaPolicy = {
  deadlineProposal: {
    kinds: ['defect'],
    metBy: 'agreement',
    rules: { default: { measure: 'elapsed', minutes: 120 as PositiveMinutes, pausable: false, warnAtBps: defaultWarnAtBps }, byPriority: {} },
  },
  agreedDeadline: { default: { measure: 'elapsed', pausable: false, warnAtBps: defaultWarnAtBps }, byPriority: {} },
  onSiteArrival: {
    default: { measure: 'elapsed', minutes: 180 as PositiveMinutes, pausable: false, warnAtBps: defaultWarnAtBps },
    byPriority: {},
  },
}

// operations

/** What meets clause 2 under a policy: `agreement` unless the policy says `proposal`. */
export const deadlineMetBy = (policy: SlaPolicy): DeadlineMetBy => policy.deadlineProposal.metBy ?? 'agreement'

/** The rule for a priority: its own entry, or the default. */
export const ruleFor = <R>(rules: { readonly default: R; readonly byPriority: Partial<Record<Priority, R>> }, priority: Priority): R =>
  rules.byPriority[priority] ?? rules.default
