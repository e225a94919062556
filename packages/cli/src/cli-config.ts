/** The command line's configuration: a JSON file for settings, the environment for secrets. */
import { RedmineMapping } from '@support-ledger/redmine'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { readFile } from 'node:fs/promises'
import { decodeStrict, type ConfigInvalid } from './config-codec.js'

// model

const NonEmpty = t.refinement(t.string, (s) => s.trim().length > 0, 'NonEmptyString')
const SchemaName = t.refinement(t.string, (s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), 'SchemaName')
const PositiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'PositiveInteger')

/** The report's language: `ru`, `kk` (Kazakh, written with the Russian labels until a Kazakh table exists) or `en`. */
export const ReportLanguage = t.keyof({ ru: null, kk: null, en: null }, 'ReportLanguage')
export type ReportLanguage = t.TypeOf<typeof ReportLanguage>
/** The report's file format: `html`, `md`, `json`, or `csv` (one row per verdict). */
export const ReportFormat = t.keyof({ html: null, md: null, json: null, csv: null }, 'ReportFormat')
export type ReportFormat = t.TypeOf<typeof ReportFormat>

/** Every key of the file; all optional. Secrets have no key here: see `CliSecrets`. */
export const CliConfig = t.exact(
  t.partial({
    store: t.exact(
      t.partial({
        /** The embedded store's folder, used when DATABASE_URL is not set; default `.data/support-ledger`. */
        dataDir: NonEmpty,
        /** The PostgreSQL schema; default `support_ledger`. */
        schema: SchemaName,
      }),
    ),
    /** The contract `report` and `sync` work on when `--contract` is not given. */
    contract: NonEmpty,
    report: t.exact(t.partial({ language: ReportLanguage, format: ReportFormat, outDir: NonEmpty })),
    schedule: t.exact(t.partial({ hours: PositiveInt })),
    redmine: t.exact(
      t.intersection([
        t.type({ url: NonEmpty, mapping: RedmineMapping }),
        t.partial({ intervalSeconds: PositiveInt }),
      ]),
    ),
  }),
  'CliConfig',
)
export type CliConfig = t.TypeOf<typeof CliConfig>

/** What comes from the environment: never written in the file, never printed. */
export interface CliSecrets {
  readonly databaseUrl?: string
  readonly redmineApiKey?: string
}

/** The configuration file could not be read (missing, unreadable, not JSON). */
export interface ConfigUnreadable {
  readonly _tag: 'ConfigUnreadable'
  readonly path: string
  readonly message: string
}

// operations

/** Decodes a parsed configuration file; a key the codec does not declare is an error naming it. */
export const decodeCliConfig = (value: unknown): E.Either<ConfigInvalid, CliConfig> => decodeStrict(CliConfig, value)

/**
 * Reads the configuration file. An explicit path must exist; the default path
 * (`support-ledger.json` in the working folder) may be absent, which means all defaults.
 */
export const readCliConfig = async (path: string, explicit: boolean): Promise<E.Either<ConfigInvalid | ConfigUnreadable, CliConfig>> => {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (!explicit && (e as { code?: string }).code === 'ENOENT') return E.right({})
    return E.left({ _tag: 'ConfigUnreadable', path, message: `cannot read the configuration file ${path}: ${(e as Error).message}` })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    return E.left({ _tag: 'ConfigUnreadable', path, message: `the configuration file ${path} is not JSON: ${(e as Error).message}` })
  }
  const decoded = decodeCliConfig(parsed)
  return E.isLeft(decoded) ? E.left({ ...decoded.left, message: `${path}: ${decoded.left.message}` }) : decoded
}

/** The secrets from an environment (pass `process.env`); empty values count as unset. */
export const secretsFrom = (env: Readonly<Record<string, string | undefined>>): CliSecrets => ({
  ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
  ...(env.REDMINE_API_KEY ? { redmineApiKey: env.REDMINE_API_KEY } : {}),
})
