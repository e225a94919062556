/** Deterministic formatting for documents and reports: no locale tables, no clocks, the same text on every machine. */
import { IANAZone } from 'luxon'
import type { Instant } from '../kernel/instant.js'

// model

/** A language the reports and documents are rendered in: Russian or English. */
export type Language = 'ru' | 'en'

/** The languages the compliance report is written in; failure reports and mails keep their own lists. */
export const reportLanguages = ['ru', 'kk', 'en'] as const
/** A language the compliance report is written in: `ru`, `kk` or `en`. */
export type ReportLanguage = (typeof reportLanguages)[number]

/** A no-break space: the thousands separator of money and the gap before `₸` and `%` (decision 0260). */
const NBSP = '\u00a0'

// operations

const htmlEntities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string => (/[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c) : text)

/** Escapes the characters Markdown would read as markup, so user text stays text. */
export const escapeMarkdown = (text: string): string => text.replace(/([\\`*_[\]<>|#])/g, '\\$1').replace(/\r?\n/g, ' ')

const zones = new Map<string, { readonly zone: IANAZone; readonly offsets: Map<number, number> }>()
const QUARTER_HOUR = 900_000
const two = (n: number): string => (n < 10 ? `0${n}` : String(n))

/** The local wall-clock time of an instant in a zone, as a `Date` read through its UTC fields. */
const localOf = (at: Instant, timeZone: string): Date => {
  let known = zones.get(timeZone)
  if (known === undefined) {
    known = { zone: IANAZone.create(timeZone), offsets: new Map() }
    zones.set(timeZone, known)
  }
  const ms = Date.parse(at)
  // Zone offsets change only at whole quarter hours of UTC (transitions fall on local hh:00 or hh:30 and
  // offsets are whole quarter hours), so one look-up per quarter hour is exact; the cache is bounded.
  const bucket = Math.floor(ms / QUARTER_HOUR)
  let offset = known.offsets.get(bucket)
  if (offset === undefined) {
    offset = known.zone.offset(ms)
    if (known.offsets.size > 200_000) known.offsets.clear()
    known.offsets.set(bucket, offset)
  }
  return new Date(ms + offset * 60_000)
}

/**
 * `2026-03-05 14:30` in the given zone: the contract's local time, which is what the parties read.
 * The zone's offset comes from the tz database; the digits are written by hand, a report has many of them.
 */
export const formatInstant = (at: Instant, timeZone: string): string => {
  const local = localOf(at, timeZone)
  return `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`
}

/** `15.04.2025`: the local date in the zone, day first, as the report shows it in every language. */
export const formatLocalDate = (at: Instant, timeZone: string): string => {
  const local = localOf(at, timeZone)
  return `${two(local.getUTCDate())}.${two(local.getUTCMonth() + 1)}.${local.getUTCFullYear()}`
}

/** `15.04.2025 10:30`: the local date and time in the zone; the page names the zone once. */
export const formatLocalDateTime = (at: Instant, timeZone: string): string => {
  const local = localOf(at, timeZone)
  return `${two(local.getUTCDate())}.${two(local.getUTCMonth() + 1)}.${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`
}

/**
 * A period `[from, to)` as the days it covers: `01.01.2025 – 31.03.2025`, the last day being the one
 * that holds the last instant before `to`, not the day `to` falls on.
 */
export const formatPeriodDays = (from: Instant, to: Instant, timeZone: string): string => {
  const last = Date.parse(to) - 1
  const end = new Date(Math.max(last, Date.parse(from))).toISOString() as Instant
  return `${formatLocalDate(from, timeZone)}\u00a0–\u00a0${formatLocalDate(end, timeZone)}`
}

/** The zone's offset from UTC at an instant, as `UTC+5`, `UTC-3:30` or `UTC`. */
export const formatUtcOffset = (at: Instant, timeZone: string): string => {
  const minutes = Math.round((localOf(at, timeZone).getTime() - Date.parse(at)) / 60_000)
  if (minutes === 0) return 'UTC'
  const abs = Math.abs(minutes)
  return `UTC${minutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${abs % 60 === 0 ? '' : `:${two(abs % 60)}`}`
}

/** Tiyn as tenge the way the report writes it in every language: `13 000 000,00 ₸`, no-break spaces, integer arithmetic. */
export const formatMoney = (tiyn: number): string => {
  const sign = tiyn < 0 ? '-' : ''
  const abs = Math.abs(Math.trunc(tiyn))
  const whole = Math.floor(abs / 100)
  return `${sign}${formatInteger(whole, 'ru')},${String(abs % 100).padStart(2, '0')}${NBSP}₸`
}

/** Basis points as the report writes a share in every language: `15,00 %`. */
export const formatShare = (bps: number): string => formatBps(bps, 'ru')

/** A count with its digits grouped by no-break spaces: `1 504`. */
export const formatCount = (n: number): string => formatInteger(n, 'ru')

/** Groups digits by three with a space (ru, a no-break space) or a comma (en). */
export const formatInteger = (n: number, language: Language): string => {
  const sign = n < 0 ? '-' : ''
  const digits = String(Math.abs(Math.trunc(n)))
  const groups: string[] = []
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end))
  return sign + groups.join(language === 'ru' ? '\u00a0' : ',')
}

/** Tiyn as tenge with two decimals: `1,234.50 KZT` or `1 234,50 ₸`. Integer arithmetic only. */
export const formatTiyn = (tiyn: number, language: Language): string => {
  const sign = tiyn < 0 ? '-' : ''
  const abs = Math.abs(tiyn)
  const whole = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  return language === 'ru' ? `${sign}${formatInteger(whole, 'ru')},${cents}\u00a0₸` : `${sign}${formatInteger(whole, 'en')}.${cents} KZT`
}

/** Basis points as a percentage with two decimals: `15.00%` or `15,00 %`. */
export const formatBps = (bps: number, language: Language): string => {
  const whole = Math.floor(Math.abs(bps) / 100)
  const frac = String(Math.abs(bps) % 100).padStart(2, '0')
  const sign = bps < 0 ? '-' : ''
  return language === 'ru' ? `${sign}${whole},${frac}\u00a0%` : `${sign}${whole}.${frac}%`
}

/** `part / whole` in basis points, rounded down; 0 when `whole` is 0. */
export const ratioBps = (part: number, whole: number): number =>
  whole <= 0 ? 0 : Number((BigInt(Math.trunc(part)) * 10_000n) / BigInt(Math.trunc(whole)))
