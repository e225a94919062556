/** The real Redmine the `*.int.test.ts` files use (made by `scripts/redmine-up.sh`): a probe, a skip rule that fails loudly on CI, and a fresh project per test. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { describe } from 'vitest'
import { redmineClient, type RedmineClient, type RedmineClientOptions } from './redmine-client.js'

const run = promisify(execFile)

export const REDMINE_URL = process.env.REDMINE_URL ?? 'http://127.0.0.1:3000'
const adminKey = process.env.REDMINE_API_KEY ?? ''

const probe = async (): Promise<string | undefined> => {
  if (adminKey === '') return 'REDMINE_API_KEY is not set'
  const me = await redmineClient({ url: REDMINE_URL, apiKey: adminKey, timeoutMs: 5_000 }).currentUser()()
  if (E.isLeft(me)) return me.left.message
  return me.right.admin === true ? undefined : 'the key in REDMINE_API_KEY is not an admin key (the tests make projects and act as users)'
}

const unreachable = await probe()
if (unreachable !== undefined) {
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and no usable Redmine at ${REDMINE_URL} (${unreachable}): run scripts/redmine-up.sh; integration tests must run on CI`)
  }
  console.warn(`Skipping Redmine integration tests: no usable Redmine at ${REDMINE_URL} (${unreachable}). Run scripts/redmine-up.sh and set REDMINE_URL and REDMINE_API_KEY.`)
}

/** `describe` that skips when no Redmine answers (and never on CI, where the probe above already failed). */
export const describeWithRedmine = (name: string, body: () => void): void => {
  describe.skipIf(unreachable !== undefined)(name, body)
}

export interface TestProject {
  readonly identifier: string
  readonly admin: RedmineClient
  /** The supplier's sync account (`ledger`, a Developer of the project): the key the ledger uses. */
  readonly syncKey: string
  readonly sync: (options?: Partial<RedmineClientOptions>) => RedmineClient
  /** The customer (`aigerim`, role Customer), reached by the admin switching user. */
  readonly customer: RedmineClient
  readonly users: { readonly ledger: number; readonly customer: number }
}

const must = async <A>(what: string, r: Promise<E.Either<{ readonly message: string }, A>>): Promise<A> => {
  const x = await r
  if (E.isLeft(x)) throw new Error(`${what}: ${x.left.message}`)
  return x.right
}

/** A new project with every tracker, the sync account as Developer and the customer as Customer. */
export const openTestProject = async (): Promise<TestProject> => {
  const admin = redmineClient({ url: REDMINE_URL, apiKey: adminKey })
  const identifier = `sl-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
  const trackers = await must('trackers', admin.trackers()())
  const fields = (await must('custom fields', admin.request('GET', '/custom_fields.json')())) as { custom_fields: Array<{ id: number; customized_type: string }> }
  await must(
    'create project',
    admin.request('POST', '/projects.json', {
      project: { name: `Поддержка ${identifier}`, identifier, is_public: false, tracker_ids: trackers.map((t) => t.id), issue_custom_field_ids: fields.custom_fields.filter((f) => f.customized_type === 'issue').map((f) => f.id), enabled_module_names: ['issue_tracking'] },
    })(),
  )
  const roles = (await must('roles', admin.request('GET', '/roles.json')())) as { roles: Array<{ id: number; name: string }> }
  const roleId = (name: string) => roles.roles.find((r) => r.name === name)?.id
  const userId = async (login: string): Promise<number> => {
    const found = (await must('users', admin.request('GET', `/users.json?name=${login}`)())) as { users: Array<{ id: number; login: string }> }
    const id = found.users.find((u) => u.login === login)?.id
    if (id === undefined) throw new Error(`user ${login} is missing: run scripts/redmine-up.sh`)
    return id
  }
  const ledger = await userId('ledger')
  const customer = await userId('aigerim')
  for (const [user, role] of [[ledger, 'Developer'], [customer, 'Customer']] as const) {
    await must(`membership ${role}`, admin.request('POST', `/projects/${identifier}/memberships.json`, { membership: { user_id: user, role_ids: [roleId(role)] } })())
  }
  const syncUser = await must('sync user', admin.user(ledger)())
  const syncKey = syncUser.api_key ?? ''
  return {
    identifier,
    admin,
    syncKey,
    sync: (options = {}) => redmineClient({ url: REDMINE_URL, apiKey: syncKey, ...options }),
    customer: redmineClient({ url: REDMINE_URL, apiKey: adminKey, actAs: 'aigerim' }),
    users: { ledger, customer },
  }
}

const script = fileURLToPath(new URL('../../../scripts/redmine-up.sh', import.meta.url))
const port = new URL(REDMINE_URL).port || '80'

/** Whether this process may stop and start the test Redmine (it runs the project's script as root). */
export const canRestart = process.getuid?.() === 0 && existsSync(script)

/** Stops the test Redmine (`scripts/redmine-up.sh stop`): its port refuses connections until `startRedmine`. */
export const stopRedmine = async (): Promise<void> => {
  await run(script, ['stop'], { env: { ...process.env, REDMINE_PORT: port } })
}

export const startRedmine = async (): Promise<void> => {
  await run(script, ['start'], { env: { ...process.env, REDMINE_PORT: port } })
}
