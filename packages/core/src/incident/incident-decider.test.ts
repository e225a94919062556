import { fc, test as propTest } from '@fast-check/vitest'
import { expectReaches } from '../testing/arbitraries.js'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { exampleTerms } from '../ticket/ticket.fixture.js'
import { fold } from '../kernel/decider.js'
import type { Instant } from '../kernel/instant.js'
import type { Actor } from '../kernel/recorded-event.js'
import type { PositiveMinutes } from '../sla/sla-policy.js'
import { scenario } from '../testing/scenario.js'
import { IncidentCommand } from './incident-commands.js'
import { incidentDecider } from './incident-decider.js'
import { incidentEvents, type FailureReport, type IncidentEvent, type IncidentId } from './incident-events.js'

const terms = exampleTerms
const customer: Actor = { party: 'customer', id: 'aigerim' }
const supplier: Actor = { party: 'supplier', id: 'daniyar' }
const incidentId = 'INC-1' as IncidentId
const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z` as Instant
const report: FailureReport = {
  summary: 'The database ran out of disk space',
  rootCauses: ['Log rotation was disabled'],
  preventiveMeasures: ['Enable log rotation', 'Alert at 80% disk'],
  timeline: [{ at: at('05:00'), what: 'Writes failed' }],
}

const run = (history: ReadonlyArray<IncidentCommand>) => {
  const events: IncidentEvent[] = []
  for (const c of history) {
    const r = incidentDecider.decide(c, fold(incidentDecider, events))
    if (E.isLeft(r)) throw new Error(r.left.message)
    events.push(...r.right)
  }
  return events
}
const when = (given: ReadonlyArray<IncidentEvent>, command: IncidentCommand) => incidentDecider.decide(command, fold(incidentDecider, given))

const reported: IncidentCommand = { type: 'ReportFailure', incidentId, at: at('05:00'), actor: customer, terms, summary: 'DB down', site: 'Almaty DC' }
const demanded: IncidentCommand = { type: 'DemandOnSite', incidentId, at: at('05:10'), actor: customer, terms, site: 'Almaty DC' }
const arrived: IncidentCommand = { type: 'RecordEngineerArrival', incidentId, at: at('07:00'), actor: supplier, terms, engineer: 'daniyar' }
const restored: IncidentCommand = { type: 'RecordServiceRestored', incidentId, at: at('08:00'), actor: supplier, terms, note: 'disk freed' }
const submitted: IncidentCommand = { type: 'SubmitFailureReport', incidentId, at: at('10:00'), actor: supplier, terms, report }
const accepted: IncidentCommand = { type: 'AcceptFailureReport', incidentId, at: at('11:00'), actor: customer, terms }
const closed: IncidentCommand = { type: 'CloseIncident', incidentId, at: at('11:30'), actor: supplier, terms }

describe('incident', () => {
  it('given a failure with an on-site demand, when the engineer arrives, then the arrival is recorded with the demand window set at the demand', () => {
    const given = run([reported, demanded])
    expect(given[1]?.type === 'OnSiteDemanded' && given[1].data.arrivalRule).toMatchObject({ measure: 'elapsed', minutes: 180 })
    expect(when(given, arrived)).toEqual(E.right([{ type: 'EngineerArrived', data: { incidentId, contractId: terms.contractId, at: at('07:00'), actor: supplier, engineer: 'daniyar' } }]))
  })

  it('restoration fixes the report deadline: 5 business days by default, or what the command says', () => {
    const byDefault = run([reported, restored])
    expect(byDefault[1]?.type === 'ServiceRestored' && byDefault[1].data.reportRule).toMatchObject({ measure: 'business', minutes: 2400 })
    const rule = { measure: 'elapsed', minutes: 1440 as PositiveMinutes, pausable: false, warnAtBps: [] } as const
    const custom = run([reported, { ...restored, reportRule: rule }])
    expect(custom[1]?.type === 'ServiceRestored' && custom[1].data.reportRule).toEqual(rule)
  })

  it('a report without a root cause or a measure is refused, naming what is missing', () => {
    const given = run([reported, restored])
    const r = when(given, { ...submitted, report: { ...report, rootCauses: [' '], preventiveMeasures: [] } })
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'FailureReportIncomplete', missing: ['rootCauses', 'preventiveMeasures'] })
  })

  it('a returned report is resubmitted as the next revision and can then be accepted and the incident closed', () => {
    const events = run([reported, demanded, arrived, restored, submitted,
      { type: 'ReturnFailureReport', incidentId, at: at('10:30'), actor: customer, terms, reason: 'timeline is thin' },
      { ...submitted, at: at('10:45') }, accepted, closed])
    expect(events.map((e) => e.type)).toEqual([
      'FailureReported', 'OnSiteDemanded', 'EngineerArrived', 'ServiceRestored', 'FailureReportSubmitted',
      'FailureReportReturned', 'FailureReportSubmitted', 'FailureReportAccepted', 'IncidentClosed',
    ])
    expect(events[6]?.type === 'FailureReportSubmitted' && events[6].data.revision).toBe(2)
  })

  it('an incident is not closed before its report is accepted', () => {
    scenario(incidentDecider).given(run([reported, restored, submitted])).when(closed).thenFails({ _tag: 'FailureReportNotAccepted', phase: 'report-submitted' })
  })

  it('the wrong party is refused: only the customer demands on-site, accepts or returns', () => {
    const r = when(run([reported]), { ...demanded, actor: supplier })
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'WrongParty', expected: ['customer'], actual: supplier })
    const r2 = when(run([reported, restored, submitted]), { ...accepted, actor: supplier })
    expect(E.isLeft(r2) && r2.left._tag).toBe('WrongParty')
  })

  it('a failure outside the contract term is refused', () => {
    const r = when([], { ...reported, at: '2027-01-01T05:00:00.000Z' as Instant })
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'ContractNotInForce', contractId: terms.contractId })
  })

  it('an arrival without a demand, or a step back in time, is refused', () => {
    const r = when(run([reported]), arrived)
    expect(E.isLeft(r) && r.left._tag).toBe('IncidentStepOutOfOrder')
    const r2 = when(run([reported, demanded]), { ...arrived, at: at('05:05') })
    expect(E.isLeft(r2) && r2.left._tag).toBe('IncidentTimeRunsBackwards')
    const r3 = when([], arrived)
    expect(E.isLeft(r3) && r3.left._tag).toBe('IncidentNotFound')
  })
})

// Properties

const commandArb: fc.Arbitrary<IncidentCommand> = fc
  .tuple(
    fc.constantFrom('ReportFailure', 'DemandOnSite', 'RecordEngineerArrival', 'RecordServiceRestored', 'SubmitFailureReport', 'ReturnFailureReport', 'AcceptFailureReport', 'CloseIncident'),
    fc.constantFrom(customer, supplier),
    fc.boolean(),
  )
  .map(([type, actor, complete]): IncidentCommand => {
    const common = { incidentId, at: at('06:00'), actor, terms }
    switch (type) {
      case 'ReportFailure': return { type, ...common, summary: 's', site: 'x' }
      case 'DemandOnSite': return { type, ...common, site: 'x' }
      case 'RecordEngineerArrival': return { type, ...common, engineer: 'e' }
      case 'RecordServiceRestored': return { type, ...common, note: 'n' }
      case 'SubmitFailureReport': return { type, ...common, report: complete ? report : { ...report, preventiveMeasures: [] } }
      case 'ReturnFailureReport': return { type, ...common, reason: 'r' }
      case 'AcceptFailureReport': return { type, ...common }
      default: return { type: 'CloseIncident', ...common }
    }
  })

/** Runs commands through the decider, keeping what it accepted and what it refused. */
const play = (commands: ReadonlyArray<IncidentCommand>) => {
  let state = incidentDecider.initialState
  const history: IncidentEvent[] = []
  const refused: Array<{ readonly command: IncidentCommand; readonly tag: string }> = []
  for (const c of commands) {
    const r = incidentDecider.decide(c, state)
    if (E.isLeft(r)) {
      refused.push({ command: c, tag: r.left._tag })
      continue
    }
    for (const e of r.right) {
      history.push(e)
      state = incidentDecider.evolve(state, e)
    }
  }
  return { history, refused }
}

/**
 * Histories that get somewhere: each step is either the next step of an incident's course
 * (the first of reported, demanded, arrived, restored, report submitted, accepted, closed that
 * the incident takes now) or any command at all (a wrong party, an incomplete report, a return,
 * an early close), interleaved.
 */
const course = [reported, demanded, arrived, restored, submitted, accepted, closed].map((c) => ({ ...c, at: at('06:00') }))
const historyArb: fc.Arbitrary<ReadonlyArray<IncidentCommand>> = fc
  .array(
    fc.oneof({ weight: 6, arbitrary: fc.constant('next' as const) }, { weight: 1, arbitrary: fc.constant('return' as const) }, { weight: 4, arbitrary: commandArb }),
    { maxLength: 30, size: 'max' },
  )
  .map((steps) => {
    let state = incidentDecider.initialState
    const returned: IncidentCommand = { type: 'ReturnFailureReport', incidentId, at: at('06:00'), actor: customer, terms, reason: 'no timeline' }
    return steps.map((s) => {
      const command = s === 'return' ? returned : s !== 'next' ? s : (course.find((c) => E.isRight(incidentDecider.decide(c, state))) ?? closed)
      const r = incidentDecider.decide(command, state)
      if (E.isRight(r)) for (const e of r.right) state = incidentDecider.evolve(state, e)
      return command
    })
  })

describe('incident properties', () => {
  propTest.prop([historyArb])('no incident is ever closed without an accepted report', (commands) => {
    const { history } = play(commands)
    for (const [i, e] of history.entries()) {
      if (e.type !== 'IncidentClosed') continue
      const lastVerdict = history.slice(0, i).reverse().find((h) => h.type === 'FailureReportAccepted' || h.type === 'FailureReportReturned' || h.type === 'FailureReportSubmitted')
      expect(lastVerdict?.type).toBe('FailureReportAccepted')
    }
  })

  it('its generator closes incidents, refuses early closes and returns reports in a stated share of runs', () => {
    expectReaches(historyArb.map(play), {
      closed: { atLeast: 0.3, reached: (p) => p.history.some((e) => e.type === 'IncidentClosed') },
      'close refused before acceptance': { atLeast: 0.2, reached: (p) => p.refused.some((r) => r.command.type === 'CloseIncident') },
      'report returned': { atLeast: 0.05, reached: (p) => p.history.some((e) => e.type === 'FailureReportReturned') },
    }, 500)
  })

  it('the round trip reaches every command type and incomplete reports, in a stated share of runs', () => {
    const types = ['ReportFailure', 'DemandOnSite', 'RecordEngineerArrival', 'RecordServiceRestored', 'SubmitFailureReport', 'ReturnFailureReport', 'AcceptFailureReport', 'CloseIncident']
    expectReaches(commandArb, {
      ...Object.fromEntries(types.map((t) => [t, { atLeast: 0.07, reached: (c: IncidentCommand) => c.type === t }])),
      'an incomplete report': { atLeast: 0.03, reached: (c) => c.type === 'SubmitFailureReport' && c.report.preventiveMeasures.length === 0 },
    })
  })

  propTest.prop([commandArb])('commands survive an encode/decode round trip', (command) => {
    expect(IncidentCommand.decode(JSON.parse(JSON.stringify(IncidentCommand.encode(command))))).toEqual(E.right(command))
  })

  it('events survive an encode/decode round trip through the catalog', () => {
    const events = run([reported, demanded, arrived, restored, submitted, accepted, closed])
    for (const [i, e] of events.entries()) {
      const enc = incidentEvents.encode(e, 'incident-INC-1', i)
      expect(E.isRight(enc)).toBe(true)
      if (E.isLeft(enc)) continue
      const dec = incidentEvents.decode({ ...enc.right, data: JSON.parse(JSON.stringify(enc.right.data)), streamId: 's', streamVersion: i + 1, globalPosition: i + 1, eventId: `e${i}`, metadata: { actor: supplier, occurredAt: e.data.at, recordedAt: e.data.at } })
      expect(E.isRight(dec) && { type: dec.right.type, data: dec.right.data }).toEqual(e)
    }
  })
})
