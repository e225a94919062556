/** The compliance report as one standalone HTML page with inline SVG charts: no scripts, no external files, no browser needed to make it. */
import type { ComplianceReport } from './compliance-report.js'
import { budgetChart, obligationsChart } from './report-charts.js'
import { escapeHtml as h, formatBps, formatInstant, formatTiyn, type Language } from './report-format.js'
import { obligationLabel, reportLabels } from './report-labels.js'

// operations

const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  `<table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`

const style = [
  'body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}',
  'table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}',
  'th{background:#f5f5f5}code{font-size:.8rem}.met{color:#2e7d32}.breached{color:#c62828;font-weight:600}.pending{color:#616161}',
].join('')

/**
 * Renders a report as one standalone HTML page with its charts, in the given language; nothing is loaded from the
 * network.
 */
export const renderReportHtml = (report: ComplianceReport, language: Language): string => {
  const l = reportLabels[language]
  const at = (i: string | undefined) => h(i === undefined ? '—' : formatInstant(i as never, report.timeZone))
  const money = (n: number) => h(formatTiyn(n, language))
  const verdict = (v: 'met' | 'breached' | 'pending', extra = '') => `<span class="${v}">${h(l.verdicts[v] + extra)}</span>`
  const ids = (list: ReadonlyArray<string>) => list.map((id) => `<code>${h(id)}</code>`).join(' ')
  const b = report.budget
  const lateNote = (v: ComplianceReport['obligations'][number]['verdicts'][number], eventId: string): string => {
    const m = v.recordedLate?.find((x) => x.eventId === eventId)
    return m === undefined ? '' : ` (${h(l.recordedLate)}: ${at(m.recordedAt)}, ${h(m.source.kind)} ${h(m.source.reference)})`
  }
  const out: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    `<head><meta charset="utf-8"><title>${h(`${l.title}: ${report.contractId}`)}</title><style>${style}</style></head>`,
    '<body>',
    `<h1>${h(l.title)}</h1>`,
    '<dl>',
    `<dt>${h(l.contract)}</dt><dd>${h(report.contractId)}</dd>`,
    `<dt>${h(l.product)}</dt><dd>${h(report.product)}</dd>`,
    `<dt>${h(l.customer)}</dt><dd>${h(report.customer)}</dd>`,
    `<dt>${h(l.supplier)}</dt><dd>${h(report.supplier)}</dd>`,
    `<dt>${h(l.period)}</dt><dd>${h(l.periodKinds[report.period.kind])}${report.period.kind === 'contract-to-date' ? '' : ` ${h(report.period.label)}`} (${at(report.period.from)} — ${at(report.period.to)})</dd>`,
    `<dt>${h(l.asOf)}</dt><dd>${at(report.asOf)} (${h(l.timesIn)} ${h(report.timeZone)})</dd>`,
    '</dl>',
    `<h2>${h(l.obligationsHeading)}</h2>`,
    `<figure>${obligationsChart(report.obligations, l)}<figcaption>${h(l.chartObligations)}</figcaption></figure>`,
    table(
      [l.clause, l.obligation, l.total, l.met, l.breached, l.pending],
      report.obligations.map((o) => [String(o.clause), h(obligationLabel(l, o.obligation)), String(o.total), String(o.met), String(o.breached), String(o.pending)]),
    ),
  ]
  for (const o of report.obligations) {
    if (o.verdicts.length === 0) continue
    out.push(
      `<h3>${o.clause}. ${h(obligationLabel(l, o.obligation))}</h3>`,
      table(
        [l.subject, l.opened, l.due, l.verdict, l.detail, l.proof],
        o.verdicts.map((v) => [h(v.subject), at(v.opensAt), at(v.dueAt), verdict(v.verdict), h(v.detail ?? ''), v.evidence.map((e) => `<code>${h(e.eventId)}</code>${lateNote(v, e.eventId)}`).join(' ')]),
      ),
    )
  }
  out.push(
    `<h2>${h(l.budgetHeading)}</h2>`,
    `<figure>${budgetChart(b, l, language)}<figcaption>${h(l.chartBudget)}</figcaption></figure>`,
    table(
      [l.value, l.cap, l.spent, l.approvedOpen, l.committed, l.remaining, l.used],
      [[money(b.value), `${money(b.cap)} (${h(formatBps(b.capBps, language))})`, money(b.spent), money(b.approvedOpen), money(b.committed), money(b.remaining), h(formatBps(b.usedBps, language))]],
    ),
    `<p>${h(l.valueUsed)}: ${h(formatBps(b.valueUsedBps, language))} / ${h(formatBps(b.capBps, language))}</p>`,
    `<p>${h(l.refused)}: ${b.refused.length === 0 ? h(l.none) : b.refused.map((r) => `${h(r.changeId)} (${money(r.amount)}, ${h(r.by)}, ${at(r.at)}: ${h(r.reason)})`).join('; ')}</p>`,
    `<p>${h(l.warnings)}: ${b.warnings.length === 0 ? h(l.none) : b.warnings.map((w) => `${h(formatBps(w.thresholdBps, language))} (${at(w.at)}, <code>${h(w.eventId)}</code>)`).join('; ')}</p>`,
  )
  if (b.changes.length > 0) {
    out.push(table([l.change, l.amount, l.status, l.proof], b.changes.map((c) => [`${h(c.changeId)}: ${h(c.title)}`, money(c.amount), h(c.status), ids(c.eventIds)])))
  }
  out.push(
    `<h2>${h(l.deliveriesHeading)}</h2>`,
    table(
      [l.quarter, l.due, l.verdict, l.delivery, l.version, l.checksum, l.changes],
      report.deliveries.quarters.map((q) => [
        h(q.quarter), at(q.dueAt), verdict(q.verdict, q.late ? ` (${l.late})` : q.missing ? ` (${l.missing})` : ''),
        q.deliveryId === undefined ? '—' : `${h(q.deliveryId)} ${at(q.deliveredAt)}`, h(q.version ?? '—'), q.artifactSha256 === undefined ? '—' : `<code>${h(q.artifactSha256)}</code>`, String(q.changes),
      ]),
    ),
    `<p>${h(l.changesLeftOut)}: ${report.deliveries.changesLeftOut.length === 0 ? h(l.none) : report.deliveries.changesLeftOut.map((c) => h(`${c.kind} ${c.id} (${l.skippedBy} ${c.skippedBy})`)).join(', ')}</p>`,
    `<p>${h(l.changesAwaiting)}: ${report.deliveries.changesAwaiting.length === 0 ? h(l.none) : report.deliveries.changesAwaiting.map((c) => h(`${c.kind} ${c.id}`)).join(', ')}</p>`,
    `<h2>${h(l.incidentsHeading)}</h2>`,
    report.incidents.length === 0
      ? `<p>${h(l.none)}</p>`
      : table(
          [l.incident, l.reported, l.demanded, l.arrived, l.restored, l.arrival, l.failureReport, l.closed],
          report.incidents.map((i) => [
            `${h(i.incidentId)}: ${h(i.summary)}`, at(i.reportedAt), at(i.onSiteDemandedAt), at(i.engineerArrivedAt), at(i.restoredAt),
            i.arrival === undefined ? '—' : verdict(i.arrival),
            `${h(l.reportStatuses[i.failureReport.status])}${i.failureReport.verdict === undefined ? '' : `, ${verdict(i.failureReport.verdict)}`}${i.failureReport.dueAt === undefined ? '' : ` (${h(l.due)} ${at(i.failureReport.dueAt)})`}`,
            h(i.closed ? l.yes : l.no),
          ]),
        ),
    `<h2>${h(l.assumptionsHeading)}</h2>`,
    table([l.rule, l.ruleValue, l.source, l.from], report.assumptions.map((a) => [h(l.rules[a.rule] ?? a.rule), h(a.value), h(l.sources[a.source]), h(a.from)])),
    '</body>',
    '</html>',
    '',
  )
  return out.join('\n')
}
