// Every code block of the docs and READMEs is a copy of a file, or of a region of one, that runs in CI.
//
// A block is marked with its source on the line before its opening fence:
//
//   <!-- snippet: examples/getting-started/src/first-report.ts#register -->
//
// and the region is delimited in the source by comment lines holding `#region register` and
// `#endregion register` (after `//`, `#` or `<!--`). Without `#region`, the block is the whole file.
// Lines of other region markers inside a region are left out, and the region is dedented.
//
//   node scripts/docs-snippets.mjs           rewrites every marked block from its source
//   node scripts/docs-snippets.mjs --check   changes nothing; exits 1 naming each block that differs from its
//                                            source, has no marker, or names a source or region that is missing
//
// Mermaid blocks are diagrams, not code: they need no source. Shell sources (`.sh`) are checked with `bash -n`.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const root = resolve(new URL('..', import.meta.url).pathname)
const check = process.argv.includes('--check')

/** The Markdown files whose blocks are checked: the READMEs and everything under docs/. */
const markdownFiles = () => {
  const out = ['README.md']
  const walk = (dir) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = join(dir, name)
      if (statSync(join(root, path)).isDirectory()) walk(path)
      else if (name.endsWith('.md')) out.push(path)
    }
  }
  walk('docs')
  for (const group of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, group))) {
      const readme = join(group, name, 'README.md')
      if (existsSync(join(root, readme))) out.push(readme)
    }
  }
  return out
}

const MARKER = /^<!--\s*snippet:\s*([^\s#]+)(?:#([\w.-]+))?\s*-->\s*$/
const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/
const REGION = /(?:\/\/|#|<!--)\s*#(region|endregion)\s+([\w.-]+)/

/** The text of `region` of `file` (the whole file without a region), or an error message. */
export const sourceText = (file, region) => {
  const path = resolve(root, file)
  if (relative(root, path).startsWith('..')) return { error: `${file} is outside the repository` }
  if (!existsSync(path)) return { error: `${file} does not exist` }
  const lines = readFileSync(path, 'utf8').replace(/\n$/, '').split('\n')
  let body = lines
  if (region !== undefined) {
    const start = lines.findIndex((l) => { const m = REGION.exec(l); return m?.[1] === 'region' && m[2] === region })
    if (start < 0) return { error: `${file} has no region ${region}` }
    const end = lines.findIndex((l, i) => { const m = REGION.exec(l); return i > start && m?.[1] === 'endregion' && m[2] === region })
    if (end < 0) return { error: `${file}: region ${region} is not closed` }
    body = lines.slice(start + 1, end)
  }
  body = body.filter((l) => !REGION.test(l))
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length))
  return { text: body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n') }
}

/** The file with every marked block rewritten, and the problems found. */
export const processMarkdown = (name, text) => {
  const lines = text.split('\n')
  const out = []
  const problems = []
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i])
    if (fence === null) {
      out.push(lines[i])
      continue
    }
    const [, indent, ticks, info] = fence
    let close = i + 1
    while (close < lines.length && !(lines[close].trim().startsWith(ticks) && lines[close].trim().replace(/[`~]/g, '') === '')) close++
    const block = lines.slice(i + 1, close)
    const marker = MARKER.exec((lines[i - 1] ?? '').trim())
    const where = `${name}:${i + 1}`
    if (marker === null) {
      if (info.trim() !== 'mermaid') problems.push(`${where}: a code block without a source (put <!-- snippet: path#region --> on the line before it)`)
      out.push(...lines.slice(i, close + 1))
    } else {
      const source = sourceText(marker[1], marker[2])
      if (source.error !== undefined) {
        problems.push(`${where}: ${source.error}`)
        out.push(...lines.slice(i, close + 1))
      } else {
        const wanted = source.text.split('\n').map((l) => (l === '' ? '' : indent + l))
        if (wanted.join('\n') !== block.join('\n')) problems.push(`${where}: differs from ${marker[1]}${marker[2] === undefined ? '' : `#${marker[2]}`} (run pnpm docs:snippets)`)
        out.push(lines[i], ...wanted, `${indent}${ticks}`)
      }
    }
    i = close
  }
  return { text: out.join('\n'), problems }
}

const main = () => {
  const problems = []
  const shellSources = new Set()
  let rewritten = 0
  for (const file of markdownFiles()) {
    const text = readFileSync(join(root, file), 'utf8')
    const result = processMarkdown(file, text)
    for (const m of text.matchAll(/<!--\s*snippet:\s*([^\s#]+\.sh)/g)) shellSources.add(m[1])
    if (check) problems.push(...result.problems)
    else {
      problems.push(...result.problems.filter((p) => !p.includes('(run pnpm docs:snippets)')))
      if (result.text !== text) {
        writeFileSync(join(root, file), result.text)
        rewritten++
      }
    }
  }
  for (const sh of shellSources) {
    try {
      execFileSync('bash', ['-n', join(root, sh)], { stdio: 'pipe' })
    } catch (e) {
      problems.push(`${sh}: not valid shell: ${String(e.stderr ?? e)}`)
    }
  }
  for (const p of problems) console.log(p)
  if (problems.length > 0) {
    console.log(`docs snippets: ${problems.length} problem(s)`)
    process.exit(1)
  }
  console.log(check ? 'docs snippets: every code block matches its source' : `docs snippets: ${rewritten} file(s) rewritten`)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main()
