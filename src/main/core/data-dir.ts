import { homedir, platform } from 'node:os';
import { join } from 'node:path';

/**
 * The data directory Electron's `userData` would be for an app named "Keyway", so the desktop
 * app and `keyway serve` share one directory without either depending on Electron.
 */
export function defaultDataDir(): string {
  const home = homedir();
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Keyway');
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Keyway');
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Keyway');
  }
}

/** `--data-dir` wins, then `KEYWAY_DATA_DIR`, then the platform default. */
export function resolveDataDir(flag?: string): string {
  return flag ?? process.env.KEYWAY_DATA_DIR ?? defaultDataDir();
}
