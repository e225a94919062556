/** Timing for benchmarks: run a workload a few times and keep the median rate. */
import { performance } from 'node:perf_hooks'

export interface Figure {
  readonly value: number
  readonly unit: string
}
export type Figures = Record<string, Figure>

/** Runs `work` (which reports how many items it did) `runs` times after one warm-up; returns the median items/s. */
export const medianRate = async (work: () => Promise<number> | number, runs = 5): Promise<number> => {
  await work()
  const rates: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    const items = await work()
    rates.push(items / ((performance.now() - start) / 1000))
  }
  rates.sort((a, b) => a - b)
  return Math.round(rates[Math.floor(rates.length / 2)]!)
}

export const printFigures = (title: string, figures: Figures): void => {
  console.log(`\n${title}`)
  const width = Math.max(...Object.keys(figures).map((k) => k.length))
  for (const [name, f] of Object.entries(figures)) {
    console.log(`  ${name.padEnd(width)}  ${f.value.toLocaleString('en-US').padStart(14)} ${f.unit}`)
  }
}
