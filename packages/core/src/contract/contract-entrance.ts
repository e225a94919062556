/** The entrance of every ledger command: decode the request, then judge the time it declares against the time it is recorded. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { IANAZone } from 'luxon'
import type { CalendarRegistry } from '../calendar/business-calendar.js'
import { commandDecoder, invalidInput, type InvalidInput } from '../kernel/input-codec.js'
import type { Instant } from '../kernel/instant.js'
import { TimeSource, type EventMetadata, type RecordedEvent, type RecordedLate } from '../kernel/recorded-event.js'
import { startOfLocalDate } from './command-guards.js'
import { ContractCommand } from './contract-commands.js'
import { termsInForceAt, type ContractState } from './contract-decider.js'
import type { AmendmentBackdated } from './contract-errors.js'
import type { ContractEvent } from './contract-events.js'
import { defaultRecordingPolicy, judgeDeclaredTime, type DatedBeforeContractHistory, type DeclaredTimeError, type RecordingPolicy } from './recording-policy.js'

// model

/** The ledger's clock: when a command is recorded. An input like any other; the domain never reads a clock. */
export type Clock = () => Instant

/** What every request may add to its command: the source of the time it declares, when that time is well past. */
export const RequestExtras = { timeSource: TimeSource }
/** What every request may add to its command: `timeSource`, the source of a time it declares well in the past. */
export interface RequestExtras {
  readonly timeSource?: TimeSource
}

/**
 * Every way a request is refused at the entrance, before any aggregate decides: bad input, a declared time that cannot
 * stand, or a date before the contract's history.
 */
export type ContractEntranceError = InvalidInput | DeclaredTimeError | DatedBeforeContractHistory | AmendmentBackdated

// constructors

/** Decodes a contract command (registration or amendment) with its codec, plus an optional `timeSource`. */
export const decodeContractCommand = commandDecoder<ContractCommand & RequestExtras>(
  t.union((ContractCommand.types as unknown as t.Mixed[]).map((c) => t.intersection([c, t.partial(RequestExtras)], c.name)) as unknown as [t.Mixed, t.Mixed]),
  'ContractCommand',
)

// operations

/** The recording policy in force when a command is recorded; the default before the contract exists. */
export const recordingPolicyAt = (state: ContractState, recordedAt: Instant): RecordingPolicy =>
  termsInForceAt(state, recordedAt)?.recordingPolicy ?? defaultRecordingPolicy

/**
 * Judges each declared instant of a command, earliest first, and returns the mark for the
 * metadata when one is recorded late with its source. Without a recording instant (no clock
 * given to the ledger) nothing can be judged, and the declared time stands.
 */
export const judgeDeclaredTimes = (
  declared: ReadonlyArray<readonly [field: string, at: Instant]>,
  recordedAt: Instant | undefined,
  policy: RecordingPolicy,
  source: TimeSource | undefined,
): E.Either<DeclaredTimeError, RecordedLate | undefined> => {
  if (recordedAt === undefined) return E.right(undefined)
  let mark: RecordedLate | undefined
  for (const [field, at] of declared) {
    const judged = judgeDeclaredTime(field, at, recordedAt, policy, source)
    if (E.isLeft(judged)) return judged
    mark = mark ?? judged.right
  }
  return E.right(mark)
}

/** The metadata of a command's events: its actor and declared time, and the late-recording mark if any. */
export const metadataOf = (command: { readonly actor: EventMetadata['actor']; readonly at: Instant }, mark: RecordedLate | undefined): EventMetadata => ({
  actor: command.actor,
  occurredAt: command.at,
  ...(mark === undefined ? {} : { recordedLate: mark }),
})

/**
 * The checks a contract command passes before the Contract decides on it: its calendar is one
 * the ledger knows; it is dated no earlier than the contract's last event; its declared time is
 * judged against `recordedAt`; and an amendment takes effect no earlier than it is recorded, so
 * a report already issued never changes.
 */
export const admitContractCommand = (
  command: ContractCommand & RequestExtras,
  history: ReadonlyArray<RecordedEvent<ContractEvent>>,
  state: ContractState,
  calendars: CalendarRegistry,
  recordedAt: Instant | undefined,
): E.Either<ContractEntranceError, { readonly command: ContractCommand; readonly metadata: EventMetadata }> => {
  const { timeSource, ...plain } = command
  const contract = plain as ContractCommand
  // An unknown zone is the Contract's own refusal (UnknownTimeZone); the calendar is checked in a known one.
  if (contract.type === 'RegisterContract') {
    if (IANAZone.isValidZone(contract.timeZone) && calendars.calendarAt(contract.calendarId, startOfLocalDate(contract.term.start, contract.timeZone)) === undefined) {
      return E.left(invalidInput(contract.type, [{ path: 'calendarId', message: `unknown calendar ${JSON.stringify(contract.calendarId)} on ${contract.term.start}` }]))
    }
  } else if (contract.type === 'AmendContract' && contract.changes.calendarId !== undefined && state.status === 'registered') {
    const from = startOfLocalDate(contract.effectiveFrom, state.registered.timeZone)
    if (calendars.calendarAt(contract.changes.calendarId, from) === undefined) {
      return E.left(invalidInput(contract.type, [{ path: 'changes.calendarId', message: `unknown calendar ${JSON.stringify(contract.changes.calendarId)} on ${contract.effectiveFrom}` }]))
    }
  }
  const last = history.reduce<Instant | undefined>((m, e) => (m === undefined || e.data.at > m ? e.data.at : m), undefined)
  if (last !== undefined && contract.at < last) {
    return E.left({
      _tag: 'DatedBeforeContractHistory',
      message: `${contract.type} at ${contract.at} is dated before the contract's last event at ${last}`,
      contractId: contract.contractId,
      at: contract.at,
      last,
    })
  }
  const policy = contract.type === 'RegisterContract' && state.status === 'unregistered' ? (contract.recordingPolicy ?? defaultRecordingPolicy) : recordingPolicyAt(state, recordedAt ?? contract.at)
  const judged = judgeDeclaredTimes([['at', contract.at]], recordedAt, policy, timeSource)
  if (E.isLeft(judged)) return judged
  // Each signature of an amendment, the proposal and the countersignature, comes before it takes effect.
  const effectiveAt =
    state.status !== 'registered' ? undefined
    : contract.type === 'AmendContract' ? startOfLocalDate(contract.effectiveFrom, state.registered.timeZone)
    : contract.type === 'CountersignAmendment' ? state.pending.find((p) => p.amendmentId === contract.amendmentId)?.effectiveAt
    : undefined
  if ((contract.type === 'AmendContract' || contract.type === 'CountersignAmendment') && recordedAt !== undefined && effectiveAt !== undefined) {
    if (effectiveAt < recordedAt) {
      return E.left({
        _tag: 'AmendmentBackdated',
        message: `amendment ${contract.amendmentId} would take effect at ${effectiveAt}, before it was ${contract.type === 'AmendContract' ? 'recorded' : 'countersigned'} at ${recordedAt}`,
        effectiveAt,
        at: recordedAt,
      })
    }
  }
  return E.right({ command: contract, metadata: metadataOf(contract, judged.right) })
}
