import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { firstReport, summaryLines } from './first-report.js'

// What the program prints, kept in a file of its own: the guide shows it from there.
const expected = readFileSync(new URL('first-report.expected.txt', import.meta.url), 'utf8').trimEnd().split('\n')

describe('the getting-started program', () => {
  it('reports the first quarter: the defect fixed in time met clauses 2 and 3, the late proposal breached clause 2, and what was never recorded is breached too', async () => {
    const { report, markdown } = await firstReport({ inMemory: true })
    const row = (clause: number, obligation: string) => report.obligations.find((o) => o.clause === clause && o.obligation === obligation)
    expect(row(2, 'deadline-proposal')).toMatchObject({ total: 2, met: 1, breached: 1, pending: 0 })
    // T-2's fix is pending: its deadline was proposed but not yet agreed.
    expect(row(3, 'agreed-deadline')).toMatchObject({ total: 2, met: 1, breached: 0, pending: 1 })
    // Obligations nobody recorded anything for are not silent: no test stand, no archive, no backup check in the quarter.
    expect(report.obligations.filter((o) => o.breached > 0).map((o) => o.obligation)).toEqual(['deadline-proposal', 'test-stand', 'archiving', 'backup-sync'])
    expect(summaryLines(report)).toEqual(expected)
    expect(markdown).toContain('C-2025-001')
    expect(markdown).toContain('T-2')
    // Starting PostgreSQL in WebAssembly and migrating it takes a few seconds alone, ten times that beside every package's tests.
  }, 240_000)
})
