/** The evidence appendix of a report: every event a verdict, the budget or a delivery cites, once, with the short id the page shows for it. */
import type { Instant } from '../kernel/instant.js'
import type { ComplianceReport } from './compliance-report.js'

// model

/** One cited event: its full id, when it happened (as the citing row says; a budget change's steps say no time), and the roles it plays where it is cited. */
export interface CitedEvent {
  readonly eventId: string
  readonly at?: Instant
  readonly roles: ReadonlyArray<string>
}

// operations

const hex = (id: string): string => id.replace(/-/g, '').toLowerCase()

/** The first 8 hex digits of an event id: what a row shows. */
export const shortEventId = (eventId: string): string => (/^[0-9a-f-]{8,}$/i.test(eventId) ? hex(eventId).slice(0, 8) : eventId)

/**
 * Short ids for a set of event ids: the first 8 hex digits, unless two ids share them (uuid v7 ids
 * made within the same minute do), then those are written `first8…tail` with the shortest tail that
 * tells them apart. The same set always gives the same names.
 */
export const shortEventIds = (eventIds: Iterable<string>): ReadonlyMap<string, string> => {
  const all = [...new Set(eventIds)].sort()
  const byHead = new Map<string, string[]>()
  for (const id of all) {
    const head = shortEventId(id)
    byHead.set(head, [...(byHead.get(head) ?? []), id])
  }
  const out = new Map<string, string>()
  for (const [head, ids] of byHead) {
    if (ids.length === 1) {
      out.set(ids[0] ?? '', head)
      continue
    }
    const full = ids.map(hex)
    let tail = 4
    while (tail < 32 && new Set(full.map((f) => f.slice(-tail))).size < full.length) tail += 4
    ids.forEach((id, i) => out.set(id, `${head}…${(full[i] ?? '').slice(-tail)}`))
  }
  return out
}

/** Every event the report cites, each once, in the order they happened (then by id). */
export const citedEvents = (report: ComplianceReport): ReadonlyArray<CitedEvent> => {
  const found = new Map<string, { at: Instant | undefined; roles: Set<string> }>()
  const cite = (eventId: string, at: Instant | undefined, role: string) => {
    const known = found.get(eventId)
    if (known === undefined) found.set(eventId, { at, roles: new Set([role]) })
    else {
      known.roles.add(role)
      if (known.at === undefined) known.at = at
    }
  }
  for (const o of report.obligations) for (const v of o.verdicts) for (const e of v.evidence) cite(e.eventId, e.at, e.role)
  for (const w of report.budget.warnings) cite(w.eventId, w.at, 'warning')
  for (const r of report.budget.refused) cite(r.eventId, r.at, 'cancelled')
  for (const c of report.budget.changes) for (const id of c.eventIds) cite(id, undefined, 'change')
  // Events with no time go last: '~' sorts after every ISO instant.
  const key = (e: CitedEvent) => `${e.at ?? '~'} ${e.eventId}`
  return [...found.entries()]
    .map(([eventId, { at, roles }]): CitedEvent => ({ eventId, ...(at === undefined ? {} : { at }), roles: [...roles].sort() }))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}
