import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { basisPointsOf } from './basis-points.js'
import { changeIdOf, contractIdOf, incidentIdOf, ticketIdOf } from './domain-ids.js'
import { localDateOf } from './local-date.js'
import { quarterLabelOf } from './quarter-label.js'

describe('value constructors', () => {
  it('accept a valid value unchanged', () => {
    expect(basisPointsOf(1500)).toEqual(E.right(1500))
    expect(localDateOf('2024-02-29')).toEqual(E.right('2024-02-29'))
    expect(quarterLabelOf('2026-Q4')).toEqual(E.right('2026-Q4'))
    for (const of of [contractIdOf, ticketIdOf, incidentIdOf, changeIdOf]) expect(of('x'.repeat(128))).toEqual(E.right('x'.repeat(128)))
  })

  it.each([
    [() => basisPointsOf(10_001), 'BasisPoints', 10_001, 'not between 0 and 10000'],
    [() => basisPointsOf(-1), 'BasisPoints', -1, 'not between 0 and 10000'],
    [() => basisPointsOf(12.5), 'BasisPoints', 12.5, 'not a whole number'],
    [() => localDateOf('2026-02-30'), 'LocalDate', '2026-02-30', 'not a calendar date'],
    [() => localDateOf('5.3.2026'), 'LocalDate', '5.3.2026', 'not in the form YYYY-MM-DD'],
    [() => quarterLabelOf('2026-Q5'), 'QuarterLabel', '2026-Q5', 'not in the form YYYY-Q1 to YYYY-Q4'],
    [() => contractIdOf(''), 'ContractId', '', 'empty'],
    [() => ticketIdOf('t'.repeat(129)), 'TicketId', 't'.repeat(129), 'longer than 128 characters'],
    [() => incidentIdOf(''), 'IncidentId', '', 'empty'],
    [() => changeIdOf(''), 'ChangeId', '', 'empty'],
  ] as const)('refuse a bad input with one error naming the kind, the input and the reason (%#)', (make, kind, input, reason) => {
    const r = make()
    expect(r).toEqual(E.left({ _tag: 'InvalidValue', kind, input, reason, message: `${kind}: ${JSON.stringify(input)} is not valid: ${reason}` }))
  })
})
