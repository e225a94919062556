/**
 * `pnpm --filter @support-ledger/example-redmine-sync start -- --url URL --project ID --customer USER_ID=PERSON [--once] [--dry-run] [--csv FILE]`
 * The API key comes from REDMINE_API_KEY (never a flag: a command line is visible to every user of the machine).
 */
import { writeFile } from 'node:fs/promises'
import type { ContractId } from '@support-ledger/core'
import { defaultRedmineMapping } from '@support-ledger/redmine'
import * as E from 'fp-ts/lib/Either.js'
import { openSyncLoop } from './sync-loop.js'

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const all = (name: string): string[] => args.flatMap((a, i) => (a === name && args[i + 1] !== undefined ? [args[i + 1]!] : []))

const url = flag('--url') ?? process.env.REDMINE_URL
const apiKey = process.env.REDMINE_API_KEY
const project = flag('--project')
if (url === undefined || apiKey === undefined || project === undefined) {
  console.error('usage: REDMINE_API_KEY=... start --url URL --project IDENTIFIER [--contract ID] [--customer USER_ID=PERSON]... [--supplier PERSON=USER_ID]... [--interval SECONDS] [--once] [--dry-run] [--csv FILE]')
  process.exit(2)
}
const contractId = (flag('--contract') ?? `C-${project}`) as ContractId
const customers = all('--customer').map((c) => {
  const [id, person] = c.split('=')
  return { redmineUserId: Number(id), person: person ?? '' }
})
const suppliers = all('--supplier').map((s) => {
  const [person, id] = s.split('=')
  return { person: person ?? '', redmineUserId: Number(id) }
})
const mapping = defaultRedmineMapping([{ project, contractId }], customers, suppliers)

const opened = await openSyncLoop({ url, apiKey, mapping, dryRun: args.includes('--dry-run') })
if (E.isLeft(opened)) {
  // Typed errors carry no key: printing them is safe.
  console.error(`cannot start: ${opened.left._tag}: ${opened.left.message}`)
  process.exit(1)
}
const loop = opened.right
console.log(`syncing ${url} project ${project} as ${loop.me.login ?? loop.me.id} into contract ${contractId}`)

let stopping = false
process.on('SIGINT', () => {
  stopping = true
})
const intervalMs = Number(flag('--interval') ?? '30') * 1_000
do {
  const r = await loop.round()
  if (r.kind === 'dry-run') {
    if (E.isLeft(r.imported)) console.log(`import would stop: ${r.imported.left.message}`)
    else for (const line of r.imported.right.planned ?? []) console.log(`would import: ${line}`)
    if (E.isRight(r.pending)) for (const p of r.pending.right) console.log(`would write (message ${p.messageId}): ${JSON.stringify(p.planned)}`)
  } else {
    const imported = E.isLeft(r.round.imported) ? `stopped (${r.round.imported.left.message})` : JSON.stringify(r.round.imported.right)
    console.log(`${new Date().toISOString()} imported ${imported}; enqueued ${r.round.enqueued}; delivered ${r.round.delivered}; failed ${r.round.failed.length}`)
    for (const f of r.round.failed) console.log(`  write ${f.id} ${f.dead ? 'dead-lettered' : 'will be retried'}: ${f.reason}`)
  }
  if (args.includes('--once')) break
  await new Promise((resolve) => setTimeout(resolve, intervalMs))
} while (!stopping)

const csvFile = flag('--csv')
if (csvFile !== undefined) {
  const csv = await loop.csv(contractId)
  if (E.isRight(csv)) {
    await writeFile(csvFile, csv.right)
    console.log(`wrote ${csvFile}`)
  }
}
