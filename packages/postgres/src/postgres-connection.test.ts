// The LISTEN connection's bookkeeping against a pool whose clients die in the orders a real server
// produces them; the real server's side is in postgres-connection.int.test.ts and postgres-connection-loss.int.test.ts.
import { EventEmitter } from 'node:events'
import type { Pool } from 'pg'
import { describe, expect, it } from 'vitest'
import { postgresDatabase } from './postgres-connection.js'

interface FakeClient extends EventEmitter {
  readonly n: number
  readonly queries: string[]
  releases: Array<boolean | undefined>
  /** When set, the next query's reply and the connection's end arrive in one read. */
  dieWithNextReply: boolean
}

/** A pool of clients that record their queries and releases; pg-pool's own throw on a second release is kept. */
const fakePool = () => {
  const clients: FakeClient[] = []
  let nextDies = false
  const pool = Object.assign(new EventEmitter(), {
    connect: async () => {
      const c = Object.assign(new EventEmitter(), { n: clients.length, queries: [] as string[], releases: [] as Array<boolean | undefined>, dieWithNextReply: nextDies }) as FakeClient
      nextDies = false
      Object.assign(c, {
        query: (text: string) => {
          c.queries.push(text)
          const reply = Promise.resolve({ rows: [] })
          if (c.dieWithNextReply) {
            // pg settles the query's promise, then emits 'error' in the same tick: the caller's
            // continuation runs after the error was seen.
            c.emit('error', new Error('terminating connection due to administrator command'))
            c.emit('error', new Error('Connection terminated unexpectedly'))
          }
          return reply
        },
        release: (destroy?: boolean) => {
          if (c.releases.length > 0) throw new Error('Release called on client which has already been released to the pool.')
          c.releases.push(destroy)
        },
      })
      clients.push(c)
      return c
    },
    query: async () => ({ rows: [] }),
    end: async () => undefined,
  })
  /** The next client handed out dies as its first query completes. */
  const nextClientDies = () => {
    nextDies = true
  }
  return { pool: pool as unknown as Pool, clients, nextClientDies }
}

const settle = () => new Promise((r) => setTimeout(r, 20))

describe('the LISTEN connection of postgresDatabase', () => {
  it('given the server ends it with two errors, it is released once, destroyed, and a new one listens on every channel and wakes every listener', async () => {
    const { pool, clients } = fakePool()
    const database = postgresDatabase(pool)
    const woken: Array<string | undefined> = []
    await database.listen!('a', (p) => woken.push(`a:${p}`))
    await database.listen!('b', (p) => woken.push(`b:${p}`))
    const first = clients[0]!
    first.emit('error', new Error('terminating connection due to administrator command'))
    first.emit('error', new Error('Connection terminated unexpectedly'))
    await settle()
    expect(first.releases).toEqual([true])
    const second = clients[1]!
    expect(second.queries).toEqual(['LISTEN "a"', 'LISTEN "b"'])
    expect(woken).toEqual(['a:undefined', 'b:undefined'])
    second.emit('notification', { channel: 'b', payload: '7' })
    expect(woken.at(-1)).toBe('b:7')
    await database.close()
    expect(second.releases).toEqual([true])
  })

  it('given the LISTEN reply and the termination in one read, the dead connection is not kept: another one listens', async () => {
    const { pool, clients, nextClientDies } = fakePool()
    const database = postgresDatabase(pool)
    await database.listen!('a', () => undefined)
    nextClientDies()
    clients[0]!.emit('error', new Error('terminating connection due to administrator command'))
    await new Promise((r) => setTimeout(r, 300))
    expect(clients).toHaveLength(3)
    expect(clients[1]!.releases).toEqual([true])
    expect(clients[2]!.queries).toEqual(['LISTEN "a"'])
    expect(clients[2]!.releases).toEqual([])
    await database.close()
    expect(clients[2]!.releases).toEqual([true])
  })

  it('given the last listener gone, the connection is destroyed rather than handed to the next borrower with its handlers', async () => {
    const { pool, clients } = fakePool()
    const database = postgresDatabase(pool)
    const stop = await database.listen!('a', () => undefined)
    await stop()
    expect(clients[0]!.queries).toEqual(['LISTEN "a"', 'UNLISTEN "a"'])
    expect(clients[0]!.releases).toEqual([true])
    await database.close()
    expect(clients[0]!.releases).toEqual([true])
  })
})
