/**
 * The rules the contract does not state in numbers: each a named default, agreed at registration
 * or changed by an amendment both parties sign, and fixed into the events it governs.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { DomainError } from '../kernel/domain-error.js'
import { defaultWarnAtBps, WindowRule, type PositiveMinutes } from '../sla/sla-policy.js'

// model

/** How often the databases are archived (clause 12); each period of the term needs one archive. */
export const ArchivingCadence = t.keyof({ weekly: null, monthly: null, quarterly: null }, 'ArchivingCadence')
export type ArchivingCadence = t.TypeOf<typeof ArchivingCadence>

/**
 * The deadlines and windows the contract sets beside the SLA table (failure report, deliveries, operations), each as
 * an agreed rule that an amendment may change.
 */
export const ContractPolicy = t.readonly(
  t.type({
    /** Clause 7: the failure report is due this window after the failure was reported. */
    failureReportWindow: WindowRule,
    /** Clause 10: whole days after a quarter's last day by which its delivery is due. */
    deliveryGraceDays: t.number,
    /** Clause 12: the archiving cadence. */
    archiving: ArchivingCadence,
    /** Clause 13: the backup may lag the primary by at most this many minutes, and is verified at least this often. */
    backupLagLimitMinutes: t.number,
    /** Clause 9: each test stand is brought to a delivered version within this window of the delivery. */
    testStandWindow: WindowRule,
  }),
  'ContractPolicy',
)
export type ContractPolicy = t.TypeOf<typeof ContractPolicy>

/** What an amendment may change of the policy: any rule, each on its own. */
export const PolicyChanges = t.readonly(t.partial(ContractPolicy.type.props), 'PolicyChanges')
export type PolicyChanges = t.TypeOf<typeof PolicyChanges>

/** A rule of the policy outside its bounds; `field` names it (`policy.deliveryGraceDays`). */
export interface PolicyRuleInvalid extends DomainError<'PolicyRuleInvalid'> {
  readonly field: string
  readonly value: unknown
}

// constructors

/**
 * The defaults, none of them stated by the contract (docs/decisions/0222): the failure report
 * within 10 business days of the failure's report (8 business hours a day, decision 0200),
 * deliveries 10 days after the quarter, monthly archives, the backup at most 24 hours behind,
 * test stands at the delivered version within 10 business days.
 */
export const defaultContractPolicy: ContractPolicy = {
  failureReportWindow: { measure: 'business', minutes: 4800 as PositiveMinutes, pausable: false, warnAtBps: defaultWarnAtBps },
  deliveryGraceDays: 10,
  archiving: 'monthly',
  backupLagLimitMinutes: 1440,
  testStandWindow: { measure: 'business', minutes: 4800 as PositiveMinutes, pausable: false, warnAtBps: defaultWarnAtBps },
}

/** The bounds each rule must keep; a rule outside them is refused, never clamped. */
export const policyBounds = {
  /** Up to 180 business days of 8 hours, or 60 calendar days. */
  windowMinutes: { min: 1, max: 86_400 },
  /** At least a day: a delivery due the instant its quarter ends leaves no time to hand it over. */
  deliveryGraceDays: { min: 1, max: 90 },
  /** Up to a week. */
  backupLagLimitMinutes: { min: 1, max: 10_080 },
} as const

// operations

const wholeWithin = (n: number, b: { readonly min: number; readonly max: number }): boolean => Number.isSafeInteger(n) && n >= b.min && n <= b.max

const invalid = (field: string, value: unknown, why: string): E.Either<PolicyRuleInvalid, never> =>
  E.left({ _tag: 'PolicyRuleInvalid', message: `policy.${field} ${why}`, field: `policy.${field}`, value })

const checkWindow = (field: string, rule: WindowRule | undefined): E.Either<PolicyRuleInvalid, void> => {
  if (rule === undefined) return E.right(undefined)
  if (!wholeWithin(rule.minutes, policyBounds.windowMinutes)) {
    return invalid(`${field}.minutes`, rule.minutes, `must be a whole number of minutes from ${policyBounds.windowMinutes.min} to ${policyBounds.windowMinutes.max}`)
  }
  if (rule.warnAtBps.some((b) => b <= 0 || b >= 10_000)) return invalid(`${field}.warnAtBps`, rule.warnAtBps, 'must lie strictly between 0 and 10000')
  if (rule.pausable) return invalid(`${field}.pausable`, rule.pausable, 'must be false: nothing pauses this clock')
  return E.right(undefined)
}

/** Checks every rule given (a whole policy, or an amendment's changes) against its bounds. */
export const validatePolicy = (policy: PolicyChanges): E.Either<PolicyRuleInvalid, void> => {
  const g = policy.deliveryGraceDays
  if (g !== undefined && !wholeWithin(g, policyBounds.deliveryGraceDays)) {
    return invalid('deliveryGraceDays', g, `must be a whole number of days from ${policyBounds.deliveryGraceDays.min} to ${policyBounds.deliveryGraceDays.max}`)
  }
  const lag = policy.backupLagLimitMinutes
  if (lag !== undefined && !wholeWithin(lag, policyBounds.backupLagLimitMinutes)) {
    return invalid('backupLagLimitMinutes', lag, `must be a whole number of minutes from ${policyBounds.backupLagLimitMinutes.min} to ${policyBounds.backupLagLimitMinutes.max}`)
  }
  const report = checkWindow('failureReportWindow', policy.failureReportWindow)
  if (E.isLeft(report)) return report
  return checkWindow('testStandWindow', policy.testStandWindow)
}

/** JSON with keys sorted, so two equal rules compare equal whatever order their keys were written in. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_key, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  )

/** How the report shows a rule's value. */
export const showRule = (policy: PolicyChanges, rule: keyof ContractPolicy): string => {
  const v = policy[rule]
  return v === undefined ? '' : typeof v === 'object' ? `${v.minutes} ${v.measure} minutes` : String(v)
}

/** Whether a rule's value is the default or one the parties agreed. */
export const sourceOf = (rule: keyof ContractPolicy, value: unknown): 'default' | 'agreed' =>
  canonical(value) === canonical(defaultContractPolicy[rule]) ? 'default' : 'agreed'

/** The rules of the policy, in the order the report lists them. */
export const policyRules = Object.keys(defaultContractPolicy) as ReadonlyArray<keyof ContractPolicy>

/** The policy's rules as the report lists them, each marked as agreed or as the default. */
export const policyAssumptions = (
  policy: ContractPolicy,
): ReadonlyArray<{ readonly rule: keyof ContractPolicy; readonly value: string; readonly source: 'default' | 'agreed' }> =>
  policyRules.map((rule) => ({ rule, value: showRule(policy, rule), source: sourceOf(rule, policy[rule]) }))
