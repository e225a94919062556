/** Input from the outside decoded at the entrance: a typed error naming the field, before anything is read or written. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { DomainError } from './domain-error.js'
import { decodeIssues, describeIssues, type DecodeIssue } from './event-catalog.js'
import { Instant } from './instant.js'

// model

/** Input that does not decode: an unknown command type, a field of the wrong type or out of range, text too long. */
export interface InvalidInput extends DomainError<'InvalidInput'> {
  /** What was being decoded: a command type (`ApproveChange`), or the name of the entrance (`report`). */
  readonly input: string
  /** The first field found wrong, as a dotted path (`changes.value`); empty for the input as a whole. */
  readonly field: string
  readonly issues: ReadonlyArray<DecodeIssue>
}

/** The longest text any field of a command may hold, in characters (UTF-16 code units). Subjects and titles have their own, shorter limits. */
export const maxTextLength = 10_000

/** The longest window any clock rule or limit in a command may set: a year of minutes (366 days). */
export const maxWindowMinutes = 527_040

/** Instants and dates a command may name: from 2000 up to, not including, 2100. A deadline in the year 9999 is not a deadline. */
export const instantRange = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' } as const

// codecs

/** An instant within `instantRange`: what a report's as-of instant may be. */
export const BoundedInstant = t.refinement(Instant, (i) => i >= instantRange.from && i < instantRange.to, 'BoundedInstant')

// constructors

/** Builds the `InvalidInput` error for a decode failure, naming the first field that was wrong. */
export const invalidInput = (input: string, issues: ReadonlyArray<DecodeIssue>): InvalidInput => ({
  _tag: 'InvalidInput',
  message: `${input}: ${describeIssues(issues)}`,
  input,
  field: issues[0]?.path ?? '',
  issues,
})

/** A string of at most `max` characters (and at least `min`). */
export const boundedText = (max: number, name: string, min = 0): t.Type<string, string, unknown> =>
  t.refinement(t.string, (s) => s.length >= min && s.length <= max, name) as unknown as t.Type<string, string, unknown>

const omitFrom = (codec: t.Mixed, keys: ReadonlySet<string>): t.Mixed => {
  if (codec instanceof t.ReadonlyType) return t.readonly(omitFrom(codec.type as t.Mixed, keys), codec.name)
  if (codec instanceof t.IntersectionType) {
    return t.intersection((codec.types as t.Mixed[]).map((c) => omitFrom(c, keys)) as unknown as [t.Mixed, t.Mixed], codec.name)
  }
  if (codec instanceof t.UnionType) return t.union((codec.types as t.Mixed[]).map((c) => omitFrom(c, keys)) as unknown as [t.Mixed, t.Mixed], codec.name)
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    const props = Object.fromEntries(Object.entries(codec.props as t.Props).filter(([k]) => !keys.has(k)))
    return codec instanceof t.InterfaceType ? t.type(props, codec.name) : t.partial(props, codec.name)
  }
  return codec
}

/**
 * The codec of a request as the outside world gives it, made from the command's own codec: the
 * fields the application fills in (`terms`, say) left out, the fields it needs to find them added.
 */
export const requestCodec = <A>(command: t.Type<A, unknown, unknown>, omit: ReadonlyArray<string>, add: t.Props): t.Mixed =>
  t.intersection([omitFrom(command as unknown as t.Mixed, new Set(omit)), t.type(add)], command.name)

/** The `type` literals of a union of command codecs, each with its member codec. */
const membersByType = (codec: t.Mixed): ReadonlyMap<string, t.Mixed> => {
  const out = new Map<string, t.Mixed>()
  const literalOf = (c: t.Mixed): string | undefined => {
    if (c instanceof t.ReadonlyType) return literalOf(c.type as t.Mixed)
    if (c instanceof t.IntersectionType) {
      for (const m of c.types as t.Mixed[]) {
        const l = literalOf(m)
        if (l !== undefined) return l
      }
      return undefined
    }
    if (c instanceof t.InterfaceType) {
      const type = (c.props as t.Props)['type']
      return type instanceof t.LiteralType && typeof type.value === 'string' ? type.value : undefined
    }
    return undefined
  }
  const add = (c: t.Mixed): void => {
    if (c instanceof t.UnionType) for (const m of c.types as t.Mixed[]) add(m)
    else {
      const l = literalOf(c)
      if (l !== undefined) out.set(l, c)
    }
  }
  add(codec)
  return out
}

/** Paths of strings longer than the limit, anywhere in a plain value. Guards against cycles and depth. */
const overlongText = (value: unknown, limit: number): ReadonlyArray<DecodeIssue> => {
  const out: DecodeIssue[] = []
  const walk = (v: unknown, path: string[], depth: number): void => {
    if (out.length > 0 || depth > 32) return
    if (typeof v === 'string') {
      if (v.length > limit) out.push({ path: path.join('.'), message: `text of ${v.length} characters is longer than ${limit}` })
      return
    }
    if (typeof v !== 'object' || v === null) return
    for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1)
  }
  walk(value, [], 0)
  return out
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Numbers and instants no command may carry, though their codecs allow them: a window (`minutes`
 * of a clock rule, any `…Minutes` limit) that is not a whole number from 1 to `maxWindowMinutes`,
 * and an instant outside `instantRange`. Either would run a clock past what a date can hold.
 */
const outOfRange = (value: unknown): ReadonlyArray<DecodeIssue> => {
  const out: DecodeIssue[] = []
  const walk = (v: unknown, path: string[], depth: number): void => {
    if (out.length > 0 || depth > 32) return
    if (typeof v === 'string') {
      if ((INSTANT.test(v) || DATE.test(v)) && (v < instantRange.from.slice(0, v.length) || v >= instantRange.to.slice(0, v.length))) out.push({ path: path.join('.'), message: `${v} is outside ${instantRange.from.slice(0, 4)} to ${Number(instantRange.to.slice(0, 4)) - 1}` })
      return
    }
    if (typeof v !== 'object' || v === null) return
    const record = v as Record<string, unknown>
    for (const [k, x] of Object.entries(record)) {
      const window = (k === 'minutes' && 'measure' in record) || /Minutes$/.test(k)
      if (window && !(typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= maxWindowMinutes)) {
        out.push({ path: [...path, k].join('.'), message: `a window of ${String(x)} minutes is not a whole number from 1 to ${maxWindowMinutes}` })
        return
      }
      walk(x, [...path, k], depth + 1)
    }
  }
  walk(value, [], 0)
  return out
}

// operations

/** Decodes `value` with `codec`, or says which field is wrong. Never throws: a throwing getter or a cycle is bad input too. */
export const decodeInput = <A>(codec: t.Decoder<unknown, A>, value: unknown, input: string): E.Either<InvalidInput, A> => {
  try {
    const decoded = codec.decode(value)
    return E.isRight(decoded) ? E.right(decoded.right) : E.left(invalidInput(input, decodeIssues(decoded.left)))
  } catch (e) {
    return E.left(invalidInput(input, [{ path: '', message: `cannot be read: ${e instanceof Error ? e.message : String(e)}` }]))
  }
}

/** What a request leaves out of its command and adds to it: the application fills in the first from the second. */
export interface RequestShape {
  readonly omit: ReadonlyArray<string>
  readonly add: t.Props
}

const describe = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v)
  if (v === null) return 'null'
  return Array.isArray(v) ? 'an array' : typeof v
}

/**
 * A decoder for a union of commands told apart by `type`: an unknown or missing type is refused
 * as such (field `type`), a known one is decoded by its own codec (less `shape.omit`, plus
 * `shape.add`), so the issues name its fields. No string anywhere in the command may be longer
 * than `maxTextLength`.
 */
export const commandDecoder = <A>(union: t.Mixed, name: string, shape: RequestShape = { omit: [], add: {} }) => {
  const members = new Map([...membersByType(union)].map(([type, codec]) => [type, shape.omit.length === 0 && Object.keys(shape.add).length === 0 ? codec : requestCodec(codec, shape.omit, shape.add)]))
  const known = [...members.keys()]
  return (value: unknown): E.Either<InvalidInput, A> => {
    try {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return E.left(invalidInput(name, [{ path: '', message: `expected a command object, got ${describe(value)}` }]))
      }
      const type = (value as { readonly type?: unknown }).type
      const member = typeof type === 'string' ? members.get(type) : undefined
      if (member === undefined || typeof type !== 'string') {
        return E.left(invalidInput(name, [{ path: 'type', message: `unknown command type ${describe(type)}; expected one of ${known.join(', ')}` }]))
      }
      const long = overlongText(value, maxTextLength)
      if (long.length > 0) return E.left(invalidInput(type, long))
      const decoded = decodeInput(member as unknown as t.Decoder<unknown, A>, value, type)
      if (E.isLeft(decoded)) return decoded
      const range = outOfRange(decoded.right)
      return range.length > 0 ? E.left(invalidInput(type, range)) : decoded
    } catch (e) {
      return E.left(invalidInput(name, [{ path: '', message: `cannot be read: ${e instanceof Error ? e.message : String(e)}` }]))
    }
  }
}
