/**
 * Reading a configuration file strictly: an io-ts codec says what each key holds, and a walk over
 * the same codec says which keys are not in it. io-ts alone strips unknown keys silently, and a
 * misspelt key that is silently ignored is how a setting "does nothing".
 */
import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'

// model

/** The file is not a valid configuration: `path` is the dotted key at fault (`store.dataDir`), empty for the whole file. */
export interface ConfigInvalid {
  readonly _tag: 'ConfigInvalid'
  readonly path: string
  readonly message: string
}

// operations

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`)

// Secrets are read from the environment only, never from a file that may be committed or shared.
const SECRET = /(api[-_]?key|password|passwd|secret|token|database[-_]?url)/i

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** The keys an object codec allows, or undefined when the codec is not an object (records allow any key). */
const allowedKeys = (codec: t.Mixed): Set<string> | undefined => {
  if (codec instanceof t.ReadonlyType || codec instanceof t.ExactType || codec instanceof t.RefinementType) return allowedKeys(codec.type)
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return new Set(Object.keys(codec.props as object))
  if (codec instanceof t.IntersectionType) {
    const all = new Set<string>()
    for (const member of codec.types as ReadonlyArray<t.Mixed>) {
      const keys = allowedKeys(member)
      if (keys === undefined) return undefined
      for (const k of keys) all.add(k)
    }
    return all
  }
  return undefined
}

/** The codec of each allowed key. */
const propCodecs = (codec: t.Mixed): Map<string, t.Mixed> => {
  if (codec instanceof t.ReadonlyType || codec instanceof t.ExactType || codec instanceof t.RefinementType) return propCodecs(codec.type)
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return new Map(Object.entries(codec.props as Record<string, t.Mixed>))
  if (codec instanceof t.IntersectionType) return new Map((codec.types as ReadonlyArray<t.Mixed>).flatMap((m) => [...propCodecs(m)]))
  return new Map()
}

/** Every key of `value` (at any depth) that `codec` does not declare, as dotted paths. */
export const excessKeys = (codec: t.Mixed, value: unknown, path = ''): ReadonlyArray<string> => {
  if (codec instanceof t.ReadonlyType || codec instanceof t.ExactType || codec instanceof t.RefinementType) {
    const keys = allowedKeys(codec)
    if (keys === undefined) return excessKeys(codec.type, value, path)
  }
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) {
    return Array.isArray(value) ? value.flatMap((v, i) => excessKeys(codec.type as t.Mixed, v, join(path, i))) : []
  }
  if (codec instanceof t.DictionaryType) {
    return isRecord(value) ? Object.entries(value).flatMap(([k, v]) => excessKeys(codec.codomain as t.Mixed, v, join(path, k))) : []
  }
  if (codec instanceof t.UnionType) {
    // The member the value decodes as decides which keys belong.
    const member = (codec.types as ReadonlyArray<t.Mixed>).find((m) => E.isRight(m.decode(value)))
    return member === undefined ? [] : excessKeys(member, value, path)
  }
  const keys = allowedKeys(codec)
  if (keys === undefined || !isRecord(value)) return []
  const props = propCodecs(codec)
  return Object.entries(value).flatMap(([k, v]) => {
    if (!keys.has(k)) return [join(path, k)]
    const inner = props.get(k)
    return inner === undefined ? [] : excessKeys(inner, v, join(path, k))
  })
}

/** The dotted path of the first decoding error, and what was expected there. */
const firstError = (errors: t.Errors): ConfigInvalid => {
  const error = errors[0]
  if (error === undefined) return { _tag: 'ConfigInvalid', path: '', message: 'the configuration does not decode' }
  const keys = error.context.map((c) => c.key).filter((k) => k !== '' && !/^\d+$/.test(k))
  const path = keys.join('.')
  const expected = error.context[error.context.length - 1]?.type.name ?? 'a value'
  const got = error.value === undefined ? 'nothing' : JSON.stringify(error.value)
  return { _tag: 'ConfigInvalid', path, message: `${path === '' ? 'the file' : `key ${path}`}: expected ${expected}, got ${got}` }
}

/** Decodes `value` with `codec`, refusing any key the codec does not declare. */
export const decodeStrict = <C extends t.Mixed>(codec: C, value: unknown): E.Either<ConfigInvalid, t.TypeOf<C>> => {
  const extra = excessKeys(codec, value)
  const first = extra[0]
  if (first !== undefined) {
    const leaf = first.split('.').pop() ?? first
    const hint = SECRET.test(leaf) ? ' (secrets are read from the environment, never from the file: see the CLI reference)' : ''
    return E.left({ _tag: 'ConfigInvalid', path: first, message: `unknown key ${extra.join(', ')}${hint}` })
  }
  const decoded = codec.decode(value)
  return E.isLeft(decoded) ? E.left(firstError(decoded.left)) : E.right(decoded.right as t.TypeOf<C>)
}
