/** The compliance report as JSON: two-space indentation, keys in the order the report builds them, a final newline. */
import type { ComplianceReport } from './compliance-report.js'

// operations

/**
 * Renders a report as indented JSON with a final newline: the form to archive or compare, since the same report always
 * gives the same bytes.
 */
export const renderReportJson = (report: ComplianceReport): string => `${JSON.stringify(report, null, 2)}\n`
