/** @support-ledger/core/testing: scenario helpers, fast-check helpers and the EventStore contract suite. */
export * from './scenario.js'
export * from './arbitraries.js'
export * from './event-store-contract.js'
export * from './outbox-contract.js'
export * from './obligation-schedule-contract.js'
