// The entries' runtime exports, pinned: adding or removing one is a decision, made here on purpose.
import { expect, it } from 'vitest'
import * as embedded from './embedded.js'
import * as entry from './index.js'

it('the main entry exports the list it chooses, and nothing of the tests', () => {
  expect(Object.keys(entry).sort()).toEqual([
    'DEFAULT_SCHEMA',
    'assignContracts',
    'consumerCheckpoints',
    'createPostgresStorage',
    'dropSchema',
    'expireIdempotencyKeys',
    'kyselyDatabase',
    'latestSeal',
    'migrate',
    'migrations',
    'parseSeal',
    'postgresDatabase',
    'postgresEventStore',
    'postgresObligationSchedule',
    'postgresOutbox',
    'postgresSnapshotStore',
    'postgresStores',
    'resetConsumer',
    'schemaNames',
    'sealLog',
    'sealSignatureValid',
    'sealText',
    'settleRestoredEvents',
    'signSeal',
    'startConsumer',
    'startSealing',
    'streamHead',
    'verifyAgainstSeal',
    'verifyAll',
    'verifyStream',
    'whoHoldsReadersBack',
  ])
})

it('the embedded entry exports only what opens an embedded store', () => {
  expect(Object.keys(embedded).sort()).toEqual([
    'openEmbeddedStorage',
    'openPGlite',
    'pgliteDatabase',
    'pgliteDialect',
  ])
})
