/** Codecs for the sets and maps a decider's state keeps, as JSON arrays: what a snapshot of that state is stored as. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'

// constructors

/** A set of values stored as a JSON array, in the set's order. */
export const readonlySetFromArray = <C extends t.Mixed>(item: C, name = `ReadonlySet<${item.name}>`): t.Type<ReadonlySet<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown> => {
  const array = t.array(item)
  return new t.Type<ReadonlySet<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown>(
    name,
    (u): u is ReadonlySet<t.TypeOf<C>> => u instanceof Set && [...(u as Set<unknown>)].every((v) => item.is(v)),
    (u, c) => E.map((values: Array<t.TypeOf<C>>) => new Set(values) as ReadonlySet<t.TypeOf<C>>)(array.validate(u, c)),
    (set) => [...set].map((v) => item.encode(v) as t.OutputOf<C>),
  )
}

/** A map stored as a JSON array of `[key, value]` pairs, in the map's order, so that keys keep their type and order. */
export const readonlyMapFromEntries = <K extends t.Mixed, V extends t.Mixed>(
  key: K,
  value: V,
  name = `ReadonlyMap<${key.name}, ${value.name}>`,
): t.Type<ReadonlyMap<t.TypeOf<K>, t.TypeOf<V>>, Array<[t.OutputOf<K>, t.OutputOf<V>]>, unknown> => {
  const entries = t.array(t.tuple([key, value]))
  return new t.Type<ReadonlyMap<t.TypeOf<K>, t.TypeOf<V>>, Array<[t.OutputOf<K>, t.OutputOf<V>]>, unknown>(
    name,
    (u): u is ReadonlyMap<t.TypeOf<K>, t.TypeOf<V>> => u instanceof Map && [...(u as Map<unknown, unknown>)].every(([k, v]) => key.is(k) && value.is(v)),
    (u, c) => E.map((pairs: Array<[t.TypeOf<K>, t.TypeOf<V>]>) => new Map(pairs) as ReadonlyMap<t.TypeOf<K>, t.TypeOf<V>>)(entries.validate(u, c)),
    (map) => [...map].map(([k, v]) => [key.encode(k), value.encode(v)] as [t.OutputOf<K>, t.OutputOf<V>]),
  )
}
