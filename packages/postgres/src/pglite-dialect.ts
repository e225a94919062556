/** A Kysely dialect for PGlite: PostgreSQL's SQL and introspection over PGlite's single connection. */
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import type { PGliteClient } from './pglite-connection.js'
import { preparedStatements, speaksProtocol, type RunPrepared } from './pglite-protocol.js'

// model

/**
 * PGlite's only connection. A transaction holds it from `acquireConnection` to `releaseConnection`,
 * so queries of another caller wait instead of running inside someone else's transaction.
 */
class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGliteClient) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(query.sql, query.parameters as unknown[], { rowMode: 'object' })
    return result.affectedRows === undefined ? { rows: result.rows } : { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) }
  }

  // PGlite has no cursor over its wire; the rows come at once and are handed over in chunks.
  async *streamQuery<R>(query: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query)
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) }
  }
}

/** A FIFO lock: one holder of the connection at a time. */
class ConnectionLock {
  private tail: Promise<void> = Promise.resolve()

  acquire(): Promise<() => void> {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const ready = this.tail.then(() => release)
    this.tail = this.tail.then(() => held)
    return ready
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection
  private releaseHeld: (() => void) | undefined

  constructor(
    pglite: PGliteClient,
    private readonly lock: ConnectionLock,
  ) {
    this.connection = new PGliteConnection(pglite)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.releaseHeld = await this.lock.acquire()
    return this.connection
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel === undefined ? '' : ` isolation level ${settings.isolationLevel}`
    const access = settings.accessMode === undefined ? '' : ` ${settings.accessMode}`
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}${access}`))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async releaseConnection(): Promise<void> {
    const release = this.releaseHeld
    this.releaseHeld = undefined
    release?.()
  }

  // The PGlite instance belongs to the caller, who closes it.
  async destroy(): Promise<void> {}
}

// constructors

/** A Kysely dialect over a PGlite instance the caller owns (and closes). */
export const pgliteDialect = (pglite: PGliteClient): Dialect => pgliteSession(pglite).dialect

/**
 * A dialect and a way to run one statement without Kysely, queued behind the same lock: the
 * statement never runs inside a transaction another caller holds. The append path uses `query`,
 * where Kysely's work per call is a measurable part of an append (docs/decisions/0116), and
 * `statement`, a named prepared statement, where PGlite offers its wire protocol (docs/decisions/0123).
 */
export const pgliteSession = (pglite: PGliteClient) => {
  const lock = new ConnectionLock()
  const dialect: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PGliteDriver(pglite, lock),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  }
  const query = async (text: string, values: ReadonlyArray<unknown>): Promise<ReadonlyArray<unknown>> => {
    const release = await lock.acquire()
    try {
      return (await pglite.query<unknown>(text, [...values], { rowMode: 'object' })).rows
    } finally {
      release()
    }
  }
  // Named statements where PGlite offers its wire protocol, queued behind the same lock.
  const protocol = speaksProtocol(pglite) ? preparedStatements(pglite) : undefined
  const statement: RunPrepared | undefined = protocol && (async (name, text, values) => {
    const release = await lock.acquire()
    try {
      return await protocol(name, text, values)
    } finally {
      release()
    }
  })
  return { dialect, query, statement }
}
