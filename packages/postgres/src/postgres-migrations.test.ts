// The migrations list: each version applied once, in order; a version used twice would be skipped on every fresh schema.
import { describe, expect, it } from 'vitest'
import { migrations } from './postgres-migrations.js'

describe('migrations', () => {
  it('have strictly increasing versions from 1 with no gap', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1))
  })
})
