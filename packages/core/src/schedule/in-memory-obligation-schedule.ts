/** The obligation schedule in process memory: a projection of the global log, run and replayed like any other. */
import * as E from 'fp-ts/lib/Either.js'
import type { Projection } from '../kernel/projection.js'
import type { RecordedEvent } from '../kernel/recorded-event.js'
import type { LedgerEvent } from '../report/ledger-events.js'
import {
  alarmsOf,
  compareAlarms,
  compareScheduled,
  scheduleOfSource,
  scheduleSourceOf,
  sourceKey,
  validateScheduleQuery,
  type ObligationSchedule,
  type ScheduleDeps,
  type ScheduledObligation,
  type ScheduleProblem,
  type ScheduleSource,
} from './obligation-schedule.js'

// model

export interface InMemoryObligationSchedule extends ObligationSchedule, Projection<LedgerEvent> {
  /** Every open obligation, in schedule order. */
  readonly all: () => ReadonlyArray<ScheduledObligation>
  /** Sources left out because their obligations could not be computed. */
  readonly problems: () => ReadonlyArray<ScheduleProblem>
}

interface Source {
  readonly source: ScheduleSource
  readonly events: Array<RecordedEvent<LedgerEvent>>
  rows: ReadonlyArray<ScheduledObligation>
  problem?: ScheduleProblem
}

// constructors

/** `name` is the projection's checkpoint name; default `obligation-schedule`. */
export const inMemoryObligationSchedule = (deps: ScheduleDeps & { readonly name?: string }): InMemoryObligationSchedule => {
  let subjects = new Map<string, Source>()
  const all = () => [...subjects.values()].flatMap((s) => s.rows).sort(compareScheduled)
  return {
    name: deps.name ?? 'obligation-schedule',
    handle: async (events) => {
      const touched = new Set<Source>()
      for (const e of events) {
        const source = scheduleSourceOf(e)
        if (source === undefined) continue
        const key = sourceKey(source)
        let s = subjects.get(key)
        if (s === undefined) subjects.set(key, (s = { source, events: [], rows: [] }))
        s.events.push(e)
        touched.add(s)
      }
      for (const s of touched) {
        const rows = scheduleOfSource(s.source, s.events, deps)
        if (E.isLeft(rows)) {
          s.rows = []
          s.problem = rows.left
        } else {
          s.rows = rows.right
          delete s.problem
        }
      }
    },
    reset: async () => {
      subjects = new Map()
    },
    all,
    problems: () => [...subjects.values()].flatMap((s) => (s.problem === undefined ? [] : [s.problem])),
    openOf: (contractId) => async () => {
      const bad = validateScheduleQuery({ contractId })
      return bad === undefined ? E.right(all().filter((o) => o.contractId === contractId)) : E.left(bad)
    },
    alarmsBetween: ({ from, to }) => async () => {
      const bad = validateScheduleQuery({ from, to })
      if (bad !== undefined) return E.left(bad)
      return E.right(
        all()
          .flatMap(alarmsOf)
          .filter((a) => a.at >= from && a.at < to)
          .sort(compareAlarms),
      )
    },
  }
}
