#!/usr/bin/env bash
# The shell commands the docs show, each in a region (`pnpm docs:snippets` copies them into the pages).
# Not a script to run as a whole: `pnpm docs:snippets --check` checks its syntax (bash -n).
set -euo pipefail

# #region demo
npm install -g pnpm@10.34.9 && pnpm install --frozen-lockfile && pnpm demo
# #endregion demo

# #region test
pnpm test
# #endregion test

# #region getting-started-run
pnpm install --frozen-lockfile
pnpm --filter @support-ledger/example-getting-started start
# #endregion getting-started-run

# #region getting-started-install
npm install @support-ledger/core @support-ledger/postgres @electric-sql/pglite fp-ts io-ts
# #endregion getting-started-install

# #region getting-started-cli
pnpm --filter @support-ledger/cli build
cd examples/getting-started
node ../../packages/cli/dist/bin.js --data-dir .data/getting-started \
  report --contract C-2025-001 --period 2025-Q1 --as-of 2025-04-01T00:00:00+05:00 --language en --format html
# #endregion getting-started-cli

# #region api-reference
pnpm build && pnpm docs:api
# #endregion api-reference

# #region cli-install
npm install -g @support-ledger/cli
support-ledger demo          # a year of a contract, its reports; the last line says which file to open
support-ledger --help
# #endregion cli-install

# #region core-install
npm install @support-ledger/core fp-ts io-ts
# #endregion core-install

# #region email-install
npm install @support-ledger/email @support-ledger/core fp-ts io-ts
# #endregion email-install

# #region postgres-install
npm install @support-ledger/postgres @support-ledger/core fp-ts io-ts
npm install @electric-sql/pglite   # only for the embedded engine
# #endregion postgres-install

# #region redmine-install
npm install @support-ledger/redmine @support-ledger/core fp-ts io-ts
# #endregion redmine-install
