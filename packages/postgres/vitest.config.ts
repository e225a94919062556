import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@support-ledger/source'] },
  ssr: { resolve: { conditions: ['@support-ledger/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // A hook that starts PGlite and migrates it takes seconds alone and ten times that beside every package's tests.
    hookTimeout: 180_000,
    // The reader fence is cluster-wide and each PGlite instance costs ~750 MB: files run one at a time,
    // so that one file's open transactions never hold back another's readers.
    fileParallelism: false,
  },
})
