import type { ContractId } from '@support-ledger/core'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { decodeRedmineMapping, defaultRedmineMapping } from './redmine-mapping.js'

const base = defaultRedmineMapping([{ project: 'support', contractId: 'C-1' as ContractId }], [{ redmineUserId: 6, person: 'aigerim' }])

describe('redmine mapping', () => {
  it('accepts the default mapping as data, as a JSON file would give it', () => {
    expect(decodeRedmineMapping(JSON.parse(JSON.stringify(base)))).toEqual(E.right(base))
  })

  it.each([
    [{ ...base, priorities: { ...base.priorities, Low: 'lowest' } }, 'priorities'],
    [{ ...base, kinds: { byTracker: { Bug: 'bug' } } }, 'kinds.byTracker'],
    [{ ...base, customers: [{ redmineUserId: 0, person: 'aigerim' }] }, 'customers.redmineUserId'],
    [{ ...base, actions: { ...base.actions, acceptResult: { on: 'status' } } }, 'actions.acceptResult'],
    [{ ...base, externalKeyField: ' ' }, 'externalKeyField'],
    [{ ...base, projects: [...base.projects, ...base.projects] }, 'projects'],
    [{ ...base, projects: [] }, 'projects'],
  ])('refuses a malformed mapping and names the field (%#)', (input, field) => {
    const r = decodeRedmineMapping(input)
    expect(r).toMatchObject(E.left({ _tag: 'InvalidRedmineMapping' }))
    if (E.isLeft(r)) expect(r.left.field.startsWith(field)).toBe(true)
  })
})
