/** The languages mails are written in, and dates and money in each of them. */
import * as t from 'io-ts'

// model

/** Russian, Kazakh, English: the contract's languages. */
export const MailLocale = t.keyof({ ru: null, kk: null, en: null }, 'MailLocale')
export type MailLocale = t.TypeOf<typeof MailLocale>

/** Every language mails are written in. */
export const mailLocales: ReadonlyArray<MailLocale> = ['ru', 'kk', 'en']

// operations

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
const moneyFormats = new Map<string, Intl.NumberFormat>()

/** An instant as a reader in `timeZone` says it, with the zone's name so nobody has to guess. */
export const formatInstant = (instant: string, timeZone: string, locale: MailLocale): string => {
  const key = `${locale}|${timeZone}`
  let format = dateTimeFormats.get(key)
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23' })
    dateTimeFormats.set(key, format)
  }
  return `${format.format(new Date(instant))} (${timeZone})`
}

/** An amount in tiyn as tenge, in the locale's grouping and decimal sign: integer arithmetic up to the formatter. */
export const formatTiyn = (tiyn: number, locale: MailLocale): string => {
  let format = moneyFormats.get(locale)
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'KZT', minimumFractionDigits: 2, maximumFractionDigits: 2 })
    moneyFormats.set(locale, format)
  }
  // Tiyn are safe integers; split them so the division never rounds a large amount.
  const whole = Math.trunc(tiyn / 100)
  const cents = Math.abs(tiyn % 100)
  return format.format(Number(`${whole}.${String(cents).padStart(2, '0')}`))
}

const businessWindow: Readonly<Record<MailLocale, (minutes: number, start: string) => string>> = {
  en: (n, start) => `${n} business minutes from ${start}`,
  ru: (n, start) => `${n} мин рабочего времени с ${start}`,
  kk: (n, start) => `${start} бастап ${n} жұмыс минуты`,
}

/**
 * The end of a window: an instant for elapsed minutes; for business minutes, which only the contract's calendar
 * turns into an instant, the count and the start, so the mail never states a wrong time.
 */
export const formatWindow = (from: string, minutes: number, measure: 'elapsed' | 'business', timeZone: string, locale: MailLocale): string =>
  measure === 'elapsed'
    ? formatInstant(new Date(Date.parse(from) + minutes * 60_000).toISOString(), timeZone, locale)
    : businessWindow[locale](minutes, formatInstant(from, timeZone, locale))

/** Basis points as a percentage: 8000 → "80%" (ru "80 %"). */
export const formatBps = (bps: number, locale: MailLocale): string =>
  new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000)

/** The obligations a schedule mail names, as a reader says them; an unknown name is shown as it is. */
const obligationLabels: Readonly<Record<MailLocale, Readonly<Record<string, string>>>> = {
  en: {
    'deadline-proposal': 'deadline set within two hours',
    'agreed-deadline': 'fix by the agreed deadline',
    'on-site-arrival': 'on site within three hours',
    'failure-report': 'failure report',
    'quarterly-delivery': 'quarterly delivery',
  },
  ru: {
    'deadline-proposal': 'назначение срока в течение двух часов',
    'agreed-deadline': 'исправление в согласованный срок',
    'on-site-arrival': 'прибытие на место в течение трёх часов',
    'failure-report': 'отчёт о сбое',
    'quarterly-delivery': 'квартальная сдача',
  },
  kk: {
    'deadline-proposal': 'екі сағат ішінде мерзім белгілеу',
    'agreed-deadline': 'келісілген мерзімде түзету',
    'on-site-arrival': 'үш сағат ішінде орнына келу',
    'failure-report': 'іркіліс туралы есеп',
    'quarterly-delivery': 'тоқсандық тапсыру',
  },
}

/** An obligation's name as a mail says it in a language; an unknown name is returned as it is. */
export const obligationLabel = (obligation: string, locale: MailLocale): string => obligationLabels[locale][obligation] ?? obligation
