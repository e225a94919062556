// The code shown in docs/domain/business-calendars.md: it runs here, and the page may show only lines that stand in this file.
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { parseInstant, type Instant } from '../kernel/instant.js'
import { decodeCalendarDefinition, fiveDayWeek, workingHours } from './calendar-definition.js'
import { createCalendarRegistry } from './calendar-registry.js'
import { KAZAKHSTAN_CALENDAR } from './kazakhstan/kazakhstan-calendar.js'

const guide = (): { deadline: Instant | undefined; spent: number | undefined } => {
  // #region customer-calendar
  // A customer's calendar: Kazakhstan's days off, its own hours, one day off of its own.
  const acme = decodeCalendarDefinition({
    id: 'acme-support',
    name: 'ACME: Kazakhstan days off, agency hours',
    basedOn: 'kz-5day',
    versions: [
      {
        effectiveFrom: '2025-01-01T00:00:00.000Z',
        weeklyHours: fiveDayWeek(workingHours('08:30', '18:00', [['13:00', '14:30']])),
        days: [{ kind: 'dayOff', date: '2025-04-18', reason: 'ACME company day', source: { title: 'Contract No. 7, annex 2' } }],
      },
    ],
  })

  const registry = pipe(
    acme,
    E.chain((customer) => createCalendarRegistry([KAZAKHSTAN_CALENDAR, customer])),
  )
  // #endregion customer-calendar
  if (E.isLeft(registry)) throw new Error(registry.left.message)

  // A request received on Thursday 17 April 2025 at 17:30 in Almaty, due in two working days.
  // #region deadline
  const receivedAt = parseInstant('2025-04-17T17:30:00+05:00') as Instant
  const calendar = registry.right.calendarAt('acme-support', receivedAt)
  const deadline = calendar?.addBusinessMinutes(receivedAt, 2 * 8 * 60)
  // #endregion deadline
  const spent = deadline === undefined ? undefined : calendar?.businessMinutesBetween(receivedAt, deadline)
  return { deadline, spent }
}

describe('the business-calendars guide', () => {
  it('runs: 30 minutes on Thursday, Friday is the company day off, the rest by Tuesday 17:30', () => {
    const { deadline, spent } = guide()
    expect(deadline).toBe(parseInstant('2025-04-22T17:30:00+05:00'))
    expect(spent).toBe(960)
  })

  it('shows only lines that stand in this file', () => {
    const page = readFileSync(new URL('../../../../docs/domain/business-calendars.md', import.meta.url), 'utf8')
    const here = readFileSync(new URL(import.meta.url), 'utf8')
    const normalise = (line: string): string => line.trim().replace(/\s+/g, ' ')
    const known = new Set(here.split('\n').map(normalise))
    const shown = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? '').split('\n')).map(normalise)
    expect(shown.length).toBeGreaterThan(5)
    expect(shown.filter((l) => l !== '' && !l.startsWith('import ') && !l.startsWith('//') && !known.has(l))).toEqual([])
  })
})
