/** The languages mails are written in, and dates and money in each of them. */
import * as t from 'io-ts'

// model

/** Russian, Kazakh, English: the contract's languages. */
export const MailLocale = t.keyof({ ru: null, kk: null, en: null }, 'MailLocale')
export type MailLocale = t.TypeOf<typeof MailLocale>

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

export const obligationLabel = (obligation: string, locale: MailLocale): string => obligationLabels[locale][obligation] ?? obligation
