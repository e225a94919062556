/** The one refusal every aggregate gives a command dated before its last recorded event: a history runs forward. */
import type { DomainError } from './domain-error.js'
import type { Instant } from './instant.js'

// model

/** A command dated `at`, before `last`, the latest event already recorded on the aggregate `aggregate` `id`. */
export interface EarlierThanHistory extends DomainError<'EarlierThanHistory'> {
  /** Which kind of aggregate refused: `ticket`, `incident`, `contract`, `change` (a budget's customization). */
  readonly aggregate: string
  readonly id: string
  /** The command refused (`AgreeDeadline`). */
  readonly command: string
  readonly at: Instant
  readonly last: Instant
}

// constructors

export const earlierThanHistory = (aggregate: string, id: string, command: string, at: Instant, last: Instant): EarlierThanHistory => ({
  _tag: 'EarlierThanHistory',
  message: `${aggregate} ${id}: ${command} at ${at} is dated before its last event at ${last}`,
  aggregate,
  id,
  command,
  at,
  last,
})
