// Type-aware lint: the rules that catch real bugs in async, security-sensitive code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const NO_ELECTRON = {
  name: 'electron',
  message: 'Only src/main/shell, src/main/index.ts and src/preload may import electron.',
};

/** `files` may import neither electron nor any folder named in `above` (a higher layer). */
function layer(files, above) {
  return [
    {
      files,
      ignores: ['**/*.test.ts', '**/*.test.tsx'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [NO_ELECTRON],
            patterns: above.map((dir) => ({
              group: [`**/${dir}/*`, `**/${dir}`],
              message: `a lower layer may not import ${dir}/ (DESIGN.md, Layers: imports point one way)`,
            })),
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': 'off',
      // Handlers are async by contract even when a particular one has nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // Layers point one way (DESIGN.md, Layers): shared ← store, keychain, vendors, audit ←
  // rotation ← service ← http, cli, shell. Each layer may not import the ones above it, and
  // the core never imports Electron. Import cycles are checked by `npm run lint:cycles` (dpdm).
  ...layer(['src/shared/**'], ['main', 'cli', 'renderer', 'sandbox', 'preload']),
  ...layer(
    [
      'src/main/core/store/**',
      'src/main/core/keychain/**',
      'src/main/core/vendors/**',
      'src/main/core/audit/**',
    ],
    ['rotation', 'service', 'http', 'proxy', 'shell', 'cli'],
  ),
  ...layer(['src/main/core/rotation/**'], ['service', 'http', 'proxy', 'shell', 'cli']),
  ...layer(['src/main/core/service/**'], ['http', 'shell', 'cli']),
  ...layer(
    ['src/main/core/*.ts', 'src/main/core/http/**', 'src/main/core/proxy/**'],
    ['shell', 'cli'],
  ),
  ...layer(['src/cli/**', 'src/sandbox/**', 'src/renderer/**'], ['shell']),
  {
    files: ['src/renderer/**/*.tsx', 'src/renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        URL: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
