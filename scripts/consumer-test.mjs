// The packages as a user gets them: pack every public package, install the tarballs into a fresh project
// outside the workspace (with npm, then with pnpm), type-check each package README's example under
// `tsc --strict` with node16 and with bundler resolution (skipLibCheck off), run it under plain Node, and
// check every tarball with @arethetypeswrong/cli (esm-only profile). Needs the built packages (`pnpm build`)
// and the npm registry for the third-party dependencies.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(new URL('..', import.meta.url).pathname)
const work = mkdtempSync(join(tmpdir(), 'support-ledger-consumer-'))
const keep = process.argv.includes('--keep')
const run = (cmd, args, cwd, extra = {}) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, ...extra } })

const step = (name, fn) => {
  const started = Date.now()
  try {
    const out = fn()
    console.log(`ok ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    return out
  } catch (e) {
    console.log(`FAILED ${name}`)
    console.log(String(e.stdout ?? '') + String(e.stderr ?? '') || String(e))
    if (!keep) rmSync(work, { recursive: true, force: true })
    process.exit(1)
  }
}

// Public packages and their README examples (every ```ts block is a whole program).
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => pkg.private !== true)
const examples = packages.flatMap(({ dir, pkg }) =>
  [...readFileSync(join(dir, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({
    name: `${pkg.name.split('/')[1]}-${i + 1}`,
    source: m[1],
  })),
)
if (examples.length < packages.length) {
  console.log('FAILED every package README needs a ```ts example')
  process.exit(1)
}

const tarballs = join(work, 'tarballs')
mkdirSync(tarballs)
const packed = step(`pack ${packages.length} packages`, () =>
  Object.fromEntries(
    packages.map(({ dir, pkg }) => {
      const out = run('pnpm', ['pack', '--pack-destination', tarballs], dir).trim().split('\n').pop()
      return [pkg.name, resolve(dir, out)]
    }),
  ),
)

for (const [name, tgz] of Object.entries(packed)) {
  step(`attw ${name}`, () => run(join(root, 'node_modules/.bin/attw'), [tgz, '--profile', 'esm-only', '--format', 'ascii'], work))
}

const peers = { 'fp-ts': '2.16.11', 'io-ts': '2.2.22', '@electric-sql/pglite': '0.5.11', 'fast-check': '4.10.2' }
const tools = { typescript: '6.0.3', '@types/node': '20.19.43' }
const tsconfig = (resolution) => ({
  compilerOptions: {
    strict: true,
    skipLibCheck: false,
    target: 'es2022',
    module: resolution === 'node16' ? 'node16' : 'esnext',
    moduleResolution: resolution,
    types: ['node'],
    ...(resolution === 'node16' ? { rootDir: 'src', outDir: 'dist' } : { noEmit: true }),
  },
  include: ['src'],
})

for (const manager of ['npm', 'pnpm']) {
  const project = join(work, `consumer-${manager}`)
  mkdirSync(join(project, 'src'), { recursive: true })
  const files = Object.fromEntries(Object.entries(packed).map(([name, tgz]) => [name, `file:${tgz}`]))
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: { ...files, ...peers },
        devDependencies: tools,
        // The tarballs depend on each other by version; point those at the tarballs, not the registry.
        overrides: files,
        pnpm: { overrides: files },
      },
      null,
      2,
    ),
  )
  for (const { name, source } of examples) writeFileSync(join(project, 'src', `${name}.ts`), source)
  for (const resolution of ['node16', 'bundler']) writeFileSync(join(project, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig(resolution), null, 2))

  const install = manager === 'npm' ? ['install', '--no-audit', '--no-fund', '--loglevel=error'] : ['install', '--config.confirmModulesPurge=false']
  // Outside the workspace: pnpm must not walk up into it.
  step(`${manager} install`, () => run(manager, install, project, { npm_config_workspace: '', PNPM_HOME: process.env.PNPM_HOME ?? '' }))
  for (const resolution of ['bundler', 'node16']) {
    step(`${manager}: tsc --strict, ${resolution} resolution`, () => run(join(project, 'node_modules/.bin/tsc'), ['-p', `tsconfig.${resolution}.json`], project))
  }
  for (const { name } of examples) {
    step(`${manager}: node dist/${name}.js`, () => run('node', [join('dist', `${name}.js`)], project))
  }
  // Every executable a package ships, as installed from its tarball: it starts and prints its help.
  for (const { pkg } of packages) {
    for (const bin of Object.keys(typeof pkg.bin === 'string' ? { [pkg.name.split('/').pop()]: pkg.bin } : (pkg.bin ?? {}))) {
      step(`${manager}: ${bin} --help`, () => {
        const out = run(join(project, 'node_modules', '.bin', bin), ['--help'], project)
        if (!out.includes('Usage:')) throw new Error(`${bin} --help printed no usage:\n${out}`)
        return out
      })
    }
  }
}

if (!keep) rmSync(work, { recursive: true, force: true })
console.log(`consumer: ${packages.length} packages, ${examples.length} README examples, npm and pnpm: all passed`)
