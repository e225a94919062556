import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { reportDemo } from './report-demo.js'

it('the report demo records a quarter, refuses an approval past the cap, and writes the reports', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'report-demo-'))
  try {
    const lines: string[] = []
    await reportDemo(dir, (l) => lines.push(l))
    expect(lines).toContain('report: approving CH-2 is refused: CapExceeded, short by 1000000 KZT')
    expect(lines).toContain('report: clause 1 consultation: 1 met, 0 breached, 0 pending')
    expect(lines).toContain('report: clause 2 deadline-proposal: 1 met, 1 breached, 0 pending')
    expect(lines).toContain('report: clause 12 archiving: 2 met, 1 breached, 0 pending')
    expect((await readdir(dir)).sort()).toEqual([
      'compliance-report-2024-Q1.en.html', 'compliance-report-2024-Q1.json', 'compliance-report-2024-Q1.ru.html',
      'failure-report-INC-1.en.html', 'failure-report-INC-1.en.md', 'failure-report-INC-1.ru.html', 'failure-report-INC-1.ru.md',
    ])
    const html = await readFile(join(dir, 'compliance-report-2024-Q1.en.html'), 'utf8')
    expect(html).toContain('<svg')
    const md = await readFile(join(dir, 'failure-report-INC-1.ru.md'), 'utf8')
    // 08:40 in Almaty on 5 February 2024, when the zone was still UTC+6.
    expect(md).toContain('| 2024-02-05 08:40 | Writes start failing |')
    // Running it again gives the same report, byte for byte.
    const again = await mkdtemp(join(tmpdir(), 'report-demo-'))
    await reportDemo(again, () => undefined)
    expect(await readFile(join(again, 'compliance-report-2024-Q1.json'), 'utf8')).toBe(await readFile(join(dir, 'compliance-report-2024-Q1.json'), 'utf8'))
    await rm(again, { recursive: true, force: true })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
