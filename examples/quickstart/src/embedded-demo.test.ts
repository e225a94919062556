import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { embeddedDemoStorage } from './demo-storage.js'
import { kernelDemo } from './kernel-demo.js'
import { reportDemo } from './report-demo.js'
import { ticketsDemo } from './tickets.js'

it('the demos on the embedded PostgreSQL say and write exactly what they do in memory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'embedded-demo-'))
  const embedded = await embeddedDemoStorage(join(dir, 'nested', 'pglite')) // parents are created too
  try {
    for (const demo of [kernelDemo, ticketsDemo]) {
      const inMemory: string[] = []
      const onPGlite: string[] = []
      await demo((l) => inMemory.push(l))
      await demo((l) => onPGlite.push(l), embedded.open)
      expect(onPGlite).toEqual(inMemory)
      expect(onPGlite.length).toBeGreaterThan(2)
    }
    // The report is a pure function of the events: the same history in either store gives the same bytes.
    await reportDemo(join(dir, 'memory'), () => undefined)
    await reportDemo(join(dir, 'pglite-out'), () => undefined, embedded.open)
    const files = (await readdir(join(dir, 'memory'))).sort()
    expect(files.length).toBe(7)
    for (const f of files) {
      expect(await readFile(join(dir, 'pglite-out', f), 'utf8'), f).toBe(await readFile(join(dir, 'memory', f), 'utf8'))
    }
  } finally {
    await embedded.close()
    await rm(dir, { recursive: true, force: true })
  }
  // About 8 s alone; 50 to 61 s in a full CI run beside every other package's tests on two cores.
}, 240_000)
