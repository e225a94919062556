/** `pnpm bench` for core: runs every benchmark, prints the figures and writes bench-results.json. */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { benchCalendar } from './calendar.bench.js'
import { benchKernel } from './kernel.bench.js'
import { benchReport } from './report.bench.js'
import { benchTickets } from './ticket.bench.js'
import { printFigures, type Figures } from './measure.js'

const suites: ReadonlyArray<[string, () => Promise<Figures>]> = [
  ['kernel', benchKernel],
  ['calendar', benchCalendar],
  ['tickets', benchTickets],
  ['report', benchReport],
]

const all: Figures = {}
for (const [name, run] of suites) {
  const figures = await run()
  printFigures(`@support-ledger/core: ${name}`, figures)
  Object.assign(all, figures)
}
const out = fileURLToPath(new URL('../bench-results.json', import.meta.url))
writeFileSync(out, `${JSON.stringify(all, null, 2)}\n`)
console.log(`\nwrote ${out}`)
