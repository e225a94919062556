import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@support-ledger/source'] },
  ssr: { resolve: { conditions: ['@support-ledger/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each run of the binary opens its own PGlite (~750 MB): files run one at a time.
    fileParallelism: false,
  },
})
