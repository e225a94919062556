/** The support-ledger demo: `pnpm demo` from the repository root. */
import { kernelDemo } from './kernel-demo.js'

const log = (line: string) => console.log(line)

log('support-ledger demo\n')
await kernelDemo(log)
