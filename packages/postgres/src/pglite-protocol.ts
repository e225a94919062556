/**
 * Named prepared statements on PGlite, through its wire protocol: `query` parses, describes and
 * plans every statement on every call, which for the append costs more than its work.
 */

// model

/** The part of PGlite the protocol path needs (`execProtocol` and `runExclusive` of PGlite 0.2 and later). */
export interface PGliteProtocol {
  /** Runs wire protocol messages; throws the server's error, if any. */
  execProtocol(message: Uint8Array): Promise<{ readonly messages: ReadonlyArray<unknown> }>
  /** Runs `fn` while no query or transaction of PGlite's own runs. */
  runExclusive<T>(fn: () => Promise<T>): Promise<T>
}

/** A statement's result rows, each field as the server's text (or null). */
export type TextRows = ReadonlyArray<ReadonlyArray<string | null>>

/** Runs a statement prepared under `name` once per PGlite instance; parameters are sent as text. */
export type RunPrepared = (name: string, text: string, values: ReadonlyArray<unknown>) => Promise<TextRows>

// constructors

/** Whether a PGlite client offers what the protocol path needs. */
export const speaksProtocol = (client: object): client is PGliteProtocol =>
  typeof (client as Partial<PGliteProtocol>).execProtocol === 'function' && typeof (client as Partial<PGliteProtocol>).runExclusive === 'function'

/**
 * Prepared statements on one PGlite instance. Each call runs under PGlite's own lock, so no
 * query of another caller falls between its messages. A statement the session lost (`DEALLOCATE`,
 * `DISCARD ALL`) is prepared again.
 */
export const preparedStatements = (pglite: PGliteProtocol): RunPrepared => {
  const prepared = new Set<string>()
  const execute = async (name: string, text: string, values: ReadonlyArray<unknown>): Promise<TextRows> => {
    if (!prepared.has(name)) {
      await pglite.execProtocol(concat([parseMessage(name, text), SYNC]))
      prepared.add(name)
    }
    const { messages } = await pglite.execProtocol(concat([bindMessage(name, values), EXECUTE, SYNC]))
    const rows: Array<ReadonlyArray<string | null>> = []
    for (const m of messages) {
      const row = m as { readonly name?: string; readonly fields?: ReadonlyArray<string | null> }
      if (row.name === 'dataRow' && row.fields !== undefined) rows.push(row.fields)
    }
    return rows
  }
  return (name, text, values) =>
    pglite.runExclusive(async () => {
      try {
        return await execute(name, text, values)
      } catch (e) {
        // 26000: the session no longer has the statement.
        if ((e as { code?: unknown } | null)?.code !== '26000') throw e
        prepared.delete(name)
        return await execute(name, text, values)
      }
    })
}

// operations

const encoder = new TextEncoder()

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** A message: its type byte, its length (itself included), its body. */
const message = (type: string, body: ReadonlyArray<Uint8Array>): Uint8Array => {
  const length = body.reduce((n, p) => n + p.length, 4)
  const head = new Uint8Array(5)
  head[0] = type.charCodeAt(0)
  new DataView(head.buffer).setInt32(1, length)
  return concat([head, ...body])
}

const cstring = (s: string): Uint8Array => encoder.encode(`${s}\0`)
const int16 = (n: number): Uint8Array => {
  const b = new Uint8Array(2)
  new DataView(b.buffer).setInt16(0, n)
  return b
}
const int32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setInt32(0, n)
  return b
}

/** Parse: the statement under its name, parameter types left to the server (the text casts them). */
const parseMessage = (name: string, text: string): Uint8Array => message('P', [cstring(name), cstring(text), int16(0)])

/** A parameter as PostgreSQL's text input reads it; bytes as `\x` and hex. */
const asText = (v: unknown): Uint8Array | null => {
  if (v === null || v === undefined) return null
  if (v instanceof Uint8Array) return encoder.encode(`\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`)
  return encoder.encode(typeof v === 'string' ? v : String(v))
}

/** Bind: the unnamed portal over the named statement, every parameter and result in text. */
const bindMessage = (name: string, values: ReadonlyArray<unknown>): Uint8Array => {
  const params: Uint8Array[] = []
  for (const v of values) {
    const t = asText(v)
    if (t === null) params.push(int32(-1))
    else params.push(int32(t.length), t)
  }
  return message('B', [cstring(''), cstring(name), int16(0), int16(values.length), ...params, int16(0)])
}

const EXECUTE = message('E', [cstring(''), int32(0)])
const SYNC = message('S', [])
