/**
 * @support-ledger/core/testing: scenario helpers, fast-check helpers, a contract to start from and a
 * generated year of a large contract, usable under any test runner (node:test, jest, vitest). The
 * contract suites that define tests are in `@support-ledger/core/testing/vitest`.
 */
export * from './scenario.js'
export * from './arbitraries.js'
export * from './assertions.js'
export * from './contract-fixtures.js'
export * from './example-ledger.js'
