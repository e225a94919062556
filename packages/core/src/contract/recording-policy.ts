/** How late a party may record what it declares: the contract's tolerance, and the check every entrance of the ledger makes. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { DomainError } from '../kernel/domain-error.js'
import { epochMillis, type Instant } from '../kernel/instant.js'
import type { RecordedLate, TimeSource } from '../kernel/recorded-event.js'

// model

/**
 * `lateEntryToleranceMinutes`: how much earlier than its recording a declared instant may be
 * without a source (1 to 1440 whole minutes). It is also the clock skew allowed the other way.
 */
export const RecordingPolicy = t.readonly(
  t.type({ lateEntryToleranceMinutes: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1 && n <= 1440, 'ToleranceMinutes') }),
  'RecordingPolicy',
)
export type RecordingPolicy = t.TypeOf<typeof RecordingPolicy>

/**
 * Fifteen minutes: a default, not the contract's wording (docs/decisions/0230). Short against
 * the two-hour window of clause 2, long enough for a person to type in what just happened.
 */
export const defaultRecordingPolicy: RecordingPolicy = { lateEntryToleranceMinutes: 15 }

/** A declared instant earlier than its recording by more than the tolerance, and no source given for it. */
export interface DeclaredTimeUnsourced extends DomainError<'DeclaredTimeUnsourced'> {
  /** The field that declares it: `at`, or `receivedAt` for a filing. */
  readonly field: string
  readonly declaredAt: Instant
  readonly recordedAt: Instant
  readonly toleranceMinutes: number
}

/** A declared instant later than its recording (beyond the tolerance): nothing can be recorded before it happens. */
export interface DeclaredTimeInFuture extends DomainError<'DeclaredTimeInFuture'> {
  readonly field: string
  readonly declaredAt: Instant
  readonly recordedAt: Instant
}

/** A command dated before the last event already recorded on the contract: its history runs forward only. */
export interface DatedBeforeContractHistory extends DomainError<'DatedBeforeContractHistory'> {
  readonly contractId: string
  readonly at: Instant
  readonly last: Instant
}

/** A time a command declares that cannot be recorded as it is: well in the past without a source, or in the future. */
export type DeclaredTimeError = DeclaredTimeUnsourced | DeclaredTimeInFuture

// operations

/**
 * Judges a declared instant against the instant the ledger records it. Within the tolerance
 * either way: accepted as is. Earlier by more: accepted only with a source, and then marked
 * (the mark goes into the event's metadata and the report lists it). Later by more: refused.
 */
export const judgeDeclaredTime = (
  field: string,
  declaredAt: Instant,
  recordedAt: Instant,
  policy: RecordingPolicy,
  source: TimeSource | undefined,
): E.Either<DeclaredTimeError, RecordedLate | undefined> => {
  const tolerance = policy.lateEntryToleranceMinutes * 60_000
  const lag = epochMillis(recordedAt) - epochMillis(declaredAt)
  if (lag < -tolerance) {
    return E.left({
      _tag: 'DeclaredTimeInFuture',
      message: `${field} ${declaredAt} is later than the instant it is recorded, ${recordedAt}`,
      field,
      declaredAt,
      recordedAt,
    })
  }
  if (lag <= tolerance) return E.right(undefined)
  if (source === undefined) {
    return E.left({
      _tag: 'DeclaredTimeUnsourced',
      message: `${field} ${declaredAt} is more than ${policy.lateEntryToleranceMinutes} minutes before it is recorded at ${recordedAt}; give the source of that time (a Redmine timestamp, an e-mail's Date, a document)`,
      field,
      declaredAt,
      recordedAt,
      toleranceMinutes: policy.lateEntryToleranceMinutes,
    })
  }
  return E.right({ declaredAt, recordedAt, source })
}
