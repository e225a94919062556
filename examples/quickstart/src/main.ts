/** The support-ledger demo: `pnpm demo` from the repository root. */
import { resolve } from 'node:path'
import { kernelDemo } from './kernel-demo.js'
import { reportDemo } from './report-demo.js'
import { ticketsDemo } from './tickets.js'

const log = (line: string) => console.log(line)

log('support-ledger demo\n')
await kernelDemo(log)
log('')
await ticketsDemo(log)
log('')
await reportDemo(resolve('out'), log)
