/** The quarterly delivery decider: each delivery names its quarter and carries every change accepted since the last one. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { requireActor, startOfLocalDate } from '../contract/command-guards.js'
import { readonlyMapFromEntries } from '../kernel/collection-codecs.js'
import type { Decider } from '../kernel/decider.js'
import type { SnapshotPolicy } from '../kernel/snapshot-store.js'
import type { DeliveryCommand, RecordDelivery } from './delivery-commands.js'
import type { DeliveryError } from './delivery-errors.js'
import { changeKey, DeliveryRecorded, type DeliveryEvent } from './delivery-events.js'
import { quarterSchedule } from './quarter-schedule.js'

// model

/** Where a recorded delivery stands: delivered, then accepted or rejected by the customer. */
export type DeliveryStatus = 'delivered' | 'accepted' | 'rejected'

/** A contract's deliveries and, for each change, the standing delivery that carries it. */
export interface DeliveryState {
  readonly deliveries: ReadonlyMap<string, { readonly recorded: DeliveryRecorded; readonly status: DeliveryStatus }>
  /** Change key → the delivery that stands and contains it. A rejection removes its changes. */
  readonly delivered: ReadonlyMap<string, string>
}

/** The delivery state as a snapshot keeps it: each map as a JSON array of entries. */
export const DeliveryState: t.Type<DeliveryState, unknown, unknown> = t.readonly(
  t.type({
    deliveries: readonlyMapFromEntries(t.string, t.readonly(t.type({ recorded: DeliveryRecorded, status: t.keyof({ delivered: null, accepted: null, rejected: null }) }))),
    delivered: readonlyMapFromEntries(t.string, t.string),
  }),
  'DeliveryState',
)

/**
 * How a delivery stream is snapshotted: a delivery folds only the events after the latest
 * snapshot. Bump the version when `evolveDelivery` or the state changes.
 */
export const deliverySnapshots: SnapshotPolicy<DeliveryState> = { name: 'delivery', version: 'delivery-1', codec: DeliveryState }

/** The state of a delivery stream with no events. */
export const initialDeliveryState: DeliveryState = { deliveries: new Map(), delivered: new Map() }

// operations

/** Applies one delivery event to the state. */
export const evolveDelivery = (state: DeliveryState, event: DeliveryEvent): DeliveryState => {
  const deliveries = new Map(state.deliveries)
  const delivered = new Map(state.delivered)
  switch (event.type) {
    case 'DeliveryRecorded':
      deliveries.set(event.data.deliveryId, { recorded: event.data, status: 'delivered' })
      for (const c of event.data.changes) delivered.set(changeKey(c), event.data.deliveryId)
      break
    case 'DeliveryAccepted':
    case 'DeliveryRejected': {
      const d = deliveries.get(event.data.deliveryId)
      if (d === undefined) return state
      deliveries.set(event.data.deliveryId, { ...d, status: event.type === 'DeliveryAccepted' ? 'accepted' : 'rejected' })
      if (event.type === 'DeliveryRejected') {
        for (const c of d.recorded.changes) if (delivered.get(changeKey(c)) === event.data.deliveryId) delivered.delete(changeKey(c))
      }
      break
    }
  }
  return { deliveries, delivered }
}

const record = (command: RecordDelivery, state: DeliveryState): E.Either<DeliveryError, ReadonlyArray<DeliveryEvent>> => {
  if (state.deliveries.has(command.deliveryId)) {
    return E.left({ _tag: 'QuarterlyDeliveryAlreadyRecorded', message: `delivery ${command.deliveryId} is already recorded`, deliveryId: command.deliveryId })
  }
  if (command.version.trim().length === 0) {
    return E.left({ _tag: 'DeliveryVersionMissing', message: `delivery ${command.deliveryId} names no version`, deliveryId: command.deliveryId })
  }
  const scheduled = quarterSchedule(command.terms, command.terms.policy.deliveryGraceDays).find((q) => q.quarter === command.quarter)
  if (scheduled === undefined) {
    return E.left({ _tag: 'QuarterOutsideTerm', message: `quarter ${command.quarter} is outside the term of contract ${command.terms.contractId}`, quarter: command.quarter })
  }
  // A quarter's delivery hands over the product as modified in it: one made before the quarter began would answer for work not yet done.
  const startsAt = startOfLocalDate(scheduled.start, command.terms.timeZone)
  if (command.at < startsAt) {
    return E.left({
      _tag: 'QuarterNotStarted',
      message: `delivery ${command.deliveryId} at ${command.at} names quarter ${command.quarter}, which begins at ${startsAt}`,
      quarter: command.quarter,
      startsAt,
      at: command.at,
    })
  }
  const again = command.changes.flatMap((c) => {
    const earlier = state.delivered.get(changeKey(c))
    return earlier === undefined ? [] : [{ kind: c.kind, id: c.id, deliveryId: earlier }]
  })
  if (again.length > 0) {
    return E.left({
      _tag: 'ChangeAlreadyDelivered',
      message: `delivery ${command.deliveryId} repeats changes already delivered: ${again.map((c) => `${c.kind} ${c.id} in ${c.deliveryId}`).join(', ')}`,
      deliveryId: command.deliveryId,
      changes: again,
    })
  }
  const acceptedByNow = new Set(command.acceptedChanges.filter((c) => c.acceptedAt <= command.at).map(changeKey))
  const unaccepted = command.changes.filter((c) => !acceptedByNow.has(changeKey(c))).map((c) => ({ kind: c.kind, id: c.id }))
  if (unaccepted.length > 0) {
    return E.left({
      _tag: 'ChangeNotAccepted',
      message: `delivery ${command.deliveryId} carries changes the customer has not accepted: ${unaccepted.map((c) => `${c.kind} ${c.id}`).join(', ')}`,
      deliveryId: command.deliveryId,
      changes: unaccepted,
    })
  }
  const included = new Set(command.changes.map(changeKey))
  const missing = command.acceptedChanges
    .filter((c) => c.acceptedAt <= command.at && !state.delivered.has(changeKey(c)) && !included.has(changeKey(c)))
    .map((c) => ({ kind: c.kind, id: c.id }))
  if (missing.length > 0) {
    return E.left({
      _tag: 'AcceptedChangesLeftOut',
      message: `delivery ${command.deliveryId} leaves out accepted changes: ${missing.map((c) => `${c.kind} ${c.id}`).join(', ')}`,
      deliveryId: command.deliveryId,
      missing,
    })
  }
  // One entry per change, whatever the caller repeated.
  const changes = [...new Map(command.changes.map((c) => [changeKey(c), { kind: c.kind, id: c.id }] as const)).values()]
  return E.right([{
    type: 'DeliveryRecorded',
    data: {
      contractId: command.terms.contractId, deliveryId: command.deliveryId, at: command.at, actor: command.actor,
      quarter: command.quarter, dueAt: scheduled.dueAt, version: command.version, artifactSha256: command.artifactSha256, changes,
    },
  }])
}

const settle = (command: DeliveryCommand, state: DeliveryState): E.Either<DeliveryError, void> => {
  const d = state.deliveries.get(command.deliveryId)
  if (d === undefined) return E.left({ _tag: 'DeliveryNotFound', message: `delivery ${command.deliveryId} was never recorded`, deliveryId: command.deliveryId })
  if (d.status !== 'delivered') {
    return E.left({ _tag: 'DeliveryAlreadySettled', message: `delivery ${command.deliveryId} is already ${d.status}`, deliveryId: command.deliveryId, status: d.status })
  }
  return command.at < d.recorded.at
    ? E.left({
        _tag: 'SettledBeforeDelivery',
        message: `${command.type} of delivery ${command.deliveryId} at ${command.at} is dated before the delivery at ${d.recorded.at}`,
        deliveryId: command.deliveryId,
        deliveredAt: d.recorded.at,
        at: command.at,
      })
    : E.right(undefined)
}

/** Deliveries are not bound to the term being in force: the last quarter's is due after the term ends. */
export const decideDelivery = (command: DeliveryCommand, state: DeliveryState): E.Either<DeliveryError, ReadonlyArray<DeliveryEvent>> => {
  const base = { contractId: command.terms.contractId, deliveryId: command.deliveryId, at: command.at, actor: command.actor }
  switch (command.type) {
    case 'RecordDelivery':
      return pipe(requireActor(command.type, command.actor, command.terms), E.flatMap(() => record(command, state)))
    case 'AcceptDelivery':
      return pipe(
        requireActor(command.type, command.actor, command.terms),
        E.flatMap(() => settle(command, state)),
        E.map((): ReadonlyArray<DeliveryEvent> => [{ type: 'DeliveryAccepted', data: base }]),
      )
    case 'RejectDelivery':
      return pipe(
        requireActor(command.type, command.actor, command.terms),
        E.flatMap(() => settle(command, state)),
        E.map((): ReadonlyArray<DeliveryEvent> => [{ type: 'DeliveryRejected', data: { ...base, reason: command.reason } }]),
      )
  }
}

/**
 * The delivery aggregate (clause 10): each quarter's release to the software fund, which must carry every change
 * accepted by then.
 */
export const deliveryDecider: Decider<DeliveryCommand, DeliveryState, DeliveryEvent, DeliveryError> = {
  initialState: initialDeliveryState,
  evolve: evolveDelivery,
  decide: decideDelivery,
}
