// No import cycle anywhere in src/ (DESIGN.md, Layers), type-only imports included: a cycle is
// a layer pointing the wrong way. Run by `npm run lint`; exits 1 and lists the cycles if any.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const dpdm = createRequire(import.meta.url).resolve('dpdm/lib/bin/dpdm.js');
const args = [
  ...(process.argv.length > 2 ? process.argv.slice(2) : ['src/**/*.ts', 'src/**/*.tsx']),
  '--no-tree',
  '--no-warning',
  '--no-progress',
  '--exit-code',
  'circular:1',
];
const run = spawnSync(process.execPath, [dpdm, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
