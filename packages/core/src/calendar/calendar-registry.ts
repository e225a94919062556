/** The registry of calendar definitions: resolves the version in force at an instant, layering user calendars on their base. */
import * as E from 'fp-ts/lib/Either.js'
import type { Instant } from '../kernel/instant.js'
import type { CalendarRegistry } from './business-calendar.js'
import { compileBusinessCalendar, type CompiledBusinessCalendar, type ResolvedCalendarVersion } from './business-time.js'
import {
  DEFAULT_TIME_ZONE,
  validateCalendarDefinition,
  type CalendarDay,
  type CalendarDefinition,
  type CalendarDefinitionInvalid,
  type CalendarVersion,
  type WeeklyHours,
} from './calendar-definition.js'
import { assertTimeZoneData, type OffsetAt } from './time-zone-data.js'

// model

/** A registry that also lists its calendars and hands out compiled versions with their extras. */
export interface BusinessCalendarRegistry extends CalendarRegistry {
  /**
   * The compiled version of a calendar in force at an instant; undefined for an unknown id or before its first
   * version.
   */
  readonly calendarAt: (calendarId: string, at: Instant) => CompiledBusinessCalendar | undefined
  readonly definitions: ReadonlyMap<string, CalendarDefinition>
}

/** Options of `createCalendarRegistry`; the defaults suit every application. */
export interface CalendarRegistryOptions {
  /** Offsets used by the time-zone data check; defaults to this runtime's. Tests inject stale data here. */
  readonly offsetAt?: OffsetAt
}

// constructors

/**
 * Builds a registry from definitions (shipped ones and the user's, in any order). Refuses
 * invalid definitions, duplicate ids, unknown or cyclic bases with `CalendarDefinitionInvalid`.
 * Throws `TimeZoneDataOutdated` when the runtime's zone data is too old to count in Asia/Almaty.
 */
export const createCalendarRegistry = (
  definitions: ReadonlyArray<CalendarDefinition>,
  options: CalendarRegistryOptions = {},
): E.Either<CalendarDefinitionInvalid, BusinessCalendarRegistry> => {
  assertTimeZoneData(options.offsetAt)
  const byId = new Map<string, CalendarDefinition>()
  for (const definition of definitions) {
    const checked = validateCalendarDefinition(definition)
    if (E.isLeft(checked)) return checked
    if (byId.has(definition.id)) return E.left(invalid(definition.id, [`id ${definition.id} is defined twice`]))
    byId.set(definition.id, definition)
  }
  for (const definition of definitions) {
    const chain = new Set<string>([definition.id])
    for (let base = definition.basedOn; base !== undefined; base = byId.get(base)?.basedOn) {
      if (!byId.has(base)) return E.left(invalid(definition.id, [`basedOn: no calendar ${base} in the registry`]))
      if (chain.has(base)) return E.left(invalid(definition.id, [`basedOn: calendars ${[...chain].join(' -> ')} -> ${base} form a cycle`]))
      chain.add(base)
    }
  }

  const compiled = new Map<string, CompiledBusinessCalendar>()

  const calendarAt = (calendarId: string, at: Instant): CompiledBusinessCalendar | undefined => {
    const layers = layersAt(byId, calendarId, at)
    if (layers === undefined) return undefined
    const key = `${calendarId}@${layers.map((l) => l.effectiveFrom).join('|')}`
    const known = compiled.get(key)
    if (known !== undefined) return known
    const calendar = compileBusinessCalendar(merge(calendarId, layers))
    compiled.set(key, calendar)
    return calendar
  }

  return E.right({ calendarAt, definitions: byId })
}

// operations

/** The version in force at `at`: the last one whose `effectiveFrom` is not after it. */
export const versionAt = (definition: CalendarDefinition, at: Instant): CalendarVersion | undefined => {
  let found: CalendarVersion | undefined
  for (const version of definition.versions) {
    if (version.effectiveFrom <= at) found = version
    else break
  }
  return found
}

/** The versions in force at `at` from the root calendar up to `calendarId`; undefined if any layer has none yet. */
const layersAt = (
  byId: ReadonlyMap<string, CalendarDefinition>,
  calendarId: string,
  at: Instant,
): ReadonlyArray<CalendarVersion> | undefined => {
  const layers: Array<CalendarVersion> = []
  for (let id: string | undefined = calendarId; id !== undefined; ) {
    const definition = byId.get(id)
    if (definition === undefined) return undefined
    const version = versionAt(definition, at)
    if (version === undefined) return undefined
    layers.unshift(version)
    id = definition.basedOn
  }
  return layers
}

const merge = (id: string, layers: ReadonlyArray<CalendarVersion>): ResolvedCalendarVersion => {
  let timeZone = DEFAULT_TIME_ZONE
  let weeklyHours: WeeklyHours | undefined
  let effectiveFrom = layers[0]?.effectiveFrom
  const days = new Map<string, CalendarDay>()
  for (const layer of layers) {
    if (layer.timeZone !== undefined) timeZone = layer.timeZone
    if (layer.weeklyHours !== undefined) weeklyHours = layer.weeklyHours
    if (effectiveFrom === undefined || layer.effectiveFrom > effectiveFrom) effectiveFrom = layer.effectiveFrom
    for (const day of layer.days) days.set(day.date, day)
  }
  // Validation guarantees a root layer with weekly hours and at least one layer.
  if (weeklyHours === undefined || effectiveFrom === undefined) throw new Error(`Calendar ${id} resolved without weekly hours`)
  return { id, effectiveFrom, timeZone, weeklyHours, days }
}

const invalid = (calendarId: string, issues: ReadonlyArray<string>): CalendarDefinitionInvalid => ({
  _tag: 'CalendarDefinitionInvalid',
  calendarId,
  issues,
  message: `Calendar ${calendarId} is invalid: ${issues.join('; ')}`,
})
