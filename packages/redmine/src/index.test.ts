import { expect, it } from 'vitest'
import * as entry from './index.js'

it('exports the list it chooses, and nothing of the tests', () => {
  expect(Object.keys(entry).sort()).toEqual([
    'CSV_COLUMNS',
    'REDMINE_CHANNEL',
    'RedmineMapping',
    'RedmineTrigger',
    'RedmineWrite',
    'csvField',
    'decodeRedmineMapping',
    'defaultRedmineMapping',
    'isTransient',
    'mayHaveTakenEffect',
    'noteMarker',
    'parseCsv',
    'previewOutbox',
    'redmineClient',
    'redmineCsv',
    'redmineExport',
    'redmineImport',
    'redmineImportEvents',
    'redmineOutboxHandler',
    'redmineSync',
    'redmineWriter',
    'resolveMapping',
  ])
})
