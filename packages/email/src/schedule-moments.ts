/**
 * The obligation schedule of the ledger as the moments the mails need: a warning threshold crossed or a due
 * instant passed by an open obligation of a ticket or an incident. Deliveries are not in that schedule; give
 * their moments through another `ObligationMoments` and join the two with `joinMoments`.
 */
import { subjectKey, type ObligationSchedule, type ScheduleAlarm, type ScheduledObligation } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import type { ObligationMoments, ScheduleMoment } from './schedule-mails.js'

// constructors

/**
 * An obligation's key: its subject, its name and when its clock started. A clock started again (a new
 * agreed deadline after a rejected fix) is another obligation and warns again; a moved due instant is not.
 */
export const obligationKeyOf = (o: ScheduledObligation): string => `${subjectKey(o.subject)}:${o.obligation}:${o.startedAt}`

const momentOf = (alarm: ScheduleAlarm): ScheduleMoment => ({
  contractId: alarm.obligation.contractId,
  obligationKey: obligationKeyOf(alarm.obligation),
  obligation: alarm.obligation.obligation,
  moment: alarm.kind === 'due' ? 'breach' : 'warning',
  ...(alarm.bps === undefined ? {} : { thresholdBps: alarm.bps }),
  subject: { kind: alarm.obligation.subject.aggregate, id: alarm.obligation.subject.id },
  dueAt: alarm.obligation.dueAt ?? alarm.at,
  at: alarm.at,
})

export const momentsFromObligationSchedule = (schedule: ObligationSchedule): ObligationMoments => ({
  momentsBetween: (from, to) => async () => {
    const alarms = await schedule.alarmsBetween({ from, to })()
    return E.isLeft(alarms) ? alarms : E.right(alarms.right.map(momentOf))
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
    return E.right(out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)))
  },
  stillOpen: (obligation, at) => async () => {
    for (const source of sources) {
      const open = await source.stillOpen(obligation, at)()
      if (E.isLeft(open) || open.right) return open
    }
    return E.right(false)
  },
})
