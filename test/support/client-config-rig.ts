// What the `keyway client config` tests share: a sandbox Keyway (serve --sandbox) and a scratch
// folder for the config files, made before the file's tests and removed after them; and the
// command line they run most.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSandboxKeyway, type SandboxKeyway } from '../fixtures/keyway-sandbox';

/** Starts both before the file's tests (handing them to `ready`), stops and removes both after. */
export function useSandboxKeyway(
  dirPrefix: string,
  ready: (kw: SandboxKeyway, dir: string) => void,
): void {
  let kw: SandboxKeyway | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    kw = await startSandboxKeyway();
    dir = await mkdtemp(join(tmpdir(), dirPrefix));
    ready(kw, dir);
  });
  afterAll(async () => {
    await kw?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
}

/** `keyway client config CLIENT --for KIND --install|--uninstall --config FILE …more`. */
export function configArgs(
  client: string,
  kind: string,
  action: '--install' | '--uninstall',
  file: string,
  ...more: string[]
): string[] {
  return ['client', 'config', client, '--for', kind, action, '--config', file, ...more];
}
