/** The compliance report as Markdown, in Russian or English. */
import type { ComplianceReport } from './compliance-report.js'
import { escapeMarkdown as md, formatBps, formatInstant, formatTiyn, type Language } from './report-format.js'
import { obligationLabel, reportLabels } from './report-labels.js'

// operations

const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<string> => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
]

/** Renders a report as Markdown, in the given language. */
export const renderReportMarkdown = (report: ComplianceReport, language: Language): string => {
  const l = reportLabels[language]
  const at = (i: string | undefined) => (i === undefined ? '—' : formatInstant(i as never, report.timeZone))
  const money = (n: number) => formatTiyn(n, language)
  const b = report.budget
  const lateNote = (v: ComplianceReport['obligations'][number]['verdicts'][number], eventId: string): string => {
    const m = v.recordedLate?.find((x) => x.eventId === eventId)
    return m === undefined ? '' : ` (${l.recordedLate}: ${at(m.recordedAt)}, ${m.source.kind} ${md(m.source.reference)})`
  }
  const lines: string[] = [
    `# ${l.title}`,
    '',
    `- ${l.contract}: ${md(report.contractId)}`,
    `- ${l.product}: ${md(report.product)}`,
    `- ${l.customer}: ${md(report.customer)}`,
    `- ${l.supplier}: ${md(report.supplier)}`,
    `- ${l.period}: ${l.periodKinds[report.period.kind]} ${report.period.kind === 'contract-to-date' ? '' : report.period.label} (${at(report.period.from)} — ${at(report.period.to)})`.replace('  (', ' ('),
    `- ${l.asOf}: ${at(report.asOf)}`,
    `- ${l.timesIn}: ${report.timeZone}`,
    '',
    `## ${l.obligationsHeading}`,
    '',
    ...table(
      [l.clause, l.obligation, l.total, l.met, l.breached, l.pending],
      report.obligations.map((o) => [String(o.clause), obligationLabel(l, o.obligation), String(o.total), String(o.met), String(o.breached), String(o.pending)]),
    ),
    '',
  ]
  for (const o of report.obligations) {
    if (o.verdicts.length === 0) continue
    lines.push(`### ${o.clause}. ${obligationLabel(l, o.obligation)}`, '')
    lines.push(
      ...table(
        [l.subject, l.opened, l.due, l.verdict, l.detail, l.proof],
        o.verdicts.map((v) => [md(v.subject), at(v.opensAt), at(v.dueAt), l.verdicts[v.verdict], md(v.detail ?? ''), v.evidence.map((e) => `\`${e.eventId}\`${lateNote(v, e.eventId)}`).join(', ')]),
      ),
      '',
    )
  }
  lines.push(
    `## ${l.budgetHeading}`,
    '',
    `- ${l.value}: ${money(b.value)}`,
    `- ${l.cap}: ${money(b.cap)} (${formatBps(b.capBps, language)})`,
    `- ${l.spent}: ${money(b.spent)}`,
    `- ${l.approvedOpen}: ${money(b.approvedOpen)}`,
    `- ${l.committed}: ${money(b.committed)}`,
    `- ${l.remaining}: ${money(b.remaining)}`,
    `- ${l.used}: ${formatBps(b.usedBps, language)}`,
    `- ${l.valueUsed}: ${formatBps(b.valueUsedBps, language)} / ${formatBps(b.capBps, language)}`,
    `- ${l.refused}: ${b.refused.length === 0 ? l.none : b.refused.map((r) => `${md(r.changeId)} (${money(r.amount)}, ${r.by}, ${at(r.at)}: ${md(r.reason)})`).join('; ')}`,
    `- ${l.warnings}: ${b.warnings.length === 0 ? l.none : b.warnings.map((w) => `${formatBps(w.thresholdBps, language)} (${at(w.at)}, \`${w.eventId}\`)`).join('; ')}`,
    '',
  )
  if (b.changes.length > 0) {
    lines.push(...table([l.change, l.amount, l.status, l.proof], b.changes.map((c) => [`${md(c.changeId)}: ${md(c.title)}`, money(c.amount), c.status, c.eventIds.map((id) => `\`${id}\``).join(', ')])), '')
  }
  lines.push(`## ${l.deliveriesHeading}`, '')
  lines.push(
    ...table(
      [l.quarter, l.due, l.verdict, l.delivery, l.version, l.checksum, l.changes],
      report.deliveries.quarters.map((q) => [
        q.quarter, at(q.dueAt), `${l.verdicts[q.verdict]}${q.late ? ` (${l.late})` : q.missing ? ` (${l.missing})` : ''}`,
        q.deliveryId === undefined ? '—' : `${md(q.deliveryId)} ${at(q.deliveredAt)}`, md(q.version ?? '—'), q.artifactSha256 === undefined ? '—' : `\`${q.artifactSha256}\``, String(q.changes),
      ]),
    ),
    '',
    `${l.changesLeftOut}: ${report.deliveries.changesLeftOut.length === 0 ? l.none : report.deliveries.changesLeftOut.map((c) => `${c.kind} ${md(c.id)} (${l.skippedBy} ${md(c.skippedBy)})`).join(', ')}`,
    '',
    `${l.changesAwaiting}: ${report.deliveries.changesAwaiting.length === 0 ? l.none : report.deliveries.changesAwaiting.map((c) => `${c.kind} ${md(c.id)}`).join(', ')}`,
    '',
    `## ${l.incidentsHeading}`,
    '',
  )
  if (report.incidents.length === 0) lines.push(l.none, '')
  else {
    lines.push(
      ...table(
        [l.incident, l.reported, l.demanded, l.arrived, l.restored, l.arrival, l.failureReport, l.closed],
        report.incidents.map((i) => [
          `${md(i.incidentId)}: ${md(i.summary)}`, at(i.reportedAt), at(i.onSiteDemandedAt), at(i.engineerArrivedAt), at(i.restoredAt),
          i.arrival === undefined ? '—' : l.verdicts[i.arrival],
          `${l.reportStatuses[i.failureReport.status]}${i.failureReport.verdict === undefined ? '' : `, ${l.verdicts[i.failureReport.verdict]}`}${i.failureReport.dueAt === undefined ? '' : ` (${l.due} ${at(i.failureReport.dueAt)})`}`,
          i.closed ? l.yes : l.no,
        ]),
      ),
      '',
    )
  }
  lines.push(
    `## ${l.assumptionsHeading}`,
    '',
    ...table([l.rule, l.ruleValue, l.source, l.from], report.assumptions.map((a) => [l.rules[a.rule] ?? md(a.rule), md(a.value), l.sources[a.source], md(a.from)])),
    '',
  )
  return lines.join('\n')
}
