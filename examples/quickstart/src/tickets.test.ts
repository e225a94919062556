import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { ticketsDemo } from './tickets.js'

// The expected lines are a file of their own: the README shows them from it.
const expected = readFileSync(new URL('tickets.expected.txt', import.meta.url), 'utf8').trimEnd().split('\n')

it('the tickets demo files a defect, agrees a deadline, refuses the wrong party and reports each clock', async () => {
  const lines: string[] = []
  await ticketsDemo((l) => lines.push(l))
  expect(expected).toHaveLength(7)
  expect(lines).toEqual(expected)
})
