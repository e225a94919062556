/** Pure queries over recorded deliveries: each quarter's verdict, late and missing deliveries, accepted changes left out. */
import type { Instant } from '../kernel/instant.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { Evidence, ObligationVerdict } from '../sla/obligation.js'
import { changeKey, type AcceptedChange, type DeliveryEvent, type DeliveryRecorded } from './delivery-events.js'
import type { ScheduledQuarter } from './quarter-schedule.js'

// model

/** A delivery as recorded, with how the customer settled it and the events that prove it. */
export interface RecordedDelivery {
  readonly recorded: DeliveryRecorded
  readonly recordedEventId: string
  readonly status: 'delivered' | 'accepted' | 'rejected'
  readonly settledAt?: Instant
  readonly settledEventId?: string
  readonly rejectionReason?: string
}

/**
 * A quarter of the term with its delivery verdict: met, breached (late or missing) or pending, and the delivery that
 * counts.
 */
export interface QuarterVerdict extends ScheduledQuarter {
  readonly verdict: ObligationVerdict
  /** The delivery that counts for the quarter: the first that was not rejected by the as-of instant. */
  readonly deliveryId?: string
  readonly deliveredAt?: Instant
  /** Delivered after `dueAt`. */
  readonly late: boolean
  /** Nothing delivered and `dueAt` passed. */
  readonly missing: boolean
  readonly evidence: ReadonlyArray<Evidence>
}

export interface ChangeLeftOut extends AcceptedChange {
  /** The first delivery after the acceptance that should have carried it. */
  readonly skippedBy: string
}

// operations

/** The deliveries recorded by `asOf`, with their status as of then, in the order recorded. */
export const deliveriesAsOf = (events: ReadonlyArray<RecordedEvent<DeliveryEvent>>, asOf: Instant): ReadonlyArray<RecordedDelivery> => {
  const byId = new Map<string, RecordedDelivery>()
  for (const e of events) {
    if (e.data.at > asOf) continue
    switch (e.type) {
      case 'DeliveryRecorded':
        byId.set(e.data.deliveryId, { recorded: e.data, recordedEventId: e.eventId, status: 'delivered' })
        break
      case 'DeliveryAccepted':
      case 'DeliveryRejected': {
        const d = byId.get(e.data.deliveryId)
        if (d === undefined) break
        byId.set(e.data.deliveryId, {
          ...d,
          status: e.type === 'DeliveryAccepted' ? 'accepted' : 'rejected',
          settledAt: e.data.at,
          settledEventId: e.eventId,
          ...(e.type === 'DeliveryRejected' ? { rejectionReason: e.data.reason } : {}),
        })
        break
      }
    }
  }
  return [...byId.values()]
}

const evidenceOf = (d: RecordedDelivery): ReadonlyArray<Evidence> => [
  { eventId: d.recordedEventId, at: d.recorded.at, role: 'stopped' },
  ...(d.settledEventId !== undefined && d.settledAt !== undefined && d.status === 'accepted'
    ? [{ eventId: d.settledEventId, at: d.settledAt, role: 'accepted' as const }]
    : []),
]

/** Each scheduled quarter's verdict as of `asOf`: met if delivered by its due instant, breached if late or missing. */
export const quarterVerdicts = (
  schedule: ReadonlyArray<ScheduledQuarter>,
  deliveries: ReadonlyArray<RecordedDelivery>,
  asOf: Instant,
): ReadonlyArray<QuarterVerdict> =>
  schedule.map((q) => {
    const rejected = deliveries.filter((d) => d.recorded.quarter === q.quarter && d.status === 'rejected')
    const standing = deliveries
      .filter((d) => d.recorded.quarter === q.quarter && d.status !== 'rejected')
      .sort((a, b) => (a.recorded.at < b.recorded.at ? -1 : a.recorded.at > b.recorded.at ? 1 : 0))[0]
    const rejectedEvidence: Evidence[] = rejected.flatMap((d) => [
      { eventId: d.recordedEventId, at: d.recorded.at, role: 'delivered' as const },
      ...(d.settledEventId !== undefined && d.settledAt !== undefined ? [{ eventId: d.settledEventId, at: d.settledAt, role: 'rejected' as const }] : []),
    ])
    if (standing === undefined) {
      const missing = asOf > q.dueAt
      return { ...q, verdict: missing ? 'breached' : 'pending', late: false, missing, evidence: rejectedEvidence }
    }
    const late = standing.recorded.at > q.dueAt
    return {
      ...q,
      verdict: late ? 'breached' : 'met',
      deliveryId: standing.recorded.deliveryId,
      deliveredAt: standing.recorded.at,
      late,
      missing: false,
      evidence: [...rejectedEvidence, ...evidenceOf(standing)].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : 1)),
    }
  })

/** The quarters whose delivery came after its due instant. */
export const lateDeliveries = (verdicts: ReadonlyArray<QuarterVerdict>): ReadonlyArray<QuarterVerdict> => verdicts.filter((v) => v.late)

/** The quarters past due with no delivery that stands. */
export const missingDeliveries = (verdicts: ReadonlyArray<QuarterVerdict>): ReadonlyArray<QuarterVerdict> => verdicts.filter((v) => v.missing)

/** Which standing delivery carries each change, by change key. */
export const deliveredChanges = (deliveries: ReadonlyArray<RecordedDelivery>): ReadonlyMap<string, ReadonlyArray<string>> => {
  const out = new Map<string, string[]>()
  for (const d of deliveries) {
    if (d.status === 'rejected') continue
    for (const c of d.recorded.changes) out.set(changeKey(c), [...(out.get(changeKey(c)) ?? []), d.recorded.deliveryId])
  }
  return out
}

/**
 * Accepted changes that a later standing delivery should have carried but that no standing delivery
 * contains. A change is owed from its acceptance, or from the rejection of the delivery that carried it.
 */
export const changesLeftOut = (
  accepted: ReadonlyArray<AcceptedChange>,
  deliveries: ReadonlyArray<RecordedDelivery>,
): ReadonlyArray<ChangeLeftOut> => {
  const carried = deliveredChanges(deliveries)
  const released = new Map<string, Instant>()
  for (const d of deliveries) {
    if (d.status !== 'rejected' || d.settledAt === undefined) continue
    for (const c of d.recorded.changes) {
      const previous = released.get(changeKey(c))
      if (previous === undefined || previous < d.settledAt) released.set(changeKey(c), d.settledAt)
    }
  }
  const standing = deliveries.filter((d) => d.status !== 'rejected').sort((a, b) => (a.recorded.at < b.recorded.at ? -1 : a.recorded.at > b.recorded.at ? 1 : 0))
  return accepted.flatMap((c) => {
    if (carried.has(changeKey(c))) return []
    const releasedAt = released.get(changeKey(c))
    const owedFrom = releasedAt !== undefined && releasedAt > c.acceptedAt ? releasedAt : c.acceptedAt
    const next = standing.find((d) => d.recorded.at >= owedFrom)
    return next === undefined ? [] : [{ ...c, skippedBy: next.recorded.deliveryId }]
  })
}

/** Accepted changes that wait for the next delivery: no standing delivery carries them and none was made since. */
export const changesAwaitingDelivery = (
  accepted: ReadonlyArray<AcceptedChange>,
  deliveries: ReadonlyArray<RecordedDelivery>,
): ReadonlyArray<AcceptedChange> => {
  const carried = deliveredChanges(deliveries)
  const left = new Set(changesLeftOut(accepted, deliveries).map(changeKey))
  return accepted.filter((c) => !carried.has(changeKey(c)) && !left.has(changeKey(c)))
}
