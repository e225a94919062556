/** The catalog of an aggregate's events: codecs as the single source of each type, versions and upcasters. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { DomainError } from './domain-error.js'
import { currentMetadata, type DomainEvent, type RecordedEvent, type StoredEvent } from './recorded-event.js'

// model

/** Lifts data stored at `fromVersion` to `fromVersion + 1`. The old shape is checked by its own codec first. */
export interface Upcaster {
  readonly fromVersion: number
  /** Checks stored data against the shape it had at `fromVersion`, before `upcast` runs. */
  readonly decode: (data: unknown) => t.Validation<unknown>
  /** Turns data of version `fromVersion` into data of the next version. */
  readonly upcast: (data: unknown) => unknown
}

/** One event type: its name, its current codec and schema version, and how older versions are upcast. */
export interface EventDefinition<K extends string = string, C extends t.Mixed = t.Mixed> {
  readonly type: K
  readonly codec: C
  readonly version: number
  readonly upcasters: ReadonlyArray<Upcaster>
}

/** The event (`{ type, data }`) that an event definition describes. */
export type EventOf<D> = D extends EventDefinition<infer K, infer C> ? { readonly type: K; readonly data: t.TypeOf<C> } : never

/** A decode failure's location and what was wrong there. */
export interface DecodeIssue {
  /** Dotted path into the event data, e.g. `priority` or `lines.0.amount`; empty for the data itself. */
  readonly path: string
  readonly message: string
}

/** A stored event that does not decode. Names the stream, version and path; never skipped silently. */
export interface EventDecodeFailed extends DomainError<'EventDecodeFailed'> {
  readonly streamId: string
  readonly streamVersion: number
  readonly globalPosition: number
  readonly type: string
  readonly schemaVersion: number
  readonly reason: 'unknown-type' | 'unknown-version' | 'invalid-data'
  readonly issues: ReadonlyArray<DecodeIssue>
}

/** An event offered for append that its own codec rejects. */
export interface InvalidEvent extends DomainError<'InvalidEvent'> {
  readonly streamId: string
  readonly index: number
  readonly type: string
  readonly issues: ReadonlyArray<DecodeIssue>
}

/** An event as it is stored: its type, the schema version it was written with, and its encoded data. */
export interface EncodedEvent {
  readonly type: string
  readonly schemaVersion: number
  readonly data: unknown
}

/**
 * The event types a store accepts, with the codecs that encode them for storage and decode them back (upcasting older
 * versions). Build one with `eventCatalog`.
 */
export interface EventCatalog<Ev extends DomainEvent> {
  readonly definitions: ReadonlyMap<string, EventDefinition>
  /** Codec for the whole event union: `{ type, data }`. */
  readonly codec: t.Type<Ev, unknown, unknown>
  /** Checks an event against its codec and encodes its data for storage. */
  readonly encode: (event: Ev, streamId: string, index: number) => E.Either<InvalidEvent, EncodedEvent>
  /** Decodes a stored event, upcasting older schema versions. */
  readonly decode: (stored: StoredEvent) => E.Either<EventDecodeFailed, RecordedEvent<Ev>>
}

// constructors

/** Declares an upcaster from `fromVersion`; `codec` describes the data as it was stored at that version. */
export const upcaster = <A>(fromVersion: number, codec: t.Decoder<unknown, A>, upcast: (old: A) => unknown): Upcaster => ({
  fromVersion,
  decode: (data) => codec.decode(data),
  upcast: (data) => upcast(data as A),
})

/** Declares an event type. `version` defaults to 1; each older version needs an upcaster. */
export const eventType = <K extends string, C extends t.Mixed>(
  type: K,
  codec: C,
  options: { readonly version?: number; readonly upcasters?: ReadonlyArray<Upcaster> } = {},
): EventDefinition<K, C> => {
  const version = options.version ?? 1
  const upcasters = [...(options.upcasters ?? [])].sort((a, b) => a.fromVersion - b.fromVersion)
  for (let v = 1; v < version; v++) {
    if (!upcasters.some((u) => u.fromVersion === v)) {
      throw new TypeError(`eventType ${type}: version ${version} needs an upcaster from version ${v}`)
    }
  }
  return { type, codec, version, upcasters }
}

/** Builds the catalog for a set of event definitions. Type names must be unique. */
export const eventCatalog = <const Ds extends ReadonlyArray<EventDefinition<string, t.Mixed>>>(
  definitions: Ds,
): EventCatalog<EventOf<Ds[number]>> => {
  type Ev = EventOf<Ds[number]>
  const byType = new Map<string, EventDefinition>()
  for (const d of definitions) {
    if (byType.has(d.type)) throw new TypeError(`eventCatalog: duplicate event type ${d.type}`)
    byType.set(d.type, d)
  }
  const members = definitions.map((d) => t.readonly(t.type({ type: t.literal(d.type), data: d.codec }), d.type))
  const codec = (
    members.length === 1
      ? members[0]
      : t.union(members as unknown as [t.Mixed, t.Mixed, ...t.Mixed[]])
  ) as unknown as t.Type<Ev, unknown, unknown>

  const encode: EventCatalog<Ev>['encode'] = (event, streamId, index) => {
    const d = byType.get(event.type)
    if (d === undefined) {
      return E.left({
        _tag: 'InvalidEvent',
        message: `event ${index} for stream ${streamId}: unknown event type ${String(event.type)}`,
        streamId, index, type: String(event.type), issues: [],
      })
    }
    const invalid = (issues: ReadonlyArray<DecodeIssue>) =>
      E.left<InvalidEvent>({
        _tag: 'InvalidEvent',
        message: `event ${index} (${d.type}) for stream ${streamId} is invalid: ${describeIssues(issues)}`,
        streamId, index, type: d.type, issues,
      })
    let data: unknown
    try {
      // A codec with a real encoder (a date to a string, say) may throw on data of the wrong shape.
      data = d.codec.encode(event.data)
    } catch (e) {
      return invalid([{ path: '', message: `cannot be encoded: ${e instanceof Error ? e.message : String(e)}` }])
    }
    // Decoding what was encoded proves the stored form reads back: the check every reader will make.
    const checked = d.codec.decode(data)
    if (E.isLeft(checked)) return invalid(decodeIssues(checked.left))
    return E.right({ type: d.type, schemaVersion: d.version, data })
  }

  // Per type, how its current data is checked on read: `is` where it proves that decode would
  // return the data unchanged (no context built, nothing copied), else the full decode.
  const checks = new Map<string, ((data: unknown) => boolean) | undefined>()
  for (const d of definitions) checks.set(d.type, decodesToItself(d.codec) ? d.codec.is : undefined)

  const decode: EventCatalog<Ev>['decode'] = (stored) => {
    const d = byType.get(stored.type)
    if (d === undefined) return decodeFailed(stored, 'unknown-type', [], `unknown event type ${stored.type}`)
    if (!Number.isInteger(stored.schemaVersion) || stored.schemaVersion < 1 || stored.schemaVersion > d.version) {
      return decodeFailed(stored, 'unknown-version', [], `schema version ${stored.schemaVersion} is not between 1 and ${d.version}`)
    }
    let data = stored.data
    for (let v = stored.schemaVersion; v < d.version; v++) {
      const u = d.upcasters.find((x) => x.fromVersion === v)
      if (u === undefined) return decodeFailed(stored, 'unknown-version', [], `no upcaster from version ${v}`)
      const old = u.decode(data)
      if (E.isLeft(old)) {
        const issues = decodeIssues(old.left)
        return decodeFailed(stored, 'invalid-data', issues, `data at version ${v} is invalid: ${describeIssues(issues)}`)
      }
      data = u.upcast(old.right)
    }
    const is = checks.get(d.type)
    if (is === undefined || !is(data)) {
      // The full decode: the value it gives, or the issues of data that does not fit.
      const decoded = d.codec.decode(data)
      if (E.isLeft(decoded)) {
        const issues = decodeIssues(decoded.left)
        return decodeFailed(stored, 'invalid-data', issues, `data is invalid: ${describeIssues(issues)}`)
      }
      data = decoded.right
    }
    return E.right({
      streamId: stored.streamId,
      streamVersion: stored.streamVersion,
      globalPosition: stored.globalPosition,
      eventId: stored.eventId,
      schemaVersion: d.version,
      metadata: currentMetadata(stored.metadata),
      type: d.type,
      data,
    } as unknown as RecordedEvent<Ev>)
  }

  return { definitions: byType, codec, encode, decode }
}

// operations

const decodeFailed = (
  stored: StoredEvent,
  reason: EventDecodeFailed['reason'],
  issues: ReadonlyArray<DecodeIssue>,
  why: string,
): E.Either<EventDecodeFailed, never> =>
  E.left({
    _tag: 'EventDecodeFailed',
    message: `stream ${stored.streamId} version ${stored.streamVersion} (${stored.type} v${stored.schemaVersion}): ${why}`,
    streamId: stored.streamId,
    streamVersion: stored.streamVersion,
    globalPosition: stored.globalPosition,
    type: stored.type,
    schemaVersion: stored.schemaVersion,
    reason,
    issues,
  })

// The io-ts combinators whose decode, on a value their `is` accepts, returns that value (or an
// equal copy, where a NaN, which JSON cannot carry, makes it think a field changed): they check
// and never convert or strip (exact and strict types strip unknown keys, tuples extra elements;
// records and recursive or hand-made types are not looked into).
const CHECKING_ONLY = new Set([
  'StringType', 'NumberType', 'BooleanType', 'BigIntType', 'NullType', 'UndefinedType', 'VoidType', 'UnknownType', 'AnyType',
  'LiteralType', 'KeyofType', 'AnyArrayType', 'AnyDictionaryType',
])

/** Whether `codec.is(u)` implies `codec.decode(u)` gives `u` back, so that `is` can stand in for decode on read. */
const decodesToItself = (codec: t.Decoder<unknown, unknown>): boolean => {
  const c = codec as t.Decoder<unknown, unknown> & {
    readonly _tag?: string
    readonly type?: t.Decoder<unknown, unknown>
    readonly types?: ReadonlyArray<t.Decoder<unknown, unknown>>
    readonly props?: Readonly<Record<string, t.Decoder<unknown, unknown>>>
  }
  switch (c._tag) {
    case 'ReadonlyType':
    case 'RefinementType':
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return c.type !== undefined && decodesToItself(c.type)
    case 'UnionType':
    case 'IntersectionType':
      return c.types !== undefined && c.types.every(decodesToItself)
    case 'InterfaceType':
    case 'PartialType':
      return c.props !== undefined && Object.values(c.props).every(decodesToItself)
    default:
      return c._tag !== undefined && CHECKING_ONLY.has(c._tag)
  }
}

/** Turns io-ts errors into paths relative to the decoded value, dropping union and intersection indices. */
export const decodeIssues = (errors: t.Errors): ReadonlyArray<DecodeIssue> => {
  const seen = new Set<string>()
  const out: DecodeIssue[] = []
  for (const e of errors) {
    const keys = e.context
      .slice(1)
      .filter((_c, i, all) => {
        let parent: t.Decoder<unknown, unknown> | undefined = all[i - 1]?.type ?? e.context[0]?.type
        // A readonly wrapper validates in its inner codec's context: look through it.
        while (parent instanceof t.ReadonlyType) parent = parent.type as t.Decoder<unknown, unknown>
        // Union and intersection members are indexed by position; they are not part of the data's path.
        return !(parent instanceof t.UnionType || parent instanceof t.IntersectionType)
      })
      .map((c) => c.key)
    const path = keys.join('.')
    const last = e.context[e.context.length - 1]
    const message =
      e.message ?? `expected ${last?.type.name ?? 'a value'}, got ${safeJson(e.value)}`
    const key = `${path}|${message}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push({ path, message })
    }
  }
  return out
}

/** Renders decode issues as one line, `path: message; ...`, for an error message. */
export const describeIssues = (issues: ReadonlyArray<DecodeIssue>): string =>
  issues.map((i) => `${i.path === '' ? '(root)' : i.path}: ${i.message}`).join('; ')

const safeJson = (v: unknown): string => {
  try {
    return v === undefined ? 'undefined' : JSON.stringify(v)
  } catch {
    return String(v)
  }
}
