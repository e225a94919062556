import { describe, expect, it } from 'vitest'
import type { Instant } from '../kernel/instant.js'
import type { Actor } from '../kernel/recorded-event.js'
import type { ContractId, IncidentId } from '../values/domain-ids.js'
import type { PositiveMinutes } from '../sla/sla-policy.js'
import { failureReportDocument, renderFailureReportHtml, renderFailureReportMarkdown } from './failure-report-document.js'
import type { IncidentEvent } from './incident-events.js'

const supplier: Actor = { party: 'supplier', id: 'daniyar' }
const base = { incidentId: 'INC-7' as IncidentId, contractId: 'C-1' as ContractId, actor: supplier }
const events: IncidentEvent[] = [
  { type: 'FailureReported', data: { ...base, at: '2026-03-02T05:00:00.000Z' as Instant, summary: 'DB down', site: 'Almaty <DC>', calendarId: 'kz', timeZone: 'Asia/Almaty' } },
  { type: 'ServiceRestored', data: { ...base, at: '2026-03-02T08:00:00.000Z' as Instant, note: '', reportRule: { measure: 'elapsed', minutes: 60 as PositiveMinutes, pausable: false, warnAtBps: [] }, calendarId: 'kz' } },
  { type: 'FailureReportSubmitted', data: { ...base, at: '2026-03-03T08:00:00.000Z' as Instant, revision: 1, report: {
    summary: 'Disk <full> & "writes" failed', rootCauses: ['Rotation *off*'], preventiveMeasures: ['Alert | at 80%'],
    timeline: [{ at: '2026-03-02T05:00:00.000Z' as Instant, what: '<script>alert(1)</script>' }],
  } } },
  { type: 'FailureReportAccepted', data: { ...base, at: '2026-03-03T09:00:00.000Z' as Instant, revision: 1 } },
]

describe('failure report document', () => {
  const found = failureReportDocument(events)
  if (found === undefined) throw new Error("the example history has a report")
  const doc = found

  it('is absent until a report is submitted', () => {
    expect(failureReportDocument(events.slice(0, 2))).toBeUndefined()
    expect(doc?.status).toBe('accepted')
  })

  it('renders local times in the contract zone (Almaty is UTC+5)', () => {
    expect(renderFailureReportMarkdown(doc, 'en')).toContain('Failure reported: 2026-03-02 10:00')
  })

  it('escapes HTML in every piece of user text', () => {
    const html = renderFailureReportHtml(doc, 'en')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('Almaty &lt;DC&gt;')
    expect(html).toContain('Disk &lt;full&gt; &amp; &quot;writes&quot; failed')
  })

  it('keeps Markdown markup in user text literal', () => {
    const md = renderFailureReportMarkdown(doc, 'en')
    expect(md).toContain('Rotation \\*off\\*')
    expect(md).toContain('Alert \\| at 80%')
  })

  it('speaks Russian and English', () => {
    expect(renderFailureReportMarkdown(doc, 'ru')).toContain('# Отчёт о сбое: INC-7')
    expect(renderFailureReportHtml(doc, 'ru')).toContain('<h2>Меры по предотвращению</h2>')
    expect(renderFailureReportHtml(doc, 'en')).toContain('<h2>Preventive measures</h2>')
  })
})
