// No import cycle anywhere in src/ (DESIGN.md, Layers), type-only imports included: a cycle is
// a layer pointing the wrong way. Run by `npm run lint`; exits 1 and lists the cycles if any.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

// Until the proxy pipeline (issue 10) lands: imports between two files of src/main/core/proxy/
// are not checked. Imports into or out of the proxy still are.
const TEMPORARY_EXCEPTIONS = ['src/main/core/proxy/.*:src/main/core/proxy/.*'];

const dpdm = createRequire(import.meta.url).resolve('dpdm/lib/bin/dpdm.js');
const args = [
  ...(process.argv.length > 2 ? process.argv.slice(2) : ['src/**/*.ts', 'src/**/*.tsx']),
  '--no-tree',
  '--no-warning',
  '--no-progress',
  '--exit-code',
  'circular:1',
  '--skip-imports',
  ...TEMPORARY_EXCEPTIONS,
];
const run = spawnSync(process.execPath, [dpdm, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
