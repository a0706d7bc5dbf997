// The electron-builder configuration, checked offline with electron-builder's own loader and
// schema validation (the same ones `electron-builder` runs before building). Nothing is built
// here: Electron's binaries cannot be downloaded on these machines.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';

const root = resolve(import.meta.dirname, '../..');

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema validation', async () => {
    const config = await getConfig(root, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema validation does reject a wrong option (the check is real)', async () => {
    const config = await getConfig(root, null, {
      linux: { target: 'AppImage', bogusOption: 1 },
    } as never);
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object[\s\S]*configuration\.linux/,
    );
  });

  it('builds the four installers, with the keychain module outside the asar archive', async () => {
    const config = await getConfig(root, null, null);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
    expect(config.asarUnpack).toContain('node_modules/@napi-rs/keyring-*/**');
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.files).toEqual([
      {
        filter: expect.arrayContaining([
          'out/main/**',
          'out/preload/**',
          'out/renderer/**',
        ]) as unknown,
      },
    ]);
  });
});
