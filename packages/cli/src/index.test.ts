// The library entry's runtime exports, pinned: adding or removing one is a decision, made here on purpose.
import { expect, it } from 'vitest'
import * as entry from './index.js'

it('exports the list it chooses, and nothing of the tests', () => {
  expect(Object.keys(entry).sort()).toEqual([
    'CliConfig',
    'ExitCode',
    'ReportFormat',
    'ReportLanguage',
    'decodeCliConfig',
    'decodeStrict',
    'excessKeys',
    'parsePeriod',
    'readCliConfig',
    'renderVerdictsCsv',
    'runCli',
    'secretsFrom',
  ])
})
