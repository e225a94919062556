import { decodeCliConfig, ExitCode, runCli } from '@support-ledger/cli'

const config = decodeCliConfig({ store: { dataDir: '.data/ledger' }, report: { langauge: 'ru' } })
if (config._tag === 'Right' || config.left.path !== 'report.langauge') throw new Error('the misspelt key should be named')

const lines: string[] = []
const status = await runCli(['report', '--help'], { out: (t) => lines.push(t), err: (t) => lines.push(t), stdoutIsTty: false, env: {} })
if (status !== ExitCode.ok || !lines.join('\n').includes('--language')) throw new Error('report --help should list --language')
console.log(`ok: ${config.left.message}`)
