/// <reference lib="dom" />
// The compliance report opened in a real browser (Debian's Chromium through playwright-core): the pages
// `pnpm report` writes, and a generated year of a contract with its quarterly trend in Russian, Kazakh and
// English. Every page shows its headline and charts (bars to one scale), logs no console error, lets no
// text spill out of its box, and paginates when printed, a page per section. Screenshots go to out/report-browser/.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import {
  buildComplianceReport,
  createCalendarRegistry,
  KAZAKHSTAN_CALENDAR,
  renderReportHtml,
  reportLabels,
  reportLanguages,
  type ComplianceReport,
  type ReportPeriod,
} from '@support-ledger/core'
import { exampleLedger } from '@support-ledger/core/testing'
import { reportDemo } from './report-demo.js'

/** A generated year of a contract, its report in every language with the trend over its four quarters: written beside the demo's pages. */
const writeYearPages = async (dir: string): Promise<void> => {
  const calendars = createCalendarRegistry([KAZAKHSTAN_CALENDAR])
  if (E.isLeft(calendars)) throw new Error(calendars.left.message)
  const year = exampleLedger({ tickets: 60 })
  const build = (period: ReportPeriod): ComplianceReport => {
    const r = buildComplianceReport({ contractId: year.terms.contractId, events: year.events, asOf: year.asOf, period, calendars: calendars.right })
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }
  const quarters = ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'].map((quarter) => build({ kind: 'quarter', quarter }))
  const eventTypes = new Map(year.events.map((e) => [e.eventId, e.type]))
  const report = build({ kind: 'contract-to-date' })
  for (const language of reportLanguages) {
    await writeFile(join(dir, `compliance-report-year.${language}.html`), renderReportHtml(report, language, { quarters, eventTypes }), 'utf8')
  }
}

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p !== undefined && p !== '' && existsSync(p))
if (CHROMIUM === undefined) {
  if (process.env.CI === 'true') throw new Error('CI=true and no Chromium found (CHROMIUM_PATH, /usr/bin/chromium): the browser test must run on CI; .ci/run installs it')
  console.warn('Skipping the report browser test: no Chromium (install Debian\'s `chromium`, or set CHROMIUM_PATH).')
}

/** Where the screenshots go: a folder of the example's `out/`, named for this test. */
const SCREENSHOTS = resolve(fileURLToPath(new URL('../out/report-browser', import.meta.url)))

/**
 * A screenshot of the page's top, up to SHOT_HEIGHT px: the headline, the charts and the first sections.
 * The year's pages are over 30,000 px tall; a whole-page PNG of one is 7 to 9 MB, and on a slow CI
 * machine, beside every other package's tests, one took longer than Playwright's 30 s. The screenshots
 * are for people to look at (the assertions read the DOM, and the PDF holds every printed page), so they
 * stop at a height that shows the layout, with a wait that allows for a loaded machine.
 */
const SHOT_HEIGHT = 8_000
const screenshot = async (page: Page, path: string): Promise<void> => {
  const { width, height } = await page.evaluate(() => ({ width: document.documentElement.clientWidth, height: document.documentElement.scrollHeight }))
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, SHOT_HEIGHT) }, timeout: 120_000 })
}

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
const pdfPages = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0

/**
 * Runs in the page. Overflow: an element whose content is wider than its box unless the box scrolls or
 * clips on purpose, chart labels outside their chart, a page wider than the window.
 */
const overflowProbe = () => {
  const found: string[] = []
  const name = (e: Element) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? `.${e.className}` : ''}: ${(e.textContent ?? '').trim().slice(0, 60)}`
  for (const e of Array.from(document.body.querySelectorAll('*'))) {
    if (e instanceof SVGElement) continue
    const style = getComputedStyle(e)
    if (style.display === 'inline' || ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) continue
    if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) found.push(name(e))
  }
  for (const svg of Array.from(document.querySelectorAll('svg'))) {
    const box = svg.getBoundingClientRect()
    for (const t of Array.from(svg.querySelectorAll('text'))) {
      const r = t.getBoundingClientRect()
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) found.push(`svg text: ${t.textContent ?? ''}`)
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`)
  return found
}

describe.skipIf(CHROMIUM === undefined)('the compliance report in Chromium', () => {
  let dir = ''
  let browser: Browser
  let pages: ReadonlyArray<string> = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-browser-'))
    await reportDemo(dir, () => undefined)
    await writeYearPages(dir)
    pages = (await readdir(dir)).filter((f) => /^compliance-report-.*\.[a-z]{2}\.html$/.test(f)).sort()
    browser = await chromium.launch({ executablePath: CHROMIUM ?? '', args: ['--no-sandbox'] })
    await mkdir(SCREENSHOTS, { recursive: true })
    console.log(`report browser test: screenshots in ${SCREENSHOTS}`)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('the probes can fail: they find overflowing text and count a one-page print as one page', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } })
    await page.setContent('<div style="width:100px;white-space:nowrap">a line far too long to fit in one hundred pixels</div><svg width="50" height="20"><text x="0" y="15">a label wider than its chart</text></svg>')
    const found = await page.evaluate(overflowProbe)
    expect(found.some((f) => f.startsWith('div'))).toBe(true)
    expect(found.some((f) => f.startsWith('svg text'))).toBe(true)
    await page.setContent('<p>one short page</p>')
    expect(pdfPages(await page.pdf({ format: 'A4' }))).toBe(1)
    await page.close()
  })

  it('finds a page for each language the report is written in', () => {
    const languages = pages.map((f) => f.split('.').at(-2))
    expect(languages).toEqual(expect.arrayContaining(['en', 'ru', 'kk']))
    expect(pages.filter((f) => f.startsWith('compliance-report-year.'))).toHaveLength(3)
  })

  it('each page shows its title and charts, logs no error, and no text overflows its box', async () => {
    for (const file of pages) {
      const language = file.split('.').at(-2) ?? ''
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(pathToFileURL(join(dir, file)).href, { waitUntil: 'load' })

      expect(await page.getAttribute('html', 'lang'), file).toBe(language)
      const labels = reportLabels[language as keyof typeof reportLabels]
      expect((await page.locator('h1').first().innerText()).trim(), file).toBe(labels.title)
      // The headline comes first: overall compliance in the page's language, then the clause table and the breaches.
      const headline = page.locator('section.headline')
      expect(await headline.isVisible(), file).toBe(true)
      expect(await headline.locator('.total').innerText(), file).toMatch(new RegExp(`^${labels.overall}: \\d+,\\d\\d\\s%`))
      expect(await headline.locator('tbody tr').count(), file).toBe(13)
      expect(await headline.locator('h3').innerText(), file).toContain(labels.breachesHeading)
      // Bars to one scale: every bar's length over its count is the same, up to rounding and the 2 px floor.
      const bars = await page.locator(`svg[aria-label="${labels.chartObligations}"] rect[data-count]`).evaluateAll((rects) =>
        rects.map((r) => ({ count: Number(r.getAttribute('data-count')), width: r.getBoundingClientRect().width })),
      )
      const biggest = bars.reduce((a, b) => (b.count > a.count ? b : a), { count: 0, width: 0 })
      expect(biggest.count, file).toBeGreaterThan(0)
      for (const bar of bars) expect(Math.abs(bar.width - Math.max((bar.count * biggest.width) / biggest.count, 2 * (biggest.width / 380))), `${file} ${bar.count}`).toBeLessThan(2)
      if (file.startsWith('compliance-report-year.')) {
        const trend = page.locator(`svg[aria-label="${labels.chartTrend}"]`)
        expect(await trend.count(), file).toBe(1)
        expect(await trend.locator('rect[data-count]').count(), file).toBeGreaterThanOrEqual(4)
      }
      // Charts: drawn SVG with a visible size, each with marks in it.
      const charts = await page.locator('figure svg').evaluateAll((svgs) =>
        svgs.map((s) => ({ width: s.getBoundingClientRect().width, height: s.getBoundingClientRect().height, marks: s.querySelectorAll('rect, path, line, circle').length })),
      )
      expect(charts.length, file).toBeGreaterThanOrEqual(2)
      for (const c of charts) {
        expect(c.width * c.height, file).toBeGreaterThan(0)
        expect(c.marks, file).toBeGreaterThan(0)
      }

      // Overflow: no element's content is wider than its box unless the box scrolls or clips on purpose,
      // chart labels stay inside their chart, and the page itself never scrolls sideways.
      const overflowing = await page.evaluate(overflowProbe)
      expect(overflowing, file).toEqual([])
      expect(errors, file).toEqual([])
      await screenshot(page, join(SCREENSHOTS, `${file}.screen.png`))
      await page.close()
    }
  }, 600_000)

  it('each page paginates when printed (A4)', async () => {
    for (const file of pages) {
      const page = await browser.newPage()
      await page.goto(pathToFileURL(join(dir, file)).href, { waitUntil: 'load' })
      await page.emulateMedia({ media: 'print' })
      expect(await page.evaluate(() => matchMedia('print').matches), file).toBe(true)
      await screenshot(page, join(SCREENSHOTS, `${file}.print.png`))
      const pdf = await page.pdf({ format: 'A4', printBackground: true })
      await writeFile(join(SCREENSHOTS, `${file}.pdf`), pdf)
      // Each section starts a new page: at least as many pages as sections.
      const sections = await page.locator('section').count()
      expect(sections, file).toBeGreaterThanOrEqual(7)
      expect(pdfPages(pdf), file).toBeGreaterThanOrEqual(sections)
      await page.close()
    }
  }, 600_000)
})
