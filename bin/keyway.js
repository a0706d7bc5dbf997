#!/usr/bin/env node
// Thin launcher: the CLI is bundled by `npm run build` into out/node/keyway.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../out/node/keyway.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('keyway: not built yet; run `npm run build` in the Keyway folder first\n');
  process.exit(1);
}
await import(entry);
