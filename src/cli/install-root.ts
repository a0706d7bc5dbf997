import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where Keyway's own files are, for the CLI: the folder (a checkout or an installed package) that
 * holds package.json, `bin/keyway.js` and the built `out/`. Found by walking up from the running
 * code, so it holds wherever the bundler put that code: `out/node/keyway.js`, a lazily loaded
 * chunk in `out/node/assets/`, or `src/cli/` when tests run the sources.
 */
export function installRoot(from: string = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'keyway.js')))
      return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The built web UI (`npm run build` → out/renderer), where serve finds it. */
export function builtRendererDir(from?: string): string | undefined {
  const root = installRoot(from);
  return root === undefined ? undefined : join(root, 'out', 'renderer');
}

/** The launcher an AI client's config can start (`bin/keyway.js`). */
export function launcherScript(from?: string): string | undefined {
  const root = installRoot(from);
  return root === undefined ? undefined : join(root, 'bin', 'keyway.js');
}
