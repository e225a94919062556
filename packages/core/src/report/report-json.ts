/** The compliance report as JSON: two-space indentation, keys in the order the report builds them, a final newline. */
import type { ComplianceReport } from './compliance-report.js'

// operations

export const renderReportJson = (report: ComplianceReport): string => `${JSON.stringify(report, null, 2)}\n`
