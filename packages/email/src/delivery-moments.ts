/**
 * The moments of the quarterly deliveries, which the obligation schedule does not hold: each quarter's delivery
 * due soon (a number of days before its due instant) and late (at it), for quarters no delivery has answered.
 */
import { deliveriesAsOf, quarterSchedule, type ContractTerms, type DeliveryEvent, type Instant, type RecordedEvent } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { ObligationMoments, ScheduleMoment } from './schedule-mails.js'

// model

/** A contract whose quarterly deliveries are watched: its id, and the term and time zone its quarters follow. */
export interface DeliveryContract {
  readonly contractId: string
  readonly terms: Pick<ContractTerms, 'term' | 'timeZone'>
  /** The grace days of the contract's policy (the delivery decider's default when the policy sets none). */
  readonly graceDays: number
}

/** Where the delivery moments read contracts and their delivery events, and how early "due soon" is. */
export interface DeliveryMomentsDeps {
  /** The contracts whose deliveries are watched. */
  readonly contracts: () => TaskEither<unknown, ReadonlyArray<DeliveryContract>>
  /** The recorded delivery events of a contract. */
  readonly deliveries: (contractId: string) => TaskEither<unknown, ReadonlyArray<RecordedEvent<DeliveryEvent>>>
  /** How long before its due instant a delivery is "due soon"; default 7 days. */
  readonly dueSoonDays?: number
}

// constructors

const keyOf = (contractId: string, quarter: string): string => `delivery:${contractId}:${quarter}`

/** Whether a delivery not rejected by `at` answers the quarter. */
const delivered = (events: ReadonlyArray<RecordedEvent<DeliveryEvent>>, quarter: string, at: Instant): boolean =>
  deliveriesAsOf(events, at).some((d) => d.recorded.quarter === quarter && d.status !== 'rejected')

/**
 * The moments of the quarterly deliveries (due soon, late) for `enqueueScheduleMails`; join them with the schedule's
 * own with `joinMoments`.
 */
export const deliveryMoments = (deps: DeliveryMomentsDeps): ObligationMoments => {
  const dueSoonMs = (deps.dueSoonDays ?? 7) * 86_400_000
  return {
    momentsBetween: (from, to) => async () => {
      const contracts = await deps.contracts()()
      if (E.isLeft(contracts)) return contracts
      const out: ScheduleMoment[] = []
      for (const c of contracts.right) {
        const events = await deps.deliveries(c.contractId)()
        if (E.isLeft(events)) return events
        for (const q of quarterSchedule(c.terms, c.graceDays)) {
          const soon = new Date(Date.parse(q.dueAt) - dueSoonMs).toISOString() as Instant
          // `dueAt` is the last millisecond of the last grace day: a delivery then is on time, the next one is late.
          const late = new Date(Date.parse(q.dueAt) + 1).toISOString() as Instant
          for (const [moment, at] of [
            ['due-soon', soon],
            ['late', late],
          ] as const) {
            if (at < from || at >= to || delivered(events.right, q.quarter, at)) continue
            out.push({ contractId: c.contractId, obligationKey: keyOf(c.contractId, q.quarter), obligation: 'quarterly-delivery', moment, subject: { kind: 'delivery', id: q.quarter }, dueAt: q.dueAt, at })
          }
        }
      }
      return E.right(out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)))
    },
    stillOpen: (obligation, at) => async () => {
      const match = /^delivery:(.*):(\d{4}-Q[1-4])$/.exec(obligation.key)
      if (match === null || match[1] !== obligation.contractId) return E.right(false)
      const events = await deps.deliveries(obligation.contractId)()
      return E.isLeft(events) ? events : E.right(!delivered(events.right, match[2]!, at))
    },
  }
}
