import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@support-ledger/source'] },
  ssr: { resolve: { conditions: ['@support-ledger/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // The property tests take seconds alone and several times that beside every package's tests on two cores.
    testTimeout: 60_000,
  },
})
