/** The support-ledger demo: `pnpm demo` from the repository root. Events go to the embedded PostgreSQL (PGlite) in a local folder. */
import { resolve } from 'node:path'
import { embeddedDemoStorage } from './demo-storage.js'
import { kernelDemo } from './kernel-demo.js'
import { reportDemo } from './report-demo.js'
import { ticketsDemo } from './tickets.js'

const log = (line: string) => console.log(line)
const dataDir = resolve('.data/demo')

log(`support-ledger demo: events in PGlite at ${dataDir}\n`)
const embedded = await embeddedDemoStorage(dataDir)
try {
  await kernelDemo(log, embedded.open)
  log('')
  await ticketsDemo(log, embedded.open)
  log('')
  await reportDemo(resolve('out'), log, embedded.open)
} finally {
  await embedded.close()
}
