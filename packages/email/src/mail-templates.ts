/**
 * Mail templates: one file per template and language (`<dir>/<locale>/<name>.mail`) with a subject line, a
 * text part and an HTML part. A user's directory overrides the shipped one file by file; the set is checked
 * when it is loaded, so a template missing a field or a language fails at start, not when the mail is due.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { mailLocales, type MailLocale } from './mail-locale.js'

// model

/** The fields each template must show, in its text and in its HTML part. */
export const templateFields = {
  'request-received': ['ticketRef', 'subject', 'receivedAt'],
  'deadline-proposed': ['ticketRef', 'deadline'],
  'deadline-agreed': ['ticketRef', 'deadline'],
  'deadline-rejected': ['ticketRef', 'deadline', 'reason'],
  'question-asked': ['ticketRef', 'question'],
  'clock-warning': ['subjectRef', 'obligation', 'dueAt', 'share'],
  'clock-breached': ['subjectRef', 'obligation', 'dueAt'],
  'on-site-demanded': ['incidentRef', 'site', 'arriveBy'],
  'engineer-arrived': ['incidentRef', 'engineer', 'arrivedAt'],
  'service-restored': ['incidentRef', 'restoredAt', 'note'],
  'failure-report-submitted': ['incidentRef', 'summary', 'revision'],
  'budget-warning': ['threshold', 'committed', 'cap'],
  'delivery-due': ['quarter', 'dueAt'],
  'delivery-late': ['quarter', 'dueAt'],
  'delivery-made': ['quarter', 'version', 'deliveredAt'],
} as const satisfies Record<string, ReadonlyArray<string>>

/** The name of a shipped mail template. */
export type TemplateName = keyof typeof templateFields
/** Every template name; a template set must give each in every language. */
export const templateNames = Object.keys(templateFields) as ReadonlyArray<TemplateName>

/** Fields every template may use but need not. */
export const commonFields = ['contractId', 'customerName', 'supplierName', 'recipientName'] as const

/** The values a template is filled with: already formatted for the reader's language. */
export type TemplateValues<N extends TemplateName> = Readonly<Record<(typeof templateFields)[N][number], string>> &
  Readonly<Record<(typeof commonFields)[number], string>>

/** A rendered mail: its subject and its text and HTML bodies. */
export interface RenderedMail {
  readonly subject: string
  readonly text: string
  readonly html: string
}

interface ParsedTemplate {
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** A checked set of templates, every name in every language. */
export interface MailTemplates {
  /** Renders a template in a language; text values are escaped in the HTML part. */
  readonly render: <N extends TemplateName>(name: N, locale: MailLocale, values: TemplateValues<N>) => RenderedMail
  /** Where each template was read from (a user's override or the shipped file). */
  readonly sources: ReadonlyMap<string, string>
}

/** One thing wrong with one template file. */
export interface TemplateInvalid {
  readonly _tag: 'TemplateInvalid'
  readonly message: string
  readonly template: TemplateName
  readonly locale: MailLocale
  readonly file: string | undefined
  readonly problem: 'missing-file' | 'missing-section' | 'missing-field' | 'unknown-field' | 'subject-line-break'
}

/** The set could not be loaded: every problem found, not only the first. */
export interface TemplatesInvalid {
  readonly _tag: 'TemplatesInvalid'
  readonly message: string
  readonly problems: ReadonlyArray<TemplateInvalid>
}

/** The templates shipped with the package. */
export const shippedTemplatesDirectory: string = fileURLToPath(new URL('../templates/', import.meta.url))

// constructors

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g

/** Splits a template file: `Subject: ...`, then `--- text`, then `--- html`. */
const parseTemplate = (source: string): ParsedTemplate | 'missing-section' => {
  const normalised = source.replace(/\r\n/g, '\n')
  const match = /^Subject:[ \t]*(.*)\n--- text\n([\s\S]*?)\n--- html\n([\s\S]*)$/.exec(normalised)
  if (match === null) return 'missing-section'
  return { subject: match[1]!.trim(), text: match[2]!.trim() + '\n', html: match[3]!.trim() }
}

const fieldsIn = (s: string): ReadonlySet<string> => new Set([...s.matchAll(PLACEHOLDER)].map((m) => m[1]!))

const problemsOf = (name: TemplateName, locale: MailLocale, file: string, parsed: ParsedTemplate): ReadonlyArray<TemplateInvalid> => {
  const problem = (kind: TemplateInvalid['problem'], message: string): TemplateInvalid => ({
    _tag: 'TemplateInvalid',
    message: `${file}: ${message}`,
    template: name,
    locale,
    file,
    problem: kind,
  })
  const known = new Set<string>([...templateFields[name], ...commonFields])
  const out: TemplateInvalid[] = []
  for (const [part, body] of [
    ['subject', parsed.subject],
    ['text', parsed.text],
    ['html', parsed.html],
  ] as const) {
    for (const field of fieldsIn(body)) if (!known.has(field)) out.push(problem('unknown-field', `the ${part} uses {{${field}}}, which ${name} does not have`))
  }
  for (const field of templateFields[name]) {
    if (!fieldsIn(parsed.text).has(field)) out.push(problem('missing-field', `the text part does not show {{${field}}}`))
    if (!fieldsIn(parsed.html).has(field)) out.push(problem('missing-field', `the HTML part does not show {{${field}}}`))
  }
  return out
}

const readIfPresent = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}

/**
 * Loads every template in every language, each from the first directory that has it (a user's directory
 * first, the shipped one last), and checks them all. Unreadable files other than missing ones reject.
 */
export const loadMailTemplates = async (
  directories: ReadonlyArray<string> = [shippedTemplatesDirectory],
): Promise<E.Either<TemplatesInvalid, MailTemplates>> => {
  const templates = new Map<string, ParsedTemplate>()
  const sources = new Map<string, string>()
  const problems: TemplateInvalid[] = []
  for (const locale of mailLocales) {
    for (const name of templateNames) {
      let found: { file: string; source: string } | undefined
      for (const directory of directories) {
        const file = join(directory, locale, `${name}.mail`)
        const source = await readIfPresent(file)
        if (source !== undefined) {
          found = { file, source }
          break
        }
      }
      if (found === undefined) {
        problems.push({ _tag: 'TemplateInvalid', message: `no ${locale}/${name}.mail in ${directories.join(', ')}`, template: name, locale, file: undefined, problem: 'missing-file' })
        continue
      }
      const parsed = parseTemplate(found.source)
      if (parsed === 'missing-section') {
        problems.push({
          _tag: 'TemplateInvalid',
          message: `${found.file}: expected "Subject: ..." on the first line, then "--- text" and "--- html" sections`,
          template: name,
          locale,
          file: found.file,
          problem: 'missing-section',
        })
        continue
      }
      problems.push(...problemsOf(name, locale, found.file, parsed))
      templates.set(`${locale}/${name}`, parsed)
      sources.set(`${locale}/${name}`, found.file)
    }
  }
  if (problems.length > 0) {
    return E.left({ _tag: 'TemplatesInvalid', message: `${problems.length} template problem(s): ${problems[0]!.message}`, problems })
  }
  return E.right(mailTemplatesOf(templates, sources))
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

const fill = (body: string, values: Readonly<Record<string, string>>, escape: (s: string) => string): string =>
  body.replace(PLACEHOLDER, (_, field: string) => escape(values[field] ?? ''))

const mailTemplatesOf = (templates: ReadonlyMap<string, ParsedTemplate>, sources: ReadonlyMap<string, string>): MailTemplates => ({
  sources,
  render: (name, locale, values) => {
    const template = templates.get(`${locale}/${name}`)!
    const record = values as Readonly<Record<string, string>>
    const html = fill(template.html, record, escapeHtml)
    return {
      // A value's line breaks stay in the subject on purpose: the header check refuses them with a typed error.
      subject: fill(template.subject, record, (s) => s),
      text: fill(template.text, record, (s) => s),
      html: `<!DOCTYPE html>\n<html lang="${locale}"><head><meta charset="utf-8"></head><body>\n${html}\n</body></html>\n`,
    }
  },
})
