/** Runs the BUILT binary, as a user's shell would: `node dist/bin.js ...`, with its own environment. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the package first (pnpm --filter @support-ledger/cli build)`)

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** `env` replaces the secrets: DATABASE_URL and REDMINE_API_KEY are unset unless given, so a test never touches a server by accident. */
export const runBin = (args: ReadonlyArray<string>, options: { readonly env?: Record<string, string>; readonly cwd?: string } = {}): Promise<Run> => {
  const { DATABASE_URL: _db, REDMINE_API_KEY: _key, PGLITE_DIR: _dir, ...env } = process.env
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...env, ...options.env }, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
      resolve({ code, stdout, stderr })
    })
  })
}

/** The `--json` object a command printed. */
export const jsonOf = (run: Run): Record<string, unknown> => {
  const line = run.stdout.trim().split('\n').pop() ?? ''
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    throw new Error(`not JSON on stdout (exit ${run.code}): ${run.stdout}\n${run.stderr}`)
  }
}
