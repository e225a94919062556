import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@support-ledger/source'] },
  ssr: { resolve: { conditions: ['@support-ledger/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // The test Redmine (thin over sqlite) serves one request at a time: files run one after another.
    fileParallelism: false,
  },
})
