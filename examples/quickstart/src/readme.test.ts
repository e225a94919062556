import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// README snippets are excerpts of these example files, never code written only for the page.
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
const sources = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => readFileSync(new URL(f, import.meta.url), 'utf8'))
const normalise = (line: string) => line.trim().replace(/\s+/g, ' ')
const exampleLines = new Set(sources.flatMap((s) => s.split('\n').map(normalise)))

describe('README', () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')

  it('has TypeScript snippets', () => {
    expect(blocks.length).toBeGreaterThan(0)
  })

  it('shows only lines that stand in an example file (imports and calls may be shortened)', () => {
    const missing = blocks
      .flatMap((b) => b.split('\n'))
      .map(normalise)
      .filter((l) => l !== '' && !l.startsWith('import ') && !l.startsWith('//') && !l.includes('...'))
      .filter((l) => !exampleLines.has(l))
    expect(missing).toEqual([])
  })
})
