/** `pnpm --filter @support-ledger/example-getting-started start`: runs the guide and writes the report to out/. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { firstReport, summaryLines } from './first-report.js'

// #region main
// A fresh record on each run: the contract is registered once per store.
rmSync('.data/getting-started', { recursive: true, force: true })
const { report, markdown } = await firstReport({ dataDir: '.data/getting-started' })
for (const line of summaryLines(report)) console.log(line)
mkdirSync('out', { recursive: true })
writeFileSync('out/first-report.md', markdown)
console.log('open out/first-report.md')
// #endregion main
