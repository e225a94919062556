import { describe, expect, it } from 'vitest'
import { progress } from './cli-progress-line.js'

describe('progress off a terminal', () => {
  it('writes a line at the start, at each tenth reached, and at the end: never more than twelve', () => {
    const lines: string[] = []
    const p = progress({ bar: false, quiet: false, line: (l) => lines.push(l) })
    p.start('work', 1_000)
    for (let done = 1; done <= 1_000; done++) p.update(done)
    p.stop()
    expect(lines[0]).toBe('work: 0/1000')
    expect(lines.slice(1, -1)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900].map((n) => `work: ${n}/1000`))
    expect(lines.at(-1)).toBe('work: done')
  })

  it('skipped tenths are not written twice when the work jumps', () => {
    const lines: string[] = []
    const p = progress({ bar: false, quiet: false, line: (l) => lines.push(l) })
    p.start('jump', 10)
    p.update(7)
    p.update(7)
    p.update(10)
    p.stop()
    expect(lines).toEqual(['jump: 0/10', 'jump: 7/10', 'jump: done'])
  })

  it('says nothing in --json mode', () => {
    const lines: string[] = []
    const p = progress({ bar: false, quiet: true, line: (l) => lines.push(l) })
    p.start('quiet', 5)
    p.update(5)
    p.stop()
    expect(lines).toEqual([])
  })
})
