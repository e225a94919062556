/** Assertions the testing helpers use: node:assert underneath, so they work under any test runner. */
import { AssertionError, deepStrictEqual } from 'node:assert/strict'

// Plain objects (also those without a prototype) compare without their undefined properties, as `toEqual` does.
const withoutUndefined = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutUndefined)
  if (value === null || typeof value !== 'object') return value
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]))
}

/** Throws an `AssertionError` unless `actual` deeply equals `expected` (undefined properties ignored). */
export const assertEqual = (actual: unknown, expected: unknown, message?: string): void =>
  deepStrictEqual(withoutUndefined(actual), withoutUndefined(expected), message)

const matches = (actual: unknown, expected: unknown): boolean => {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected)
  if (actual === null || typeof actual !== 'object') return false
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e))
  }
  return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v))
}

/** Throws an `AssertionError` unless every property named in `expected` matches `actual` (recursively), as `toMatchObject`. */
export const assertMatches = (actual: unknown, expected: object, message?: string): void => {
  if (!matches(actual, expected)) {
    throw new AssertionError({ message: message ?? 'the value does not match the expected properties', actual, expected, operator: 'matches' })
  }
}
