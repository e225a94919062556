/** The failure report as a document for people: built from an incident's events, rendered as Markdown or HTML, in Russian or English. */
import type { Instant } from '../kernel/instant.js'
import { escapeHtml, escapeMarkdown, formatInstant, type Language } from '../report/report-format.js'
import type { FailureReport, IncidentEvent } from './incident-events.js'

// model

/**
 * An incident's failure report as a document for the customer: the incident, the failure's timeline, the report's text
 * and where its acceptance stands. Build it from the incident's events.
 */
export interface FailureReportDocument {
  readonly incidentId: string
  readonly contractId: string
  readonly timeZone: string
  readonly summary: string
  readonly site: string
  readonly reportedAt: Instant
  readonly onSiteDemandedAt?: Instant
  readonly engineerArrivedAt?: Instant
  readonly restoredAt?: Instant
  readonly submittedAt: Instant
  readonly revision: number
  readonly status: 'submitted' | 'returned' | 'accepted'
  readonly returnReason?: string
  readonly report: FailureReport
}

const labels = {
  en: {
    title: 'Failure report', incident: 'Incident', contract: 'Contract', site: 'Site', revision: 'Revision', status: 'Status',
    statuses: { submitted: 'submitted, awaiting the customer', returned: 'returned for rework', accepted: 'accepted by the customer' },
    returnReason: 'Reason for return', summary: 'What happened', reported: 'Failure reported', demanded: 'On-site demanded',
    arrived: 'Engineer arrived', restored: 'Service restored', submitted: 'Report submitted', keyTimes: 'Key times',
    causes: 'Root causes', measures: 'Preventive measures', timeline: 'Timeline', time: 'Time', event: 'Event', zone: 'Times in',
  },
  ru: {
    title: 'Отчёт о сбое', incident: 'Инцидент', contract: 'Договор', site: 'Место установки', revision: 'Редакция', status: 'Статус',
    statuses: { submitted: 'представлен, ожидает заказчика', returned: 'возвращён на доработку', accepted: 'принят заказчиком' },
    returnReason: 'Причина возврата', summary: 'Что произошло', reported: 'Сбой зарегистрирован', demanded: 'Вызов на место',
    arrived: 'Прибытие инженера', restored: 'Работа восстановлена', submitted: 'Отчёт представлен', keyTimes: 'Ключевые моменты',
    causes: 'Причины', measures: 'Меры по предотвращению', timeline: 'Хронология', time: 'Время', event: 'Событие', zone: 'Время по зоне',
  },
} as const

// constructors

/** The document for the latest submitted report of an incident, or undefined while none was submitted. */
export const failureReportDocument = (events: ReadonlyArray<IncidentEvent>): FailureReportDocument | undefined => {
  let doc: Partial<{ -readonly [K in keyof FailureReportDocument]: FailureReportDocument[K] }> = {}
  for (const e of events) {
    switch (e.type) {
      case 'FailureReported':
        doc = { ...doc, incidentId: e.data.incidentId, contractId: e.data.contractId, timeZone: e.data.timeZone, summary: e.data.summary, site: e.data.site, reportedAt: e.data.at }
        break
      case 'OnSiteDemanded':
        doc.onSiteDemandedAt = e.data.at
        break
      case 'EngineerArrived':
        doc.engineerArrivedAt = e.data.at
        break
      case 'ServiceRestored':
        doc.restoredAt = e.data.at
        break
      case 'FailureReportSubmitted':
        doc = { ...doc, report: e.data.report, revision: e.data.revision, submittedAt: e.data.at, status: 'submitted' }
        delete doc.returnReason
        break
      case 'FailureReportReturned':
        doc = { ...doc, status: 'returned', returnReason: e.data.reason }
        break
      case 'FailureReportAccepted':
        doc.status = 'accepted'
        break
      case 'IncidentClosed':
        break
    }
  }
  return doc.report === undefined || doc.incidentId === undefined ? undefined : (doc as FailureReportDocument)
}

// operations

const keyTimes = (doc: FailureReportDocument, language: Language): ReadonlyArray<readonly [string, string]> => {
  const l = labels[language]
  const rows: Array<readonly [string, Instant | undefined]> = [
    [l.reported, doc.reportedAt],
    [l.demanded, doc.onSiteDemandedAt],
    [l.arrived, doc.engineerArrivedAt],
    [l.restored, doc.restoredAt],
    [l.submitted, doc.submittedAt],
  ]
  return rows.flatMap(([label, at]) => (at === undefined ? [] : [[label, formatInstant(at, doc.timeZone)] as const]))
}

/** Renders a failure report as Markdown, in the given language; text from the parties is escaped. */
export const renderFailureReportMarkdown = (doc: FailureReportDocument, language: Language): string => {
  const l = labels[language]
  const md = escapeMarkdown
  const lines = [
    `# ${l.title}: ${md(doc.incidentId)}`,
    '',
    `- ${l.contract}: ${md(doc.contractId)}`,
    `- ${l.site}: ${md(doc.site)}`,
    `- ${l.revision}: ${doc.revision}`,
    `- ${l.status}: ${l.statuses[doc.status]}`,
    ...(doc.status === 'returned' && doc.returnReason !== undefined ? [`- ${l.returnReason}: ${md(doc.returnReason)}`] : []),
    '',
    `## ${l.summary}`,
    '',
    md(doc.report.summary || doc.summary),
    '',
    `## ${l.keyTimes} (${l.zone} ${doc.timeZone})`,
    '',
    ...keyTimes(doc, language).map(([label, at]) => `- ${label}: ${at}`),
    '',
    `## ${l.causes}`,
    '',
    ...doc.report.rootCauses.map((c, i) => `${i + 1}. ${md(c)}`),
    '',
    `## ${l.measures}`,
    '',
    ...doc.report.preventiveMeasures.map((m, i) => `${i + 1}. ${md(m)}`),
    '',
    `## ${l.timeline}`,
    '',
    `| ${l.time} | ${l.event} |`,
    '| --- | --- |',
    ...doc.report.timeline.map((t) => `| ${formatInstant(t.at, doc.timeZone)} | ${md(t.what)} |`),
    '',
  ]
  return lines.join('\n')
}

/** Renders a failure report as a standalone HTML page, in the given language; text from the parties is escaped. */
export const renderFailureReportHtml = (doc: FailureReportDocument, language: Language): string => {
  const l = labels[language]
  const h = escapeHtml
  const list = (tag: 'ol' | 'ul', items: ReadonlyArray<string>) => `<${tag}>${items.map((i) => `<li>${h(i)}</li>`).join('')}</${tag}>`
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    '<head><meta charset="utf-8">',
    `<title>${h(l.title)}: ${h(doc.incidentId)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}dt{font-weight:600}</style>',
    '</head><body>',
    `<h1>${h(l.title)}: ${h(doc.incidentId)}</h1>`,
    '<dl>',
    `<dt>${h(l.contract)}</dt><dd>${h(doc.contractId)}</dd>`,
    `<dt>${h(l.site)}</dt><dd>${h(doc.site)}</dd>`,
    `<dt>${h(l.revision)}</dt><dd>${doc.revision}</dd>`,
    `<dt>${h(l.status)}</dt><dd>${h(l.statuses[doc.status])}</dd>`,
    ...(doc.status === 'returned' && doc.returnReason !== undefined ? [`<dt>${h(l.returnReason)}</dt><dd>${h(doc.returnReason)}</dd>`] : []),
    '</dl>',
    `<h2>${h(l.summary)}</h2>`,
    `<p>${h(doc.report.summary || doc.summary)}</p>`,
    `<h2>${h(l.keyTimes)} (${h(l.zone)} ${h(doc.timeZone)})</h2>`,
    `<ul>${keyTimes(doc, language).map(([label, at]) => `<li>${h(label)}: ${h(at)}</li>`).join('')}</ul>`,
    `<h2>${h(l.causes)}</h2>`,
    list('ol', doc.report.rootCauses),
    `<h2>${h(l.measures)}</h2>`,
    list('ol', doc.report.preventiveMeasures),
    `<h2>${h(l.timeline)}</h2>`,
    `<table><thead><tr><th>${h(l.time)}</th><th>${h(l.event)}</th></tr></thead><tbody>`,
    ...doc.report.timeline.map((t) => `<tr><td>${h(formatInstant(t.at, doc.timeZone))}</td><td>${h(t.what)}</td></tr>`),
    '</tbody></table>',
    '</body></html>',
    '',
  ].join('\n')
}
