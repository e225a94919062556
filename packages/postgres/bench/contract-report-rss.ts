/**
 * One contract's report in a process of its own (contract-scale.bench.ts starts it): prints the events read, the time,
 * the process's CPU time during it (steadier than the time on a loaded machine) and the peak RSS as JSON. Run alone on a
 * kept schema (large-contract-load.ts) with BENCH_SCHEMA, BENCH_CONTRACT and BENCH_AS_OF.
 */
import { performance } from 'node:perf_hooks'
import { contractLedger, createCalendarRegistry, KAZAKHSTAN_CALENDAR, type Instant, type QuarterLabel } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { postgresDatabase } from '../src/postgres-connection.js'
import { createPostgresStorage, postgresEventStore } from '../src/postgres-event-store.js'

const MB = 1024
const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
if (E.isLeft(calendars)) throw new Error(calendars.left.message)
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 })
const storage = createPostgresStorage({ database: postgresDatabase(pool), schema: process.env.BENCH_SCHEMA!, notify: false })
let events = 0
const ledger = contractLedger({
  storeFor: (catalog) => {
    const store = postgresEventStore(catalog, storage)
    return {
      ...store,
      readContract: (contractId, options) => async () => {
        const page = await store.readContract(contractId, options)()
        if (E.isRight(page)) events += page.right.events.length
        return page
      },
    }
  },
  calendars: calendars.right,
})
const baselineMB = process.resourceUsage().maxRSS / MB
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const report = await ledger.report({ contractId: process.env.BENCH_CONTRACT!, asOf: process.env.BENCH_AS_OF as Instant, period: { kind: 'quarter', quarter: '2024-Q4' as QuarterLabel } })()
const ms = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
if (E.isLeft(report)) throw new Error(report.left.message)
await storage.close()
await pool.end()
console.log(JSON.stringify({ events, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), rssMB: Math.round(process.resourceUsage().maxRSS / MB), baselineMB: Math.round(baselineMB) }))
