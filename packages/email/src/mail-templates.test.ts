import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { mailLocales } from './mail-locale.js'
import { loadMailTemplates, shippedTemplatesDirectory, templateNames } from './mail-templates.js'

const dirs: string[] = []
const scratch = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-templates-'))
  dirs.push(dir)
  return dir
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

describe('mail templates', () => {
  it('ships every template in Russian, Kazakh and English, and they pass the check', async () => {
    const loaded = await loadMailTemplates()
    expect(loaded).toMatchObject({ _tag: 'Right' })
    if (E.isLeft(loaded)) return
    expect(loaded.right.sources.size).toBe(templateNames.length * mailLocales.length)
  })

  it('takes a user file over the shipped one, template by template', async () => {
    const dir = await scratch()
    await cp(join(shippedTemplatesDirectory, 'en'), join(dir, 'en'), { recursive: true })
    await writeFile(
      join(dir, 'en', 'delivery-due.mail'),
      'Subject: Heads up: {{quarter}}\n--- text\nDue {{dueAt}} for {{quarter}}.\n--- html\n<b>{{quarter}}</b> due {{dueAt}}\n',
    )
    const loaded = await loadMailTemplates([dir, shippedTemplatesDirectory])
    if (E.isLeft(loaded)) throw new Error(loaded.left.message)
    expect(loaded.right.sources.get('en/delivery-due')).toBe(join(dir, 'en', 'delivery-due.mail'))
    expect(loaded.right.sources.get('ru/delivery-due')).toBe(join(shippedTemplatesDirectory, 'ru', 'delivery-due.mail'))
    const common = { contractId: 'C', customerName: 'c', supplierName: 's', recipientName: 'r' }
    const out = loaded.right.render('delivery-due', 'en', { ...common, quarter: '2026-Q1', dueAt: 'tomorrow <soon>' })
    expect(out.subject).toBe('Heads up: 2026-Q1')
    expect(out.html).toContain('<b>2026-Q1</b> due tomorrow &lt;soon&gt;')
  })

  it('refuses at load a template missing a field it must show, naming the file and the field', async () => {
    const dir = await scratch()
    await cp(join(shippedTemplatesDirectory, 'ru'), join(dir, 'ru'), { recursive: true })
    const file = join(dir, 'ru', 'request-received.mail')
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\{\{ticketRef\}\}/g, 'заявка'))
    const loaded = await loadMailTemplates([dir, shippedTemplatesDirectory])
    expect(E.isLeft(loaded)).toBe(true)
    if (E.isRight(loaded)) return
    const problems = loaded.left.problems.filter((p) => p.problem === 'missing-field')
    expect(problems.map((p) => [p.template, p.locale, p.file])).toEqual([
      ['request-received', 'ru', file],
      ['request-received', 'ru', file],
    ])
    expect(problems[0]!.message).toContain('{{ticketRef}}')
  })

  it('refuses at load a missing language and a field the template does not have', async () => {
    const dir = await scratch()
    for (const locale of mailLocales) await cp(join(shippedTemplatesDirectory, locale), join(dir, locale), { recursive: true })
    await unlink(join(dir, 'kk', 'engineer-arrived.mail'))
    await writeFile(
      join(dir, 'en', 'budget-warning.mail'),
      'Subject: {{threshold}} {{ticketRef}}\n--- text\n{{threshold}} {{committed}} {{cap}}\n--- html\n{{threshold}} {{committed}} {{cap}}\n',
    )
    const loaded = await loadMailTemplates([dir])
    if (E.isRight(loaded)) throw new Error('expected a refusal')
    expect(loaded.left.problems.map((p) => [p.problem, p.locale, p.template])).toEqual([
      ['missing-file', 'kk', 'engineer-arrived'],
      ['unknown-field', 'en', 'budget-warning'],
    ])
  })

  it('refuses a file without its sections', async () => {
    const dir = await scratch()
    for (const locale of mailLocales) await cp(join(shippedTemplatesDirectory, locale), join(dir, locale), { recursive: true })
    await writeFile(join(dir, 'en', 'delivery-late.mail'), 'Subject: late\nno sections here\n')
    const loaded = await loadMailTemplates([dir])
    if (E.isRight(loaded)) throw new Error('expected a refusal')
    expect(loaded.left.problems).toMatchObject([{ problem: 'missing-section', template: 'delivery-late', locale: 'en' }])
  })
})
