import { AssertionError } from 'node:assert'
import { describe, expect, it } from 'vitest'
import { assertEqual, assertMatches } from './assertions.js'

describe('assertEqual', () => {
  it('ignores undefined properties and prototypes of plain objects, as toEqual does', () => {
    expect(() => assertEqual({ a: 1, b: undefined }, Object.assign(Object.create(null), { a: 1 }))).not.toThrow()
  })
  it('fails on a different value, a missing element or a different Map', () => {
    expect(() => assertEqual({ a: 1 }, { a: 2 })).toThrow(AssertionError)
    expect(() => assertEqual([1, 2], [1])).toThrow(AssertionError)
    expect(() => assertEqual(new Map([['k', 1]]), new Map([['k', 2]]))).toThrow(AssertionError)
  })
})

describe('assertMatches', () => {
  it('passes when the named properties match, recursively', () => {
    expect(() => assertMatches({ _tag: 'CapExceeded', cap: { tiyn: 5 }, extra: 1 }, { _tag: 'CapExceeded', cap: { tiyn: 5 } })).not.toThrow()
  })
  it('fails on a different or missing property, and on arrays of another length', () => {
    expect(() => assertMatches({ _tag: 'A' }, { _tag: 'B' })).toThrow(AssertionError)
    expect(() => assertMatches({}, { _tag: 'A' })).toThrow(AssertionError)
    expect(() => assertMatches({ xs: [1, 2] }, { xs: [1] })).toThrow(AssertionError)
  })
})
