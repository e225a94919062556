/** Charts for the HTML report, drawn as inline SVG from integers only, so the markup is the same on every machine. */
import type { BudgetSection, ObligationSection } from './compliance-report.js'
import { escapeHtml as h, formatBps, type Language } from './report-format.js'
import { obligationLabel, type ReportLabels } from './report-labels.js'

// model

const colours = { met: '#2e7d32', breached: '#c62828', pending: '#9e9e9e', spent: '#1565c0', approved: '#64b5f6', free: '#e0e0e0' } as const

// operations

/** One stacked bar per obligation: met, breached and pending as shares of its total. */
export const obligationsChart = (sections: ReadonlyArray<ObligationSection>, labels: ReportLabels): string => {
  const rowHeight = 26
  const labelWidth = 340
  const barWidth = 400
  const height = sections.length * rowHeight + 40
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 120}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 120} ${height}" role="img" aria-label="${h(labels.chartObligations)}" font-family="system-ui,sans-serif" font-size="12">`,
    `<title>${h(labels.chartObligations)}</title>`,
  ]
  sections.forEach((s, i) => {
    const y = i * rowHeight + 4
    parts.push(`<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${h(`${s.clause}. ${obligationLabel(labels, s.obligation)}`)}</text>`)
    if (s.total === 0) {
      parts.push(`<rect x="${labelWidth}" y="${y + 3}" width="${barWidth}" height="16" fill="none" stroke="${colours.free}"/>`)
    } else {
      let x = labelWidth
      for (const key of ['met', 'breached', 'pending'] as const) {
        // Widths rounded down, the last share takes the remainder: the bar always spans exactly its width.
        const w = key === 'pending' ? labelWidth + barWidth - x : Math.floor((s[key] * barWidth) / s.total)
        if (w > 0) parts.push(`<rect x="${x}" y="${y + 3}" width="${w}" height="16" fill="${colours[key]}"><title>${h(`${labels.verdicts[key]}: ${s[key]}`)}</title></rect>`)
        x += w
      }
    }
    parts.push(`<text x="${labelWidth + barWidth + 8}" y="${y + 15}">${s.met}/${s.breached}/${s.pending}</text>`)
  })
  const ly = sections.length * rowHeight + 20
  ;(['met', 'breached', 'pending'] as const).forEach((key, i) => {
    const x = labelWidth + i * 130
    parts.push(`<rect x="${x}" y="${ly}" width="12" height="12" fill="${colours[key]}"/><text x="${x + 18}" y="${ly + 11}">${h(labels.verdicts[key])}</text>`)
  })
  parts.push('</svg>')
  return parts.join('')
}

/** The budget as one bar against the cap: spent, approved and free, with the 80% and 95% warning marks. */
export const budgetChart = (budget: BudgetSection, labels: ReportLabels, language: Language): string => {
  const width = 600
  const x0 = 10
  const scale = (amount: number) => (budget.cap <= 0 ? 0 : Number((BigInt(Math.max(0, Math.min(amount, budget.cap))) * BigInt(width)) / BigInt(budget.cap)))
  const spentW = scale(budget.spent)
  const approvedW = Math.max(0, scale(budget.committed) - spentW)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width + 20}" height="90" viewBox="0 0 ${width + 20} 90" role="img" aria-label="${h(labels.chartBudget)}" font-family="system-ui,sans-serif" font-size="12">`,
    `<title>${h(labels.chartBudget)}</title>`,
    `<rect x="${x0}" y="20" width="${width}" height="24" fill="${colours.free}"/>`,
    `<rect x="${x0}" y="20" width="${spentW}" height="24" fill="${colours.spent}"><title>${h(labels.spent)}</title></rect>`,
    `<rect x="${x0 + spentW}" y="20" width="${approvedW}" height="24" fill="${colours.approved}"><title>${h(labels.approvedOpen)}</title></rect>`,
  ]
  for (const bps of [8000, 9500]) {
    const x = x0 + (width * bps) / 10_000
    parts.push(`<line x1="${x}" y1="14" x2="${x}" y2="50" stroke="#ef6c00" stroke-dasharray="3 2"/><text x="${x}" y="10" text-anchor="middle">${h(formatBps(bps, language))}</text>`)
  }
  parts.push(
    `<text x="${x0}" y="66">${h(`${labels.used}: ${formatBps(budget.usedBps, language)}`)}</text>`,
    `<rect x="${x0}" y="74" width="12" height="12" fill="${colours.spent}"/><text x="${x0 + 18}" y="84">${h(labels.spent)}</text>`,
    `<rect x="${x0 + 220}" y="74" width="12" height="12" fill="${colours.approved}"/><text x="${x0 + 238}" y="84">${h(labels.approvedOpen)}</text>`,
    '</svg>',
  )
  return parts.join('')
}
