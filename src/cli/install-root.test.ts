import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtRendererDir, installRoot, launcherScript } from './install-root';
import { tempDataDir } from '../../test/support/keyway-process';

let root: string;
let outside: string;

beforeAll(async () => {
  root = await tempDataDir('keyway-install-');
  await mkdir(join(root, 'bin'));
  await mkdir(join(root, 'out', 'node', 'assets'), { recursive: true });
  await writeFile(join(root, 'package.json'), '{}');
  await writeFile(join(root, 'bin', 'keyway.js'), '');
  outside = await tempDataDir('keyway-elsewhere-');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const at = (...parts: string[]): string => pathToFileURL(join(...parts)).href;

describe('installRoot', () => {
  it('is found from the bundle, from a lazily loaded chunk, and from the sources alike', () => {
    for (const from of [
      at(root, 'out', 'node', 'keyway.js'),
      at(root, 'out', 'node', 'assets', 'serve-command-1a2b.js'),
      at(root, 'src', 'cli', 'commands', 'serve-command.ts'),
    ]) {
      expect(installRoot(from)).toBe(root);
      expect(builtRendererDir(from)).toBe(join(root, 'out', 'renderer'));
      expect(launcherScript(from)).toBe(join(root, 'bin', 'keyway.js'));
    }
  });

  it('is none for code outside a Keyway folder (then the callers fall back)', () => {
    expect(installRoot(at(outside, 'x', 'chunk.js'))).toBeUndefined();
    expect(launcherScript(at(outside, 'chunk.js'))).toBeUndefined();
  });

  it('from the code running now: this checkout', () => {
    expect(installRoot()).toBe(join(import.meta.dirname, '..', '..'));
  });
});
