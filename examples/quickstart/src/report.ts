/** `pnpm report [dir]`: a small contract's history, its compliance report (HTML, Markdown, JSON) and one failure report. */
import { resolve } from 'node:path'
import { reportDemo } from './report-demo.js'

const outDir = resolve(process.argv[2] ?? 'out')
await reportDemo(outDir, (line) => console.log(line))
