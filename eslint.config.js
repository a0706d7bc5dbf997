// Type-aware lint: the rules that catch real bugs in async, security-sensitive code.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import keyway from './scripts/eslint-silent-catch.js';

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
              message: `a lower layer may not import ${dir}/ (docs/architecture.md, Layers: imports point one way)`,
            })),
          },
        ],
      },
    },
  ];
}

const TOP = ['shell', 'cli'];
const LOW = ['rotation', 'service', 'traffic', 'http', 'proxy', ...TOP];
/** What each folder under src/main/core may not import (the layers above it). */
const CORE_LAYERS = {
  store: LOW,
  keychain: LOW,
  vendors: LOW,
  audit: LOW,
  log: LOW,
  oauth: LOW,
  rotation: ['service', 'traffic', 'http', 'proxy', ...TOP],
  service: ['http', ...TOP],
  traffic: ['http', 'proxy', ...TOP],
  http: TOP,
  // Only through ProxyBackend: no store, keychain, rotation or service (nor anything above).
  proxy: [
    'service',
    'store',
    'keychain',
    'rotation',
    'vendors',
    'audit',
    'oauth',
    'traffic',
    ...TOP,
  ],
};
/**
 * The rooms of src/main/core/service and what each may not import (besides the service's own
 * rule): views ← runs, oauth-accounts ← proxy-seam ← handlers ← key-service.ts. The top files
 * (key-service.ts, service-context.ts) tie them together.
 */
const SERVICE_ROOMS = {
  views: ['handlers', 'proxy-seam', 'oauth-accounts', 'runs'],
  runs: ['handlers', 'proxy-seam', 'oauth-accounts'],
  'oauth-accounts': ['handlers', 'proxy-seam'],
  'proxy-seam': ['handlers'],
  handlers: [],
};

/** Every folder of `dir` must have a rule in `rules`, so that a new room cannot slip past them. */
function requireRules(dir, rules, name) {
  const unruled = readdirSync(new URL(dir, import.meta.url), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !(e.name in rules))
    .map((e) => e.name);
  if (unruled.length > 0)
    throw new Error(
      `eslint.config.js: ${dir}/${unruled.join(', ')} has no layer rule; add it to ${name}`,
    );
}
requireRules('src/main/core', CORE_LAYERS, 'CORE_LAYERS');
requireRules('src/main/core/service', SERVICE_ROOMS, 'SERVICE_ROOMS');

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
  // Failures that vanish (docs/architecture.md, Logging and failures): an empty catch block or a
  // `.catch(() => undefined)` logs what was given up, or a comment says why nothing can be done.
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { keyway },
    rules: {
      'no-empty': ['error', { allowEmptyCatch: false }],
      'keyway/silent-catch': 'error',
    },
  },
  // Layers point one way (docs/architecture.md, Layers): shared ← store, keychain, vendors,
  // audit, log, oauth ← rotation ← service, traffic ← http, the composition root ← cli, shell.
  // The proxy stands beside them: it knows the rest of Keyway only through ProxyBackend. Each
  // folder under src/main/core must be named in CORE_LAYERS (checked below), so a new room
  // cannot slip past the rules. Import cycles are checked by scripts/check-cycles.js (dpdm).
  ...layer(['src/shared/**'], ['main', 'cli', 'renderer', 'sandbox', 'preload']),
  ...Object.entries(CORE_LAYERS).flatMap(([dir, above]) =>
    layer([`src/main/core/${dir}/**`], above),
  ),
  // After the service's own rule, which these replace for their files (so they repeat it).
  ...Object.entries(SERVICE_ROOMS).flatMap(([room, above]) =>
    layer([`src/main/core/service/${room}/**`], [...CORE_LAYERS.service, ...above]),
  ),
  ...layer(['src/main/core/*.ts'], ['shell', 'cli']),
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
