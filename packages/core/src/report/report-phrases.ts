/**
 * The words a verdict's subject and detail carry, said in the report's language. The report model
 * keeps them as short English phrases over values (`ticket T-1`, `lag 20 min, limit 1440 min`);
 * each known phrase is matched and put into the language's template, an unknown one is shown as it is.
 */
import type { Instant } from '../kernel/instant.js'
import { formatCount, formatLocalDateTime, formatMoney, formatShare } from './report-format.js'
import { fillLabel, type ReportLabels } from './report-labels.js'
import { shortEventId } from './report-evidence.js'

// operations

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/

type Rule = readonly [RegExp, (m: RegExpMatchArray, l: ReportLabels, timeZone: string) => string]

const subjectRules: ReadonlyArray<Rule> = [
  [/^ticket (.+)$/, (m, l) => fillLabel(l.subjects.ticket, { id: m[1] ?? '' })],
  [/^incident (.+)$/, (m, l) => fillLabel(l.subjects.incident, { id: m[1] ?? '' })],
  [/^quarter (.+)$/, (m, l) => fillLabel(l.subjects.quarter, { id: m[1] ?? '' })],
  [/^change (.+)$/, (m, l) => fillLabel(l.subjects.change, { id: m[1] ?? '' })],
  [/^commitments above the cap$/, (_m, l) => l.subjects.overCap],
  [/^test stand registered$/, (_m, l) => l.subjects.standRegistered],
  [/^no test stand@(.+)$/, (m, l) => fillLabel(l.subjects.noStandAt, { version: m[1] ?? '' })],
  [/^(gap|next check) after (.+)$/, (m, l) => fillLabel(m[1] === 'gap' ? l.subjects.gapAfter : l.subjects.nextCheckAfter, { ref: m[2] === 'term start' ? l.subjects.termStart : shortEventId(m[2] ?? '') })],
  [/^(\S+) \((new-servers|backup-servers)\)$/, (m, l) => `${m[1] ?? ''} ${l.moveTargets[m[2] as 'new-servers' | 'backup-servers']}`],
  [/^([^@\s]+)@(\S+)$/, (m, l) => fillLabel(l.subjects.standAt, { id: m[1] ?? '', version: m[2] ?? '' })],
]

const detailRules: ReadonlyArray<Rule> = [
  [/^answered$/, (_m, l) => l.details.answered],
  [/^awaiting an answer$/, (_m, l) => l.details.awaitingAnswer],
  [/^warned at (\d+(?:\.\d+)?)%$/, (m, l) => fillLabel(l.details.warnedAt, { share: formatShare(Math.round(Number(m[1]) * 100)) })],
  [/^no deadline agreed$/, (_m, l) => l.details.noDeadlineAgreed],
  [/^awaiting acceptance$/, (_m, l) => l.details.awaitingAcceptance],
  [/^not agreed$/, (_m, l) => l.details.notAgreed],
  [/^(proposed|agreed) (\S+)$/, (m, l, tz) => (ISO.test(m[2] ?? '') ? fillLabel(m[1] === 'proposed' ? l.details.proposedAt : l.details.agreedAt, { at: formatLocalDateTime(m[2] as Instant, tz) }) : m[0])],
  [/^late$/, (_m, l) => l.late],
  [/^missing$/, (_m, l) => l.missing],
  [/^(-?\d+) \/ (-?\d+) tiyn$/, (m, l) => fillLabel(l.details.overCap, { committed: formatMoney(Number(m[1])), cap: formatMoney(Number(m[2])) })],
  [/^modernization handed over outside the budget$/, (_m, l) => l.details.outsideBudget],
  [/^(\S+) (\d+) B sha256:([0-9a-f]+)$/, (m, l) => fillLabel(l.details.archived, { id: m[1] ?? '', size: `${formatCount(Number(m[2]))}\u00a0${l.bytes}`, sha: m[3] ?? '' })],
  [/^no verification within the limit$/, (_m, l) => l.details.noVerification],
  [/^awaiting the next verification$/, (_m, l) => l.details.awaitingNextCheck],
  [/^lag (\d+) min, limit (\d+) min$/, (m, l) => fillLabel(l.details.lag, { lag: m[1] ?? '', limit: m[2] ?? '' })],
  [/^no test stand registered$/, (_m, l) => l.details.noStand],
  [/^no test stand registered when delivered$/, (_m, l) => l.details.noStandWhenDelivered],
  [/^(\S+) registered$/, (m, l) => fillLabel(l.details.standRegistered, { id: m[1] ?? '' })],
  [/^(\S+) brought to (\S+)$/, (m, l) => fillLabel(l.details.broughtTo, { id: m[1] ?? '', version: m[2] ?? '' })],
  [/^(\d+)\/(\d+) steps verified$/, (m, l) => fillLabel(l.details.stepsVerified, { done: m[1] ?? '', all: m[2] ?? '' })],
]

const say = (rules: ReadonlyArray<Rule>, text: string, labels: ReportLabels, timeZone: string): string => {
  for (const [pattern, render] of rules) {
    const m = text.match(pattern)
    if (m !== null) return render(m, labels, timeZone)
  }
  return text
}

/** A verdict's subject in the language: `ticket T-1` becomes `заявка T-1`. */
export const sayVerdictSubject = (subject: string, labels: ReportLabels): string => say(subjectRules, subject, labels, 'UTC')

/** A verdict's detail in the language, each `; `-separated note on its own; instants in the contract's zone. */
export const sayVerdictDetail = (detail: string, labels: ReportLabels, timeZone: string): string =>
  detail
    .split('; ')
    .map((part) => say(detailRules, part, labels, timeZone))
    .join('; ')

/** A policy rule's value in the language: `4800 business minutes`, `monthly`, or the number as it is. */
export const sayRuleValue = (value: string, labels: ReportLabels): string => {
  const minutes = value.match(/^(\d+) (business|elapsed) minutes$/)
  if (minutes !== null) return fillLabel(labels.minutes[minutes[2] as 'business' | 'elapsed'], { n: formatCount(Number(minutes[1])) })
  if (value === 'weekly' || value === 'monthly' || value === 'quarterly') return labels.cadences[value]
  return /^\d+$/.test(value) ? formatCount(Number(value)) : value
}
