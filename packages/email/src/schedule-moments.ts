/**
 * The obligation schedule of the ledger as the moments the mails need: a warning threshold crossed or a due
 * instant reached by an open obligation of a ticket or an incident, and for a quarter without a delivery that
 * counts, its delivery due soon (a number of days before its due instant) and late (at it).
 */
import { addMillis, subjectKey, type ObligationSchedule, type ScheduleAlarm, type ScheduledObligation } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { ObligationMoments, ScheduleMoment } from './schedule-mails.js'

// constructors

/**
 * An obligation's key: its subject, its name and when its clock started. A clock started again (a new
 * agreed deadline after a rejected fix) is another obligation and warns again; a moved due instant is not.
 */
export const obligationKeyOf = (o: ScheduledObligation): string => `${subjectKey(o.subject)}:${o.obligation}:${o.startedAt}`

/** A quarter's subject id is `<contract>/<quarter>`; mails name the quarter. */
const subjectOf = (o: ScheduledObligation): ScheduleMoment['subject'] =>
  o.subject.aggregate === 'quarter' ? { kind: 'delivery', id: o.subject.id.slice(o.subject.id.lastIndexOf('/') + 1) } : { kind: o.subject.aggregate, id: o.subject.id }

const momentOf = (alarm: ScheduleAlarm): ScheduleMoment => ({
  contractId: alarm.obligation.contractId,
  obligationKey: obligationKeyOf(alarm.obligation),
  obligation: alarm.obligation.obligation,
  moment: alarm.kind === 'warning' ? 'warning' : alarm.obligation.subject.aggregate === 'quarter' ? 'late' : 'breach',
  ...(alarm.bps === undefined ? {} : { thresholdBps: alarm.bps }),
  subject: subjectOf(alarm.obligation),
  dueAt: alarm.obligation.dueAt ?? alarm.at,
  // A quarter's due instant is the last millisecond of its last grace day: a delivery then is still on time.
  at: alarm.kind === 'due' && alarm.obligation.subject.aggregate === 'quarter' ? addMillis(alarm.at, 1) : alarm.at,
})

const byTime = (a: ScheduleMoment, b: ScheduleMoment): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)

/** `deliveryDueSoonDays`: how long before a quarter's due instant its delivery is "due soon"; default 7. */
export const momentsFromObligationSchedule = (schedule: ObligationSchedule, options: { readonly deliveryDueSoonDays?: number } = {}): ObligationMoments => ({
  momentsBetween: (from, to) => async () => {
    const alarms = await schedule.alarmsBetween({ from, to })()
    if (E.isLeft(alarms)) return alarms
    // A quarter falls due soon `ahead` before it falls due: the quarters due in the window shifted by `ahead`.
    const ahead = (options.deliveryDueSoonDays ?? 7) * 86_400_000
    const shifted = await schedule.alarmsBetween({ from: addMillis(from, ahead), to: addMillis(to, ahead) })()
    if (E.isLeft(shifted)) return shifted
    const soon = shifted.right
      .filter((a) => a.kind === 'due' && a.obligation.subject.aggregate === 'quarter')
      .map((a): ScheduleMoment => ({ ...momentOf(a), moment: 'due-soon', at: addMillis(a.at, -ahead) }))
    return E.right([...alarms.right.map(momentOf), ...soon].sort(byTime))
  },
  stillOpen: (obligation) => async () => {
    const open = await schedule.openOf(obligation.contractId)()
    return E.isLeft(open) ? open : E.right(open.right.some((o) => obligationKeyOf(o) === obligation.key))
  },
})

/** Moments from several sources (the ledger's schedule, deliveries), in order of time. */
export const joinMoments = (...sources: ReadonlyArray<ObligationMoments>): ObligationMoments => ({
  momentsBetween: (from, to) => async () => {
    const out: ScheduleMoment[] = []
    for (const source of sources) {
      const found = await source.momentsBetween(from, to)()
      if (E.isLeft(found)) return found
      out.push(...found.right)
    }
    return E.right(out.sort(byTime))
  },
  stillOpen: (obligation, at) => async () => {
    for (const source of sources) {
      const open = await source.stillOpen(obligation, at)()
      if (E.isLeft(open) || open.right) return open
    }
    return E.right(false)
  },
})
