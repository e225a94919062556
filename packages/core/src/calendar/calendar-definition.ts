/** Business calendars as data: weekly hours, holidays and transferred days, each with its legal source, versioned by effective date. */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { IANAZone } from 'luxon'
import { LocalDate } from '../contract/contract-terms.js'
import type { DomainError } from '../kernel/domain-error.js'
import { Instant } from '../kernel/instant.js'

// model

/** The zone a calendar counts in when its versions name none. */
export const DEFAULT_TIME_ZONE = 'Asia/Almaty'

/** The brand that marks a string as a checked `CalendarId`. */
export interface CalendarIdBrand {
  readonly CalendarId: unique symbol
}
/** A calendar's id, e.g. `kz-5day`: letters, digits, `.`, `_`, `-`, at most 64 characters. */
export const CalendarId = t.brand(
  t.string,
  (s): s is t.Branded<string, CalendarIdBrand> => /^[A-Za-z0-9._-]{1,64}$/.test(s),
  'CalendarId',
)
export type CalendarId = t.TypeOf<typeof CalendarId>

/** The brand that marks a string as a checked `LocalTime`. */
export interface LocalTimeBrand {
  readonly LocalTime: unique symbol
}
/** A wall-clock time `HH:mm` in the calendar's zone; `24:00` is allowed as the end of a day. */
export const LocalTime = t.brand(
  t.string,
  (s): s is t.Branded<string, LocalTimeBrand> => /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(s),
  'LocalTime',
)
export type LocalTime = t.TypeOf<typeof LocalTime>

/** A half-open span of wall-clock time `[start, end)` within one day. */
export const TimeRange = t.readonly(t.type({ start: LocalTime, end: LocalTime }), 'TimeRange')
export type TimeRange = t.TypeOf<typeof TimeRange>

/** One day's working hours: from `start` to `end`, less the `breaks` (lunch). */
export const WorkingHours = t.readonly(
  t.type({ start: LocalTime, end: LocalTime, breaks: t.readonlyArray(TimeRange) }),
  'WorkingHours',
)
export type WorkingHours = t.TypeOf<typeof WorkingHours>

/** A day of the week, by its English name in lower case. */
export const Weekday = t.keyof(
  { monday: null, tuesday: null, wednesday: null, thursday: null, friday: null, saturday: null, sunday: null },
  'Weekday',
)
export type Weekday = t.TypeOf<typeof Weekday>

/** ISO order: index 0 is Monday. */
export const WEEKDAYS: ReadonlyArray<Weekday> = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']

const DayHours = t.union([WorkingHours, t.null])

/** Working hours for each weekday; `null` is a weekly day off. */
export const WeeklyHours = t.readonly(
  t.type({
    monday: DayHours,
    tuesday: DayHours,
    wednesday: DayHours,
    thursday: DayHours,
    friday: DayHours,
    saturday: DayHours,
    sunday: DayHours,
  }),
  'WeeklyHours',
)
export type WeeklyHours = t.TypeOf<typeof WeeklyHours>

/** Where a rule comes from: the act's title, number and date, a link to its text, and what could not be confirmed. */
export const LegalSource = t.readonly(
  t.intersection([
    t.type({ title: t.string }),
    t.partial({ number: t.string, date: LocalDate, url: t.string, note: t.string }),
  ]),
  'LegalSource',
)
export type LegalSource = t.TypeOf<typeof LegalSource>

/** A public holiday that is a day off. Religious ones (`category: 'religious'`) are never moved when they fall on a day off. */
export const PublicHoliday = t.readonly(
  t.type({
    kind: t.literal('holiday'),
    date: LocalDate,
    name: t.string,
    category: t.keyof({ national: null, state: null, religious: null }),
    source: LegalSource,
  }),
  'PublicHoliday',
)
export type PublicHoliday = t.TypeOf<typeof PublicHoliday>

/** A day that would be worked made a day off: a holiday's day off moved here, a bridge, or a customer's own day off. */
export const TransferredDayOff = t.readonly(
  t.type({ kind: t.literal('dayOff'), date: LocalDate, reason: t.string, source: LegalSource }),
  'TransferredDayOff',
)
export type TransferredDayOff = t.TypeOf<typeof TransferredDayOff>

/** A day off (usually a Saturday) made a working day, worked with the hours of weekday `hoursOf`. */
export const TransferredWorkingDay = t.readonly(
  t.type({ kind: t.literal('workingDay'), date: LocalDate, hoursOf: Weekday, reason: t.string, source: LegalSource }),
  'TransferredWorkingDay',
)
export type TransferredWorkingDay = t.TypeOf<typeof TransferredWorkingDay>

/** A working day with its own hours (a shortened day, a customer's event). */
export const SpecialHours = t.readonly(
  t.type({ kind: t.literal('hours'), date: LocalDate, hours: WorkingHours, reason: t.string, source: LegalSource }),
  'SpecialHours',
)
export type SpecialHours = t.TypeOf<typeof SpecialHours>

/** A rule for one date that overrides the weekly hours. At most one per date in a version. */
export const CalendarDay = t.union([PublicHoliday, TransferredDayOff, TransferredWorkingDay, SpecialHours], 'CalendarDay')
export type CalendarDay = t.TypeOf<typeof CalendarDay>

/**
 * One version of a calendar, in force from `effectiveFrom` until the next version's. In a
 * calendar `basedOn` another, `weeklyHours` and `timeZone` default to the base's and `days`
 * override the base's entries date by date.
 */
export const CalendarVersion = t.readonly(
  t.intersection([
    t.type({ effectiveFrom: Instant, days: t.readonlyArray(CalendarDay) }),
    t.partial({ timeZone: t.string, weeklyHours: WeeklyHours, note: t.string }),
  ]),
  'CalendarVersion',
)
export type CalendarVersion = t.TypeOf<typeof CalendarVersion>

/** A calendar: its versions in order of `effectiveFrom`, optionally layered on a base calendar. */
export const CalendarDefinition = t.readonly(
  t.intersection([
    t.type({ id: CalendarId, name: t.string, versions: t.readonlyArray(CalendarVersion) }),
    t.partial({ basedOn: CalendarId }),
  ]),
  'CalendarDefinition',
)
export type CalendarDefinition = t.TypeOf<typeof CalendarDefinition>

/** A definition as plain data (JSON, or a literal in code): what `decodeCalendarDefinition` accepts. */
export type CalendarDefinitionInput = t.OutputOf<typeof CalendarDefinition>

/** A definition that does not make a usable calendar; `issues` names each problem and where it is. */
export interface CalendarDefinitionInvalid extends DomainError<'CalendarDefinitionInvalid'> {
  readonly calendarId: string
  readonly issues: ReadonlyArray<string>
}

// constructors

/**
 * Hours from `start` to `end` with the given breaks, e.g. `workingHours('09:00', '18:00', [['13:00', '14:00']])`.
 * For literals in code: a malformed time is a programming error and throws a RangeError.
 */
export const workingHours = (start: string, end: string, breaks: ReadonlyArray<readonly [string, string]> = []): WorkingHours => {
  const time = (s: string): LocalTime => {
    if (!LocalTime.is(s)) throw new RangeError(`workingHours: ${s} is not a HH:mm time`)
    return s
  }
  return { start: time(start), end: time(end), breaks: breaks.map(([s, e]) => ({ start: time(s), end: time(e) })) }
}

/** Monday to Friday with the same hours, Saturday and Sunday off. */
export const fiveDayWeek = (hours: WorkingHours): WeeklyHours => ({
  monday: hours,
  tuesday: hours,
  wednesday: hours,
  thursday: hours,
  friday: hours,
  saturday: null,
  sunday: null,
})

// operations

/** Minutes since midnight of a `HH:mm` time. */
export const minuteOfDay = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/** Working spans of a day in minutes since midnight, sorted: the hours less the breaks. */
export const workingSpans = (hours: WorkingHours): ReadonlyArray<readonly [number, number]> => {
  const spans: Array<readonly [number, number]> = []
  let from = minuteOfDay(hours.start)
  const end = minuteOfDay(hours.end)
  for (const b of [...hours.breaks].sort((x, y) => minuteOfDay(x.start) - minuteOfDay(y.start))) {
    const s = Math.min(minuteOfDay(b.start), end)
    if (s > from) spans.push([from, s])
    from = Math.max(from, minuteOfDay(b.end))
  }
  if (end > from) spans.push([from, end])
  return spans
}

const hoursIssues = (hours: WorkingHours, where: string): ReadonlyArray<string> => {
  const issues: Array<string> = []
  const start = minuteOfDay(hours.start)
  const end = minuteOfDay(hours.end)
  if (start >= end) issues.push(`${where}: start ${hours.start} is not before end ${hours.end}`)
  const breaks = [...hours.breaks].sort((x, y) => minuteOfDay(x.start) - minuteOfDay(y.start))
  let previousEnd = start
  for (const b of breaks) {
    const bs = minuteOfDay(b.start)
    const be = minuteOfDay(b.end)
    if (bs >= be) issues.push(`${where}: break ${b.start}-${b.end} is empty or reversed`)
    if (bs < previousEnd) issues.push(`${where}: break ${b.start}-${b.end} starts before the working day or overlaps another break`)
    if (be > end) issues.push(`${where}: break ${b.start}-${b.end} ends after the working day`)
    previousEnd = Math.max(previousEnd, be)
  }
  if (issues.length === 0 && workingSpans(hours).length === 0) issues.push(`${where}: breaks leave no working time`)
  return issues
}

const versionIssues = (version: CalendarVersion, index: number, layered: boolean): ReadonlyArray<string> => {
  const where = `versions.${index}`
  const issues: Array<string> = []
  if (version.timeZone !== undefined && !IANAZone.isValidZone(version.timeZone)) {
    issues.push(`${where}.timeZone: ${version.timeZone} is not a time zone this runtime knows`)
  }
  if (version.weeklyHours === undefined) {
    if (!layered) issues.push(`${where}.weeklyHours: required in a calendar not based on another`)
  } else {
    const week = version.weeklyHours
    for (const day of WEEKDAYS) {
      const hours = week[day]
      if (hours !== null) issues.push(...hoursIssues(hours, `${where}.weeklyHours.${day}`))
    }
    if (WEEKDAYS.every((day) => week[day] === null)) issues.push(`${where}.weeklyHours: no weekday has working hours`)
  }
  const seen = new Set<string>()
  version.days.forEach((day, i) => {
    if (seen.has(day.date)) issues.push(`${where}.days.${i}: a second entry for ${day.date}`)
    seen.add(day.date)
    if (day.kind === 'hours') issues.push(...hoursIssues(day.hours, `${where}.days.${i}.hours`))
  })
  return issues
}

/**
 * Checks what a codec cannot: versions in strictly increasing order, hours and breaks that make
 * sense, one entry per date, a known time zone. Base calendars are checked by the registry.
 */
export const validateCalendarDefinition = (definition: CalendarDefinition): E.Either<CalendarDefinitionInvalid, CalendarDefinition> => {
  const issues: Array<string> = []
  if (definition.versions.length === 0) issues.push('versions: at least one version is required')
  definition.versions.forEach((version, i) => {
    const previous = definition.versions[i - 1]
    if (previous !== undefined && previous.effectiveFrom >= version.effectiveFrom) {
      issues.push(`versions.${i}.effectiveFrom: ${version.effectiveFrom} is not after the previous version's ${previous.effectiveFrom}`)
    }
    issues.push(...versionIssues(version, i, definition.basedOn !== undefined))
  })
  return issues.length === 0
    ? E.right(definition)
    : E.left({
        _tag: 'CalendarDefinitionInvalid',
        calendarId: definition.id,
        issues,
        message: `Calendar ${definition.id} is invalid: ${issues.join('; ')}`,
      })
}

/** Decodes a definition from plain data (JSON, a database row, a `CalendarDefinitionInput` literal) and validates it. */
export const decodeCalendarDefinition = (input: unknown): E.Either<CalendarDefinitionInvalid, CalendarDefinition> => {
  const decoded = CalendarDefinition.decode(input)
  if (E.isRight(decoded)) return validateCalendarDefinition(decoded.right)
  const id = typeof input === 'object' && input !== null && 'id' in input ? String(input.id) : '?'
  const issues = decoded.left.map((error) => `${issuePath(error.context)}: ${error.message ?? `unexpected ${JSON.stringify(error.value)}`}`)
  return E.left({ _tag: 'CalendarDefinitionInvalid', calendarId: id, issues, message: `Calendar ${id} does not decode: ${issues.join('; ')}` })
}

/** The data path of a decode error, without the positions of union and intersection members (also inside `t.readonly`). */
const issuePath = (context: t.Context): string => {
  const structural = (type: t.Decoder<unknown, unknown> | undefined): boolean => {
    const inner = type instanceof t.ReadonlyType ? (type.type as unknown) : type
    return inner instanceof t.UnionType || inner instanceof t.IntersectionType
  }
  const keys = context.slice(1).filter((_entry, i) => !structural(context[i]?.type)).map((entry) => entry.key)
  return keys.length === 0 ? '(root)' : keys.join('.')
}
