/** @support-ledger/core/testing/vitest: contract suites that every implementation of a port must pass, written for vitest. */
export * from './event-store-contract.js'
export * from './outbox-contract.js'
export * from './obligation-schedule-contract.js'
export * from './snapshot-equivalence.js'
