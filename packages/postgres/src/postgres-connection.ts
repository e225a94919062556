/** The database an event store runs on: a Kysely instance, how to listen for notifications, and which engine it is. */
import { Kysely, PostgresDialect } from 'kysely'
import type { Either } from 'fp-ts/lib/Either.js'
import type { Pool, PoolClient } from 'pg'

// model

/**
 * What the store needs from a database. Build one with `postgresDatabase` (a pg Pool) or
 * `pgliteDatabase` (an embedded PGlite); `kyselyDatabase` wraps any Kysely instance and then
 * relies on polling alone. The store never opens connections of its own beyond `listen`.
 */
export interface EventDatabase {
  /** Runs every query, including transactions handed to consumers. */
  readonly db: Kysely<unknown>
  /** `postgres` for a server reached over the network, `pglite` for the embedded engine. */
  readonly engine: 'postgres' | 'pglite'
  /**
   * Subscribes to a notification channel; the callback also runs (with no payload) after a
   * reconnect, since notifications sent meanwhile were lost. Absent: the store only polls.
   */
  readonly listen?: (channel: string, onNotify: (payload: string | undefined) => void) => Promise<() => Promise<void>>
  /**
   * Runs one statement on a pooled connection, prepared there once under `name` and executed by
   * name afterwards: no query building and no parse or plan per call. The append path uses it.
   * On PGlite, which has no named statements, the statement runs without Kysely, queued with
   * `db`'s queries. Absent (a Kysely behind a transaction-pooling proxy, where a prepared
   * statement may land on another server connection, or a transaction): statements go through `db`.
   */
  readonly prepared?: (name: string, text: string, values: ReadonlyArray<unknown>) => Promise<ReadonlyArray<unknown>>
  /** Releases what this wrapper opened (not the pool or PGlite instance it was given). */
  readonly close: () => Promise<void>
}

// constructors

/**
 * A database on a PostgreSQL server through a pg Pool the caller configured and owns. LISTEN
 * holds one pooled connection while anyone listens; behind a transaction-pooling proxy
 * (PgBouncer in transaction mode) LISTEN does not work: use `kyselyDatabase` and polling.
 */
export const postgresDatabase = (pool: Pool): EventDatabase => {
  // pg emits 'error' on a client the server disconnects (pg_terminate_backend, a restart,
  // idle_in_transaction_session_timeout), and an 'error' nobody listens to ends the process. The
  // pool listens while a client is idle; a client checked out for a transaction has no listener, so
  // each gets one here. The query or commit in flight then fails, the transaction rolls back, and
  // pg discards the client.
  const watched = new WeakSet<PoolClient>()
  const onClientError = () => undefined
  const onPoolError = () => undefined
  pool.on('error', onPoolError)
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: {
        connect: async () => {
          const client = await pool.connect()
          if (!watched.has(client)) {
            watched.add(client)
            client.on('error', onClientError)
          }
          return client
        },
        end: () => pool.end(),
      },
    }),
  })
  const listeners = new Map<string, Set<(payload: string | undefined) => void>>()
  // The LISTEN connection, with the one way to let it go. It is always destroyed, never handed back
  // to the pool: its handlers and LISTEN state would otherwise go on with the next borrower. pg emits
  // 'error' twice for one termination (the server's message, then the socket's end), and a second
  // release throws, so letting go is idempotent.
  interface Listening {
    readonly client: PoolClient
    /** The channels this connection has sent LISTEN for. */
    readonly channels: Set<string>
    readonly drop: () => void
    readonly dropped: () => boolean
  }
  let current: Listening | undefined
  let connecting: Promise<Listening> | undefined
  let closed = false

  const dispatch = (channel: string, payload: string | undefined) => {
    for (const l of listeners.get(channel) ?? []) l(payload)
  }

  const borrow = async (): Promise<Listening> => {
    const c = await pool.connect()
    let dropped = false
    const listening: Listening = {
      client: c,
      channels: new Set(),
      drop: () => {
        if (dropped) return
        dropped = true
        c.release(true)
      },
      dropped: () => dropped,
    }
    c.on('notification', (n) => dispatch(n.channel, n.payload))
    c.on('error', () => {
      listening.drop()
      // The connection broke: forget it, reconnect, and wake everyone, who may have missed a notification.
      if (current !== listening) return
      current = undefined
      if (!closed && listeners.size > 0) void connect().then(() => listeners.forEach((_, ch) => dispatch(ch, undefined)), () => undefined)
    })
    return listening
  }

  const connect = (): Promise<Listening> => {
    if (current) return Promise.resolve(current)
    connecting ??= (async () => {
      for (let delay = 100; ; delay = Math.min(delay * 2, 5_000)) {
        let listening: Listening | undefined
        try {
          listening = await borrow()
          for (const channel of listeners.keys()) {
            listening.channels.add(channel)
            await listening.client.query(`LISTEN "${channel}"`)
          }
          if (closed) throw new Error('the database wrapper was closed')
          // The LISTEN's reply and the server's termination can arrive in one read: the query
          // succeeds, then the 'error' (seen before this line runs) drops the connection.
          if (listening.dropped()) throw new Error('the LISTEN connection was lost')
          current = listening
          return listening
        } catch (e) {
          listening?.drop()
          if (closed) throw e
          await new Promise((r) => setTimeout(r, delay))
        }
      }
    })().finally(() => {
      connecting = undefined
    })
    return connecting
  }

  const letGo = () => {
    const listening = current
    current = undefined
    listening?.drop()
  }

  return {
    db,
    engine: 'postgres',
    prepared: async (name, text, values) => (await pool.query({ name, text, values: [...values] })).rows,
    listen: async (channel, onNotify) => {
      let set = listeners.get(channel)
      if (set === undefined) {
        set = new Set()
        listeners.set(channel, set)
      }
      set.add(onNotify)
      const listening = await connect()
      // A connection that breaks here is replaced, and its replacement listens on every channel.
      if (!listening.channels.has(channel)) {
        listening.channels.add(channel)
        await listening.client.query(`LISTEN "${channel}"`).catch(() => undefined)
      }
      return async () => {
        const remaining = listeners.get(channel)
        remaining?.delete(onNotify)
        if (remaining?.size === 0) {
          listeners.delete(channel)
          const listening = current
          if (listening?.channels.delete(channel)) await listening.client.query(`UNLISTEN "${channel}"`).catch(() => undefined)
        }
        if (listeners.size === 0) letGo()
      }
    },
    close: async () => {
      closed = true
      listeners.clear()
      letGo()
    },
  }
}

/**
 * Whether an error says the server or the network ended the connection (the statement, and its
 * transaction, did not complete): an administrator's or a timeout's termination, a restart, a
 * reset socket. Work that failed this way can be retried on a new connection.
 */
export const connectionLost = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null) return false
  const { code, message } = e as { code?: unknown; message?: unknown }
  if (typeof code === 'string') {
    // 08: connection exception; 57P01-57P05: terminated by an administrator, a crash, a shutdown
    // or a timeout; 25P03: idle_in_transaction_session_timeout.
    if (code.startsWith('08') || /^57P0[1-5]$/.test(code) || code === '25P03') return true
    if (code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE' || code === 'ETIMEDOUT') return true
  }
  return typeof message === 'string' && /Connection terminated|not queryable|connection error/i.test(message)
}

/**
 * A read that is tried again, after a short pause, when the server ended its connection: a read
 * changes nothing, so a retry on a fresh connection is safe. Other failures, and the last of
 * `delaysMs.length + 1` attempts, are returned as they are.
 */
export const retryWhenConnectionLost = <A extends ReadonlyArray<unknown>, L, R>(
  read: (...args: A) => () => Promise<Either<L, R>>,
  delaysMs: ReadonlyArray<number> = [100, 300, 900],
) => (...args: A) => async (): Promise<Either<L, R>> => {
  for (let attempt = 0; ; attempt++) {
    const result = await read(...args)()
    const delay = delaysMs[attempt]
    if (result._tag === 'Right' || delay === undefined || !connectionLost((result.left as { readonly cause?: unknown }).cause)) return result
    await new Promise((r) => setTimeout(r, delay))
  }
}

/**
 * Any Kysely instance (e.g. through a transaction-pooling proxy): no LISTEN, the store polls. A
 * Kysely transaction works too: a storage built on it appends inside that transaction, so the
 * caller's own rows and its events commit or roll back together (docs/decisions/0106).
 */
export const kyselyDatabase = (db: Kysely<unknown>, engine: EventDatabase['engine'] = 'postgres'): EventDatabase => ({
  db,
  engine,
  close: async () => undefined,
})
