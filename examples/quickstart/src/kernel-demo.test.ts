import { expect, it } from 'vitest'
import { kernelDemo } from './kernel-demo.js'

it('the kernel demo answers a call once, refuses a second answer, and projects the open calls', async () => {
  const lines: string[] = []
  await kernelDemo((l) => lines.push(l))
  expect(lines).toEqual([
    'kernel: call-2 answered at version 2',
    'kernel: answering it again is refused: CallNotOpen',
    'kernel: open calls from the projection: call-1',
  ])
})
