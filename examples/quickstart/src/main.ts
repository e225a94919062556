/**
 * The support-ledger demo: `pnpm demo` from the repository root. A year of a support contract with a
 * Kazakhstan customer, played into the embedded PostgreSQL (PGlite) in `out/demo/store`, or into the
 * server in DATABASE_URL; the same command as `support-ledger demo`.
 */
import { runCli } from '@support-ledger/cli'

const status = await runCli(['demo', '--out', 'out/demo'], {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  stdoutIsTty: process.stdout.isTTY === true,
  env: process.env,
})
process.exit(status)
