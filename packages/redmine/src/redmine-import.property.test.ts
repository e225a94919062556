import {
  contractLedger,
  createInMemoryStorage,
  exampleCountersignature,
  exampleRegistration,
  inMemoryEventStore,
  inMemoryOutbox,
  instantOf,
  storeUnavailable,
  ticketEvents,
  type ContractId,
  type Instant,
} from '@support-ledger/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { RedmineClient, RedmineIssue, RedmineJournal } from './redmine-client.js'
import { redmineImportEvents } from './redmine-import-events.js'
import { redmineImport } from './redmine-import.js'
import { defaultRedmineMapping, type ResolvedMapping } from './redmine-mapping.js'
import { calendars } from './redmine-test-ledger.js'

// A Redmine in memory with the two behaviours the import must survive: timestamps in whole
// seconds, and `updated_on>=` filters that return everything changed in the checkpoint's second.

const contractId = 'C-2024-001' as ContractId
const priorities = ['Low', 'Normal', 'High', 'Urgent'] as const
const priorityIds = new Map(priorities.map((p, i) => [p, i + 1]))
const customerId = 6
const syncId = 5

const resolved: ResolvedMapping = (() => {
  const mapping = defaultRedmineMapping([{ project: 'p', contractId }], [{ redmineUserId: customerId, person: 'aigerim' }])
  const byName = (xs: ReadonlyArray<string>) => new Map(xs.map((x, i) => [x, i + 1]))
  const byId = (xs: ReadonlyArray<string>) => new Map(xs.map((x, i) => [i + 1, x]))
  const trackers = ['Bug', 'Feature', 'Support']
  const statuses = ['New', 'In Progress', 'Resolved', 'Feedback', 'Closed', 'Rejected']
  return {
    mapping,
    me: { id: syncId, login: 'ledger' },
    projects: [{ project: { id: 1, identifier: 'p', name: 'p' }, contractId }],
    trackers: byName(trackers),
    statuses: byName(statuses),
    priorities: priorityIds,
    fields: new Map([['Ledger key', 1], ['Deadline agreement', 2], ['Request kind', 3]]),
    names: { trackers: byId(trackers), statuses: byId(statuses), priorities: byId([...priorities]) },
    marker: 'support-ledger',
    language: 'en',
  }
})()

const fakeRedmine = () => {
  let ms = Date.parse('2025-03-03T04:00:00.000Z')
  let nextJournal = 1
  const issues: RedmineIssue[] = []
  const served = new Set<number>()
  let journalsServedAgain = 0
  const stamp = () => new Date(Math.floor(ms / 1_000) * 1_000).toISOString().replace('.000Z', 'Z')
  const client: Pick<RedmineClient, 'issues' | 'issue'> = {
    issues: (q) => async () => {
      const since = q.updatedSince === undefined ? '' : q.updatedSince.replace(/\.\d{3}Z$/, 'Z')
      const all = issues.filter((i) => i.updated_on >= since).sort((a, b) => (a.updated_on < b.updated_on ? -1 : a.updated_on > b.updated_on ? 1 : a.id - b.id))
      const offset = q.offset ?? 0
      return E.right({ issues: structuredClone(all.slice(offset, offset + (q.limit ?? 100))), total: all.length })
    },
    issue: (id) => async () => {
      const found = issues.find((i) => i.id === id)
      if (found === undefined) return E.left({ _tag: 'RedmineNotFound', message: 'no issue', method: 'GET', path: `/issues/${id}.json` })
      for (const j of found.journals ?? []) {
        if (served.has(j.id)) journalsServedAgain++
        served.add(j.id)
      }
      return E.right(structuredClone(found))
    },
  }
  const touch = (issue: RedmineIssue, journal: Omit<RedmineJournal, 'id' | 'created_on'>) => {
    issue.journals = [...(issue.journals ?? []), { id: nextJournal++, created_on: stamp(), ...journal }]
    issue.updated_on = stamp()
  }
  return {
    client: client as RedmineClient,
    advance: (by: number) => {
      ms += by
    },
    now: (): Instant => instantOf(ms),
    journalsServedAgain: () => journalsServedAgain,
    file: () => {
      const issue: RedmineIssue = {
        id: issues.length + 1,
        project: { id: 1, name: 'p' },
        tracker: { id: 1, name: 'Bug' },
        status: { id: 1, name: 'New' },
        priority: { id: 2, name: 'Normal' },
        author: { id: customerId, name: 'Айгерим' },
        subject: `Запрос ${issues.length + 1}`,
        created_on: stamp(),
        updated_on: stamp(),
        journals: [],
      }
      issues.push(issue)
    },
    changePriority: (index: number, to: (typeof priorities)[number]) => {
      const issue = issues[index % Math.max(1, issues.length)]
      if (issue === undefined || issue.priority.name === to) return false
      const from = issue.priority.id
      issue.priority = { id: priorityIds.get(to)!, name: to }
      touch(issue, { user: { id: customerId, name: 'Айгерим' }, notes: '', details: [{ property: 'attr', name: 'priority_id', old_value: String(from), new_value: String(priorityIds.get(to)) }] })
      return true
    },
    comment: (index: number, by: number) => {
      const issue = issues[index % Math.max(1, issues.length)]
      if (issue === undefined) return
      touch(issue, { user: { id: by, name: by === syncId ? 'Ledger' : 'Айгерим' }, notes: 'Комментарий', details: [] })
    },
  }
}

const Step = fc.oneof(
  { arbitrary: fc.constant({ type: 'file' as const }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('priority' as const), issue: fc.nat(5), to: fc.constantFrom(...priorities) }), weight: 4 },
  { arbitrary: fc.record({ type: fc.constant('comment' as const), issue: fc.nat(5), bySync: fc.boolean() }), weight: 2 },
  { arbitrary: fc.constant({ type: 'poll' as const }), weight: 4 },
)

describe('redmine import (property)', () => {
  it('files each issue once and applies each journal once, whatever the overlap of the polls and the sub-second timing', async () => {
    let rereads = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(Step, fc.integer({ min: 0, max: 1_500 })), { minLength: 1, maxLength: 25 }),
        fc.constantFrom(0, 1_000, 120_000),
        async (steps, overlapMs) => {
          runs++
          const redmine = fakeRedmine()
          const storage = createInMemoryStorage({ clock: redmine.now })
          const ledger = contractLedger({ storeFor: (c) => inMemoryEventStore(c, storage), calendars })
          await ledger.contracts.handle(exampleRegistration())()
    await ledger.contracts.handle(exampleCountersignature())()
          await ledger.contracts.handle(exampleCountersignature())()
          const importer = redmineImport({
            client: redmine.client,
            mapping: resolved,
            tickets: ledger.tickets,
            ticketEvents: inMemoryEventStore(ticketEvents, storage),
            record: inMemoryEventStore(redmineImportEvents, createInMemoryStorage({ clock: redmine.now })),
            outbox: inMemoryOutbox({ clock: redmine.now }),
            source: 'fake',
            clock: redmine.now,
            overlapMs,
          })
          let filed = 0
          let changes = 0
          let applied = 0
          let imported = 0
          const poll = async () => {
            const r = await importer.poll()()
            if (E.isLeft(r)) throw new Error(r.left.message)
            expect(r.right.rejected).toBe(0)
            imported += r.right.filed
            applied += r.right.applied
          }
          for (const [step, pause] of steps) {
            redmine.advance(pause)
            if (step.type === 'file') {
              redmine.file()
              filed++
            } else if (step.type === 'priority') {
              if (redmine.changePriority(step.issue, step.to)) changes++
            } else if (step.type === 'comment') redmine.comment(step.issue, step.bySync ? syncId : customerId)
            else await poll()
          }
          redmine.advance(1_000)
          await poll()
          await poll()
          if (redmine.journalsServedAgain() > 0) rereads++
          expect(imported).toBe(filed)
          expect(applied).toBe(changes)
          const events = await ledger.events()()
          if (E.isLeft(events)) throw new Error(events.left.message)
          expect(events.right.filter((e) => e.type === 'RequestFiled')).toHaveLength(filed)
          expect(events.right.filter((e) => e.type === 'PriorityChanged')).toHaveLength(changes)
        },
      ),
      { numRuns: 150 },
    )
    // The property is about re-reading: enough runs must read a journal again after it was first read.
    expect(rereads / runs).toBeGreaterThan(0.3)
  })

  it('applies nothing twice when the process stops between the ledger and the import record', async () => {
    const redmine = fakeRedmine()
    const storage = createInMemoryStorage({ clock: redmine.now })
    const ledger = contractLedger({ storeFor: (c) => inMemoryEventStore(c, storage), calendars })
    await ledger.contracts.handle(exampleRegistration())()
    await ledger.contracts.handle(exampleCountersignature())()
    const record = inMemoryEventStore(redmineImportEvents, createInMemoryStorage({ clock: redmine.now }))
    let crash = false
    // The record refuses "applied" once: as if the process died right after the ledger took the command.
    const crashing: typeof record = {
      ...record,
      append: (streamId, events, options) => async () => {
        if (crash && events.some((e) => e.event.type === 'RedmineJournalApplied')) {
          crash = false
          return E.left(storeUnavailable(new Error('process stopped')))
        }
        return record.append(streamId, events, options)()
      },
    }
    const importer = redmineImport({ client: redmine.client, mapping: resolved, tickets: ledger.tickets, ticketEvents: inMemoryEventStore(ticketEvents, storage), record: crashing, outbox: inMemoryOutbox({ clock: redmine.now }), source: 'fake', clock: redmine.now })
    redmine.file()
    expect(await importer.poll()()).toMatchObject(E.right({ filed: 1 }))
    redmine.advance(2_000)
    redmine.changePriority(0, 'High')
    crash = true
    expect(await importer.poll()()).toMatchObject(E.left({ _tag: 'ImportStoreFailed' }))
    redmine.advance(2_000)
    // Priority back and forth within one second: the same kind of event twice, told apart by position.
    redmine.changePriority(0, 'Low')
    redmine.changePriority(0, 'High')
    expect(await importer.poll()()).toMatchObject(E.right({ applied: 3, rejected: 0 }))
    const events = await ledger.events()()
    if (E.isLeft(events)) throw new Error(events.left.message)
    expect(events.right.filter((e) => e.type === 'PriorityChanged').map((e) => e.data)).toMatchObject([
      { from: 'normal', to: 'high' },
      { from: 'high', to: 'low' },
      { from: 'low', to: 'high' },
    ])
  })
})
