/**
 * @support-ledger/core/testing: scenario helpers and fast-check helpers, usable under any test runner
 * (node:test, jest, vitest). The contract suites that define tests are in `@support-ledger/core/testing/vitest`.
 */
export * from './scenario.js'
export * from './arbitraries.js'
export * from './assertions.js'
