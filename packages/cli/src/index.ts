/** @support-ledger/cli: the `support-ledger` command line, and its parts for programs that embed it. */
export { runCli } from './cli-program.js'
export { CliConfig, decodeCliConfig, readCliConfig, secretsFrom, ReportFormat, ReportLanguage, type CliSecrets, type ConfigUnreadable } from './cli-config.js'
export { decodeStrict, excessKeys, type ConfigInvalid } from './config-codec.js'
export type { CliIo } from './cli-context.js'
export { ExitCode, type CliFailure } from './exit-codes.js'
export { parsePeriod, renderVerdictsCsv } from './report-command.js'
