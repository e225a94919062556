import { expect, it } from 'vitest'
import { ticketsDemo } from './tickets.js'

it('the tickets demo files a defect, agrees a deadline, refuses the wrong party and reports each clock', async () => {
  const lines: string[] = []
  await ticketsDemo((l) => lines.push(l))
  expect(lines).toEqual([
    'tickets: at 11:10, deadline-proposal (clause 2) is warned: 50% of the window used, 50 min left',
    'tickets: at 11:10, agreed-deadline (clause 3) is pending: no deadline agreed yet',
    'tickets: deadline agreed at version 3: 2025-03-05T13:00:00.000Z',
    'tickets: a proposal from the customer is refused: WrongParty',
    'tickets: a priority change by someone the contract does not list is refused: PersonNotListed',
    'tickets: on Tuesday at 12:00, deadline-proposal is met at 2025-03-03T06:40:00.000Z (due 2025-03-03T07:00:00.000Z), proved by 3 event(s)',
    'tickets: on Tuesday at 12:00, agreed-deadline is pending: 1800 min left, due 2025-03-05T13:00:00.000Z, proved by 1 event(s)',
  ])
})
