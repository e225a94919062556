/** Charts for the HTML report, drawn as inline SVG from integers only, so the markup is the same on every machine. */
import type { BudgetSection, ObligationSection } from './compliance-report.js'
import { escapeHtml as h, formatShare } from './report-format.js'
import type { QuarterTally } from './report-headline.js'
import { obligationLabel, type ReportLabels } from './report-labels.js'

// model

const colours = { met: '#2e7d32', breached: '#c62828', pending: '#9e9e9e', spent: '#1565c0', approved: '#64b5f6', free: '#e0e0e0' } as const
const verdictKeys = ['met', 'breached', 'pending'] as const

// operations

/**
 * A count's length on a scale where `max` fills `width`: proportional, rounded to a whole pixel, and
 * never under 2 px for a count above zero, so a single breach stays visible beside hundreds of checks.
 */
export const barLength = (count: number, max: number, width: number): number =>
  count <= 0 || max <= 0 ? 0 : Math.max(2, Math.round((count * width) / max))

const svgOpen = (width: number, height: number, label: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${h(label)}" font-family="system-ui,sans-serif" font-size="12"><title>${h(label)}</title>`

const legend = (labels: ReportLabels, x0: number, y: number): string =>
  verdictKeys.map((key, i) => `<rect x="${x0 + i * 150}" y="${y}" width="12" height="12" fill="${colours[key]}"/><text x="${x0 + i * 150 + 18}" y="${y + 11}">${h(labels.verdicts[key])}</text>`).join('')

/**
 * One bar per obligation, met, breached and pending side by side, every bar on one scale (the
 * largest total fills the width): a bar's length is its number of verdicts, so 1/0/0 and 91/0/0 differ.
 */
export const obligationsChart = (sections: ReadonlyArray<ObligationSection>, labels: ReportLabels): string => {
  const rowHeight = 26
  const labelWidth = 360
  const barWidth = 380
  const width = labelWidth + barWidth + 110
  const height = sections.length * rowHeight + 40
  const max = Math.max(0, ...sections.map((s) => s.total))
  const parts: string[] = [svgOpen(width, height, labels.chartObligations)]
  sections.forEach((s, i) => {
    const y = i * rowHeight + 4
    parts.push(`<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${h(`${s.clause}. ${obligationLabel(labels, s.obligation)}`)}</text>`)
    parts.push(`<line x1="${labelWidth}" y1="${y}" x2="${labelWidth}" y2="${y + rowHeight - 2}" stroke="#bdbdbd"/>`)
    let x = labelWidth
    for (const key of verdictKeys) {
      const w = barLength(s[key], max, barWidth)
      if (w > 0) parts.push(`<rect x="${x}" y="${y + 3}" width="${w}" height="16" fill="${colours[key]}" data-count="${s[key]}"><title>${h(`${labels.verdicts[key]}: ${s[key]}`)}</title></rect>`)
      x += w
    }
    parts.push(`<text x="${labelWidth + barWidth + 8}" y="${y + 15}">${s.met} / ${s.breached} / ${s.pending}</text>`)
  })
  parts.push(legend(labels, labelWidth, sections.length * rowHeight + 20), '</svg>')
  return parts.join('')
}

/** The trend: one stacked column per quarter on one scale, its compliance share above it. */
export const trendChart = (quarters: ReadonlyArray<QuarterTally>, labels: ReportLabels): string => {
  const column = 56
  const gap = 44
  const plot = 180
  const top = 24
  const x0 = 20
  const width = Math.max(480, x0 * 2 + quarters.length * (column + gap))
  const height = top + plot + 56
  const max = Math.max(0, ...quarters.map((q) => q.total))
  const parts: string[] = [svgOpen(width, height, labels.chartTrend)]
  parts.push(`<line x1="${x0}" y1="${top + plot}" x2="${width - x0}" y2="${top + plot}" stroke="#bdbdbd"/>`)
  quarters.forEach((q, i) => {
    const x = x0 + i * (column + gap) + gap / 2
    let y = top + plot
    for (const key of verdictKeys) {
      const len = barLength(q[key], max, plot)
      if (len > 0) {
        y -= len
        parts.push(`<rect x="${x}" y="${y}" width="${column}" height="${len}" fill="${colours[key]}" data-count="${q[key]}"><title>${h(`${q.quarter}, ${labels.verdicts[key]}: ${q[key]}`)}</title></rect>`)
      }
    }
    const share = q.complianceBps === undefined ? '—' : formatShare(q.complianceBps)
    parts.push(`<text x="${x + column / 2}" y="${y - 6}" text-anchor="middle">${h(share)}</text>`)
    parts.push(`<text x="${x + column / 2}" y="${top + plot + 16}" text-anchor="middle">${h(q.quarter)}</text>`)
  })
  parts.push(legend(labels, x0, top + plot + 32), '</svg>')
  return parts.join('')
}

/** The budget as one bar against the cap: spent, approved and free, with the 80% and 95% warning marks. */
export const budgetChart = (budget: BudgetSection, labels: ReportLabels): string => {
  const width = 600
  const x0 = 10
  const scale = (amount: number) => (budget.cap <= 0 ? 0 : Number((BigInt(Math.max(0, Math.min(amount, budget.cap))) * BigInt(width)) / BigInt(budget.cap)))
  const spentW = scale(budget.spent)
  const approvedW = Math.max(0, scale(budget.committed) - spentW)
  const parts = [
    svgOpen(width + 20, 90, labels.chartBudget),
    `<rect x="${x0}" y="20" width="${width}" height="24" fill="${colours.free}"/>`,
    `<rect x="${x0}" y="20" width="${spentW}" height="24" fill="${colours.spent}"><title>${h(labels.spent)}</title></rect>`,
    `<rect x="${x0 + spentW}" y="20" width="${approvedW}" height="24" fill="${colours.approved}"><title>${h(labels.approvedOpen)}</title></rect>`,
  ]
  for (const bps of [8000, 9500]) {
    const x = x0 + (width * bps) / 10_000
    parts.push(`<line x1="${x}" y1="14" x2="${x}" y2="50" stroke="#ef6c00" stroke-dasharray="3 2"/><text x="${x}" y="10" text-anchor="middle">${h(formatShare(bps))}</text>`)
  }
  parts.push(
    `<text x="${x0}" y="66">${h(`${labels.used}: ${formatShare(budget.usedBps)}`)}</text>`,
    `<rect x="${x0}" y="74" width="12" height="12" fill="${colours.spent}"/><text x="${x0 + 18}" y="84">${h(labels.spent)}</text>`,
    `<rect x="${x0 + 260}" y="74" width="12" height="12" fill="${colours.approved}"/><text x="${x0 + 278}" y="84">${h(labels.approvedOpen)}</text>`,
    '</svg>',
  )
  return parts.join('')
}

