#!/usr/bin/env node
// Thin launcher: `npm run build` bundles the CLI into out/node/. `keyway bridge` has its own
// small bundle, because AI clients spawn it per window and it must start fast.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bridge = process.argv[2] === 'bridge';
const entry = fileURLToPath(
  new URL(bridge ? '../out/node/bridge.js' : '../out/node/keyway.js', import.meta.url),
);
if (!existsSync(entry)) {
  process.stderr.write('keyway: not built yet; run `npm run build` in the Keyway folder first\n');
  process.exit(1);
}
if (bridge) process.argv.splice(2, 1);
await import(entry);
