import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@support-ledger/source'] },
  ssr: { resolve: { conditions: ['@support-ledger/source'] } },
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 },
})
