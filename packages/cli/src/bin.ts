#!/usr/bin/env node
/** The `support-ledger` executable. */
import { runCli } from './cli-program.js'

const status = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  stdoutIsTty: process.stdout.isTTY === true,
  env: process.env,
})
// Every store and pool is closed by now; exit at once so that a stray timer cannot hold the process.
process.exit(status)
