/**
 * The compliance report as one standalone HTML page with inline SVG charts: no scripts, no external
 * files, no browser needed to make it. A headline first, then charts, the verdicts (long lists show
 * their exceptions and fold the rest), budget, deliveries, incidents, rules, and the evidence appendix.
 */
import type { ComplianceReport, VerdictRow } from './compliance-report.js'
import { budgetChart, obligationsChart, trendChart } from './report-charts.js'
import { eventName } from './report-event-names.js'
import { citedEvents, shortEventIds } from './report-evidence.js'
import { escapeHtml as h, formatLocalDateTime, formatMoney, formatPeriodDays, formatShare, formatUtcOffset, type ReportLanguage } from './report-format.js'
import { quarterlyTrend, reportHeadline, type VerdictTally } from './report-headline.js'
import { fillLabel, obligationLabel, reportLabels, type ReportLabels } from './report-labels.js'
import { sayRuleValue, sayVerdictDetail, sayVerdictSubject } from './report-phrases.js'

// model

/** What a caller may add to the page beyond the report itself. */
export interface ReportHtmlOptions {
  /** Reports of the same contract, one per quarter, for the trend chart; without them there is no trend. */
  readonly quarters?: ReadonlyArray<ComplianceReport>
  /** The type of each cited event by id (from the store), shown in the evidence appendix. */
  readonly eventTypes?: ReadonlyMap<string, string>
}

/** Past this many verdicts, an obligation's list shows its exceptions and folds the met ones. */
export const FOLD_AFTER = 12
/** The headline lists this many breaches in full; the rest are folded under them. */
export const HEADLINE_BREACHES = 10

// operations

const style = [
  ':root{color-scheme:light}',
  'body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.4}',
  'h1{margin-bottom:.25rem}h2{border-bottom:2px solid #e0e0e0;padding-bottom:.2rem;margin-top:2rem}',
  '.table{overflow-x:auto;margin:.5rem 0 1.25rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}',
  'th{background:#f5f5f5}td.num,th.num{text-align:right;white-space:nowrap}code{font-size:.8rem;overflow-wrap:anywhere}',
  'a.ev{color:#1565c0;text-decoration:none}a.ev:hover{text-decoration:underline}',
  '.met{color:#2e7d32}.breached{color:#c62828;font-weight:600}.pending{color:#616161}',
  'dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}',
  '.zone{color:#424242;font-size:.9rem}',
  '.headline .total{font-size:2rem;font-weight:700;margin:.25rem 0}.headline .total small{font-size:1rem;font-weight:400;color:#424242}',
  '.note{color:#424242;font-size:.85rem}',
  'figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#424242}',
  'details{margin:.25rem 0 1rem}summary{cursor:pointer;color:#1565c0}',
  '@page{size:A4;margin:14mm 12mm}',
  '@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}section{break-before:page}section.headline{break-before:auto}',
  'h2,h3{break-after:avoid}tr,figure{break-inside:avoid}.table{overflow:visible}a.ev{color:inherit}summary{color:inherit}}',
].join('')

const cellClass = (c: string): string => (/^-?[\d\u00a0 ]+(,\d+)?(\u00a0[₸%])?$/.test(c) ? ' class="num"' : '')

/** A table whose cells are HTML already; numeric cells are set right. */
const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  `<div class="table"><table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td${cellClass(c)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`

const share = (t: VerdictTally, l: ReportLabels): string => (t.complianceBps === undefined ? l.noVerdicts : formatShare(t.complianceBps))

/**
 * Renders a report as one standalone HTML page for a manager (headline, charts as inline SVG, print stylesheet), in
 * the given language; nothing is loaded from the network. `quarters` adds the trend over the contract's quarters.
 */
export const renderReportHtml = (report: ComplianceReport, language: ReportLanguage, options: ReportHtmlOptions = {}): string => {
  const l = reportLabels[language]
  const tz = report.timeZone
  const at = (i: string | undefined) => h(i === undefined ? '—' : formatLocalDateTime(i as never, tz))
  const money = (n: number) => h(formatMoney(n))
  const verdict = (v: 'met' | 'breached' | 'pending', extra = '') => `<span class="${v}">${h(l.verdicts[v] + extra)}</span>`
  const cited = citedEvents(report)
  const short = shortEventIds(cited.map((e) => e.eventId))
  const ev = (id: string) => `<a class="ev" href="#ev-${h(id)}" title="${h(id)}"><code>${h(short.get(id) ?? id)}</code></a>`
  const b = report.budget
  const headline = reportHeadline(report)
  const trend = quarterlyTrend(report.contractId, options.quarters ?? [])

  const lateNote = (v: VerdictRow, eventId: string): string => {
    const m = v.recordedLate?.find((x) => x.eventId === eventId)
    return m === undefined ? '' : ` (${h(l.recordedLate)}: ${at(m.recordedAt)}, ${h(l.sourceKinds[m.source.kind])} ${h(m.source.reference)})`
  }
  const proof = (v: VerdictRow) => v.evidence.map((e) => `${ev(e.eventId)}${lateNote(v, e.eventId)}`).join(' ')
  const detail = (v: VerdictRow) => h(v.detail === undefined ? '' : sayVerdictDetail(v.detail, l, tz))
  const reason = (v: VerdictRow) => (v.detail === undefined ? h(l.dueWithout) : detail(v))
  const verdictRows = (rows: ReadonlyArray<VerdictRow>) =>
    table([l.subject, l.opened, l.due, l.verdict, l.detail, l.proof], rows.map((v) => [h(sayVerdictSubject(v.subject, l)), at(v.opensAt), at(v.dueAt), verdict(v.verdict), detail(v), proof(v)]))

  const counts = (t: { readonly met: number; readonly breached: number; readonly pending: number }) => fillLabel(l.verdictCounts, { met: t.met, breached: t.breached, pending: t.pending })
  const periodName = `${l.periodKinds[report.period.kind]}${report.period.kind === 'contract-to-date' ? '' : ` ${report.period.label}`}`
  const out: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${h(`${l.title}: ${report.contractId}`)}</title><style>${style}</style></head>`,
    '<body>',
    '<header>',
    `<h1>${h(l.title)}</h1>`,
    '<dl class="facts">',
    `<dt>${h(l.contract)}</dt><dd>${h(report.contractId)}</dd>`,
    `<dt>${h(l.product)}</dt><dd>${h(report.product)}</dd>`,
    `<dt>${h(l.customer)}</dt><dd>${h(report.customer)}</dd>`,
    `<dt>${h(l.supplier)}</dt><dd>${h(report.supplier)}</dd>`,
    `<dt>${h(l.period)}</dt><dd>${h(periodName)}: ${h(formatPeriodDays(report.period.from, report.period.to, tz))}</dd>`,
    `<dt>${h(l.asOf)}</dt><dd>${at(report.asOf)}</dd>`,
    '</dl>',
    `<p class="zone">${h(fillLabel(l.timeZoneNote, { zone: tz, offset: formatUtcOffset(report.asOf, tz) }))}</p>`,
    '</header>',
  ]

  // The headline: compliance in total and per clause, then the breaches with their reasons and proof.
  const breachItem = (x: (typeof headline.breaches)[number]) =>
    `<li><strong>${x.clause}. ${h(obligationLabel(l, x.obligation))}</strong>: ${h(sayVerdictSubject(x.row.subject, l))}${x.row.dueAt === undefined ? '' : `, ${h(l.due.toLowerCase())} ${at(x.row.dueAt)}`}. ${h(l.reason)}: ${reason(x.row)}. ${h(l.proof)}: ${proof(x.row) || h(l.none)}</li>`
  const shown = headline.breaches.slice(0, HEADLINE_BREACHES)
  const folded = headline.breaches.slice(HEADLINE_BREACHES)
  out.push(
    '<section class="headline" id="headline">',
    `<h2>${h(l.headlineHeading)}</h2>`,
    `<p class="total">${h(l.overall)}: ${h(share(headline.total, l))} <small>(${h(counts(headline.total))})</small></p>`,
    `<p class="note">${h(l.complianceNote)}</p>`,
    table(
      [l.clause, l.obligation, l.compliance, l.met, l.breached, l.pending],
      headline.clauses.map((c) => [String(c.clause), h(obligationLabel(l, c.obligation)), c.breached > 0 ? `<span class="breached">${h(share(c, l))}</span>` : h(share(c, l)), String(c.met), String(c.breached), String(c.pending)]),
    ),
    `<h3>${h(l.breachesHeading)} (${headline.breaches.length})</h3>`,
    headline.breaches.length === 0 ? `<p>${h(l.noBreaches)}</p>` : `<ol class="breaches">${shown.map(breachItem).join('')}</ol>`,
    folded.length === 0 ? '' : `<details><summary>${h(fillLabel(l.moreBreaches, { n: folded.length }))}</summary><ol start="${HEADLINE_BREACHES + 1}">${folded.map(breachItem).join('')}</ol></details>`,
    '</section>',
  )

  out.push(
    '<section class="charts" id="charts">',
    `<h2>${h(l.chartsHeading)}</h2>`,
    `<figure>${obligationsChart(report.obligations, l)}<figcaption>${h(l.chartObligations)}</figcaption></figure>`,
    trend.length === 0 ? '' : `<figure>${trendChart(trend, l)}<figcaption>${h(l.chartTrend)}</figcaption></figure>`,
    '</section>',
  )

  out.push('<section class="obligations" id="obligations">', `<h2>${h(l.detailsHeading)}</h2>`)
  for (const o of report.obligations) {
    if (o.verdicts.length === 0) continue
    out.push(`<h3>${o.clause}. ${h(obligationLabel(l, o.obligation))} <small class="note">(${h(counts(o))})</small></h3>`)
    if (o.verdicts.length <= FOLD_AFTER) out.push(verdictRows(o.verdicts))
    else {
      // A long list (daily checks): the exceptions in full, the met ones folded.
      const exceptions = o.verdicts.filter((v) => v.verdict !== 'met')
      const met = o.verdicts.filter((v) => v.verdict === 'met')
      if (exceptions.length > 0) out.push(verdictRows(exceptions))
      if (met.length > 0) out.push(`<details><summary>${h(fillLabel(l.foldedMet, { n: met.length }))}</summary>${verdictRows(met)}</details>`)
    }
  }
  out.push('</section>')

  const changeStatus = (s: string) => (Object.hasOwn(l.changeStatuses, s) ? l.changeStatuses[s as keyof ReportLabels['changeStatuses']] : s)
  out.push(
    '<section class="budget" id="budget">',
    `<h2>${h(l.budgetHeading)}</h2>`,
    `<figure>${budgetChart(b, l)}<figcaption>${h(l.chartBudget)}</figcaption></figure>`,
    table(
      [l.value, l.cap, l.spent, l.approvedOpen, l.committed, l.remaining, l.used],
      [[money(b.value), `${money(b.cap)} (${h(formatShare(b.capBps))})`, money(b.spent), money(b.approvedOpen), money(b.committed), money(b.remaining), h(formatShare(b.usedBps))]],
    ),
    `<p>${h(l.valueUsed)}: ${h(formatShare(b.valueUsedBps))} / ${h(formatShare(b.capBps))}</p>`,
    `<p>${h(l.refused)}: ${b.refused.length === 0 ? h(l.none) : b.refused.map((r) => `${h(r.changeId)} (${money(r.amount)}, ${h(l.parties[r.by as 'customer' | 'supplier'] ?? r.by)}, ${at(r.at)}: ${h(r.reason)}) ${ev(r.eventId)}`).join('; ')}</p>`,
    `<p>${h(l.warnings)}: ${b.warnings.length === 0 ? h(l.none) : b.warnings.map((w) => `${h(formatShare(w.thresholdBps))} (${at(w.at)}, ${ev(w.eventId)})`).join('; ')}</p>`,
  )
  if (b.changes.length > 0) {
    out.push(table([l.change, l.amount, l.status, l.proof], b.changes.map((c) => [`${h(c.changeId)}: ${h(c.title)}`, money(c.amount), h(changeStatus(c.status)), c.eventIds.map(ev).join(' ')])))
  }
  out.push('</section>')

  const changeKind = (k: string) => (k === 'fix' || k === 'customization' ? l.changeKinds[k] : k)
  out.push(
    '<section class="deliveries" id="deliveries">',
    `<h2>${h(l.deliveriesHeading)}</h2>`,
    table(
      [l.quarter, l.due, l.verdict, l.delivery, l.version, l.status, l.checksum, l.changes],
      report.deliveries.quarters.map((q) => [
        h(q.quarter), at(q.dueAt), verdict(q.verdict, q.late ? ` (${l.late})` : q.missing ? ` (${l.missing})` : ''),
        q.deliveryId === undefined ? '—' : `${h(q.deliveryId)}, ${at(q.deliveredAt)}`, h(q.version ?? '—'), h(q.status === undefined ? '—' : (l.deliveryStatuses[q.status] ?? q.status)),
        q.artifactSha256 === undefined ? '—' : `<code title="${h(q.artifactSha256)}">${h(q.artifactSha256.slice(0, 12))}…</code>`, String(q.changes),
      ]),
    ),
    `<p>${h(l.changesLeftOut)}: ${report.deliveries.changesLeftOut.length === 0 ? h(l.none) : report.deliveries.changesLeftOut.map((c) => h(`${changeKind(c.kind)} ${c.id} (${l.skippedBy} ${c.skippedBy})`)).join(', ')}</p>`,
    `<p>${h(l.changesAwaiting)}: ${report.deliveries.changesAwaiting.length === 0 ? h(l.none) : report.deliveries.changesAwaiting.map((c) => h(`${changeKind(c.kind)} ${c.id}`)).join(', ')}</p>`,
    '</section>',
    '<section class="incidents" id="incidents">',
    `<h2>${h(l.incidentsHeading)}</h2>`,
    report.incidents.length === 0
      ? `<p>${h(l.none)}</p>`
      : table(
          [l.incident, l.reported, l.demanded, l.arrived, l.restored, l.arrival, l.failureReport, l.closed],
          report.incidents.map((i) => [
            `${h(i.incidentId)}: ${h(i.summary)}`, at(i.reportedAt), at(i.onSiteDemandedAt), at(i.engineerArrivedAt), at(i.restoredAt),
            i.arrival === undefined ? '—' : verdict(i.arrival),
            `${h(l.reportStatuses[i.failureReport.status])}${i.failureReport.verdict === undefined ? '' : `, ${verdict(i.failureReport.verdict)}`}${i.failureReport.dueAt === undefined ? '' : ` (${h(l.due.toLowerCase())} ${at(i.failureReport.dueAt)})`}`,
            h(i.closed ? l.yes : l.no),
          ]),
        ),
    '</section>',
    '<section class="assumptions" id="assumptions">',
    `<h2>${h(l.assumptionsHeading)}</h2>`,
    table(
      [l.rule, l.ruleValue, l.source, l.from],
      report.assumptions.map((a) => [h(l.rules[a.rule] ?? a.rule), h(sayRuleValue(a.value, l)), h(l.sources[a.source]), h(/^\d{4}-\d{2}-\d{2}$/.test(a.from) ? `${a.from.slice(8, 10)}.${a.from.slice(5, 7)}.${a.from.slice(0, 4)}` : a.from)]),
    ),
    '</section>',
  )

  const role = (r: string) => (Object.hasOwn(l.roles, r) ? l.roles[r as keyof ReportLabels['roles']] : r)
  out.push(
    '<section class="evidence" id="evidence">',
    `<h2>${h(l.evidenceHeading)}</h2>`,
    `<p class="note">${h(l.evidenceNote)}</p>`,
    table(
      [l.eventId, ...(options.eventTypes === undefined ? [] : [l.eventType]), l.time, l.role],
      cited.map((e) => [
        `<span id="ev-${h(e.eventId)}"><code>${h(short.get(e.eventId) ?? e.eventId)}</code> <code>${h(e.eventId)}</code></span>`,
        ...(options.eventTypes === undefined ? [] : [h(eventName(language, options.eventTypes.get(e.eventId) ?? '—'))]),
        at(e.at),
        h(e.roles.map(role).join(', ')),
      ]),
    ),
    '</section>',
    '</body>',
    '</html>',
    '',
  )
  return out.join('\n')
}

