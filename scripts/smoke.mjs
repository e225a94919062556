// Imports every built package under plain Node (no vitest, no tsx) and calls one function of each:
// it catches ESM traps such as directory imports that only fail at run time.
import { readdirSync, readFileSync } from 'node:fs'

const calls = {
  '@support-ledger/core': (m) => {
    // Luxon and the shipped calendar data load and compute under plain Node: 09:00 Almaty plus one business hour.
    const registry = m.createCalendarRegistry([m.KAZAKHSTAN_CALENDAR])
    const calendar = registry._tag === 'Right' ? registry.right.calendarAt('kz-5day', '2025-03-03T04:00:00.000Z') : undefined
    return calendar?.addBusinessMinutes('2025-03-03T04:00:00.000Z', 60) === '2025-03-03T05:00:00.000Z'
  },
  // The scenario and fast-check helpers under plain Node: no test runner loaded.
  '@support-ledger/core/testing': (m) => typeof m.scenario === 'function' && typeof m.assertEqual === 'function',
  '@support-ledger/core/testing/vitest': (m) => typeof m.eventStoreContract === 'function',
  '@support-ledger/postgres': (m) => typeof m.postgresDatabase === 'function' && typeof m.migrate === 'function',
  // The embedded engine end to end under plain Node: migrate, append, read back.
  '@support-ledger/postgres/embedded': async (m) => {
    const { postgresEventStore } = await import('@support-ledger/postgres')
    const core = await import('@support-ledger/core')
    const t = await import('io-ts')
    const catalog = core.eventCatalog([core.eventType('Pinged', t.type({ n: t.number }))])
    const embedded = await m.openEmbeddedStorage({ inMemory: true })
    try {
      const store = postgresEventStore(catalog, embedded.storage)
      const metadata = { actor: { party: 'system', id: 'smoke' }, at: core.instantOf(0) }
      await store.append('smoke-1', [{ event: { type: 'Pinged', data: { n: 7 } }, metadata }])()
      const read = await store.readStream('smoke-1')()
      return read._tag === 'Right' && read.right.events[0]?.data.n === 7
    } finally {
      await embedded.close()
    }
  },
  // The shipped templates resolve from the built package and pass their check; a header is checked.
  '@support-ledger/email': async (m) => {
    const templates = await m.loadMailTemplates()
    return templates._tag === 'Right' && m.mailAddress('to', 'a@b.kz')._tag === 'Right' && m.mailAddress('to', 'a@b.kz\r\nBcc: x@y.kz')._tag === 'Left'
  },
  // The Redmine adapter under plain Node: a mapping decodes, a CSV for Redmine's importer quotes Cyrillic and commas.
  '@support-ledger/redmine': (m) => {
    const mapping = m.defaultRedmineMapping([{ project: 'support', contractId: 'C-1' }], [{ redmineUserId: 2, person: 'aigerim' }])
    const decoded = m.decodeRedmineMapping(JSON.parse(JSON.stringify(mapping)))
    return decoded._tag === 'Right' && m.csvField('Счёт, срочно') === '"Счёт, срочно"' && typeof m.redmineClient === 'function'
  },
  // The command line's program under plain Node: commander loads, a misspelt configuration key is named.
  '@support-ledger/cli': async (m) => {
    const lines = []
    const io = { out: (t) => lines.push(t), err: (t) => lines.push(t), stdoutIsTty: false, env: {} }
    const status = await m.runCli(['verify', '--help'], io)
    const config = m.decodeCliConfig({ store: { datadir: 'x' } })
    return status === 0 && lines.join('\n').includes('--write-seal') && config._tag === 'Left' && config.left.path === 'store.datadir'
  },
}

const root = new URL('../packages/', import.meta.url)
const entries = []
for (const dir of readdirSync(root)) {
  const pkg = JSON.parse(readFileSync(new URL(`${dir}/package.json`, root), 'utf8'))
  if (pkg.private) continue
  for (const sub of Object.keys(pkg.exports ?? {})) {
    if (sub.endsWith('package.json')) continue
    entries.push(sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`)
  }
}

let failed = 0
for (const entry of entries) {
  const call = calls[entry]
  try {
    if (!call) throw new Error('no smoke call for this entry: add one to scripts/smoke.mjs')
    const mod = await import(entry)
    if ((await call(mod)) !== true) throw new Error('its smoke call returned a wrong result')
    console.log(`ok ${entry}`)
  } catch (e) {
    failed++
    console.log(`FAILED ${entry}: ${e instanceof Error ? e.message : String(e)}`)
  }
}
console.log(`smoke: ${entries.length - failed} passed, ${failed} failed`)
process.exit(failed === 0 && entries.length > 0 ? 0 : 1)
