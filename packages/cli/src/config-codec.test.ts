import type { ContractId } from '@support-ledger/core'
import { defaultRedmineMapping } from '@support-ledger/redmine'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { decodeCliConfig } from './cli-config.js'
import { excessKeys } from './config-codec.js'

const mapping = defaultRedmineMapping([{ project: 'support', contractId: 'C-1' as ContractId }], [{ redmineUserId: 6, person: 'aigerim' }])

describe('the configuration file', () => {
  it('accepts every documented key', () => {
    const config = {
      store: { dataDir: '/var/lib/support-ledger', schema: 'support_ledger' },
      contract: 'C-1',
      report: { language: 'kk', format: 'csv', outDir: 'reports' },
      schedule: { hours: 48 },
      redmine: { url: 'https://redmine.example.kz', mapping, intervalSeconds: 60 },
    }
    expect(decodeCliConfig(JSON.parse(JSON.stringify(config)))).toEqual(E.right(config))
  })

  it('refuses an unknown key and names it, at any depth', () => {
    expect(decodeCliConfig({ store: { datadir: 'x' } })).toMatchObject(E.left({ path: 'store.datadir', message: expect.stringContaining('unknown key store.datadir') }))
    expect(decodeCliConfig({ reports: {} })).toMatchObject(E.left({ path: 'reports' }))
    // Inside the Redmine mapping, whose codec lives in another package: the walk follows intersections and arrays.
    const wrong = { redmine: { url: 'https://r.kz', mapping: { ...mapping, projects: [{ project: 'support', contractId: 'C-1', contract: 'C-2' }] } } }
    expect(decodeCliConfig(JSON.parse(JSON.stringify(wrong)))).toMatchObject(E.left({ path: 'redmine.mapping.projects[0].contract' }))
  })

  it('says that secrets belong in the environment when one is put in the file', () => {
    const r = decodeCliConfig({ redmine: { url: 'https://r.kz', mapping, apiKey: 'secret' } })
    expect(E.isLeft(r) && r.left.path).toBe('redmine.apiKey')
    expect(E.isLeft(r) && r.left.message).toMatch(/environment/)
    expect(E.isLeft(decodeCliConfig({ store: { databaseUrl: 'postgres://x' } }))).toBe(true)
  })

  it('names the key whose value is wrong, and what it expected', () => {
    expect(decodeCliConfig({ schedule: { hours: 0 } })).toMatchObject(E.left({ path: 'schedule.hours', message: expect.stringContaining('PositiveInteger') }))
    expect(decodeCliConfig({ report: { language: 'de' } })).toMatchObject(E.left({ path: 'report.language' }))
    expect(decodeCliConfig({ store: { schema: 'Robert"; DROP' } })).toMatchObject(E.left({ path: 'store.schema' }))
    expect(decodeCliConfig([])).toMatchObject(E.left({ path: '' }))
  })

  it('finds excess keys through readonly, exact, partial, union and record codecs', () => {
    const codec = t.readonly(
      t.type({
        a: t.union([t.type({ kind: t.literal('x'), x: t.number }), t.type({ kind: t.literal('y') })]),
        r: t.record(t.string, t.type({ n: t.number })),
        p: t.exact(t.partial({ q: t.string })),
      }),
    )
    expect(excessKeys(codec, { a: { kind: 'x', x: 1, z: 2 }, r: { k: { n: 1, m: 2 } }, p: { q: 's', w: 1 }, extra: true })).toEqual(['a.z', 'r.k.m', 'p.w', 'extra'])
    expect(excessKeys(codec, { a: { kind: 'y' }, r: {}, p: {} })).toEqual([])
  })
})

describe('the example configuration the CLI reference shows', () => {
  it('decodes, mail section included, and a misspelt key in a mailed person is named with its path', async () => {
    const { readFile } = await import('node:fs/promises')
    const example = JSON.parse(await readFile(new URL('../support-ledger.example.json', import.meta.url), 'utf8')) as { mail: { contracts: Record<string, { people: Array<Record<string, unknown>> }> } }
    const decoded = decodeCliConfig(example)
    expect(E.isRight(decoded), JSON.stringify(decoded)).toBe(true)
    expect(E.isRight(decoded) && decoded.right.mail?.imap).toMatchObject({ host: 'imap.supplier.kz', port: 993, user: 'support@supplier.kz' })
    example.mail.contracts['C-2025-001']!.people[0]!.adress = 'x@y.kz'
    expect(decodeCliConfig(example)).toMatchObject({ _tag: 'Left', left: { path: 'mail.contracts.C-2025-001.people[0].adress' } })
  })
})
