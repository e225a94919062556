// Lint rules for every package; run per package by `turbo run lint`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', '**/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // With noUncheckedIndexedAccess, `xs[i]!` after a length check is the honest way to say "present".
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Directory imports crash under native ESM (ERR_UNSUPPORTED_DIR_IMPORT).
              regex: '^(fp-ts|io-ts)/(?!lib/).+',
              message: 'Import fp-ts/io-ts modules from their lib/ folder with a .js suffix, e.g. fp-ts/lib/Either.js.',
            },
            {
              regex: '^(fp-ts|io-ts)/lib/[^.]+$',
              message: 'Add the .js suffix: native ESM needs the full file name.',
            },
          ],
        },
      ],
    },
  },
)
