// The docs-snippets check itself: a block equal to its region passes, a changed one, an unmarked one and a
// missing region are each reported, and the rewrite puts the region back.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { processMarkdown, sourceText } from './docs-snippets.mjs'

const source = 'examples/getting-started/src/first-report.ts'
const region = sourceText(source, 'report')

test('a region is read without its markers and dedented', () => {
  assert.equal(region.error, undefined)
  assert.match(region.text, /^\/\/ The first quarter/)
  assert.doesNotMatch(region.text, /#region|#endregion/)
})

test('a block equal to its source passes; a changed one is reported and rewritten', () => {
  const page = `<!-- snippet: ${source}#report -->\n\`\`\`ts\n${region.text}\n\`\`\`\n`
  assert.deepEqual(processMarkdown('page.md', page).problems, [])
  const changed = page.replace('renderReportMarkdown', 'renderReportHtml')
  const result = processMarkdown('page.md', changed)
  assert.equal(result.problems.length, 1)
  assert.match(result.problems[0], /page\.md:2: differs from/)
  assert.equal(result.text, page)
})

test('a block without a marker, or with a missing file or region, is reported; a Mermaid diagram needs none', () => {
  assert.match(processMarkdown('p.md', '```ts\nconst x = 1\n```').problems[0], /without a source/)
  assert.match(processMarkdown('p.md', '<!-- snippet: nowhere.ts -->\n```ts\n```').problems[0], /does not exist/)
  assert.match(processMarkdown('p.md', `<!-- snippet: ${source}#nope -->\n\`\`\`ts\n\`\`\``).problems[0], /has no region nope/)
  assert.match(processMarkdown('p.md', '<!-- snippet: ../outside.ts -->\n```ts\n```').problems[0], /outside the repository/)
  assert.deepEqual(processMarkdown('p.md', '```mermaid\nflowchart LR\n  a --> b\n```').problems, [])
})
