import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';

/**
 * The data directory Electron's `userData` would be for an app named "Keyway", so the desktop
 * app and `keyway serve` share one directory without either depending on Electron.
 */
function defaultDataDir(): string {
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

/**
 * A stable, non-reversible id for a data directory. Keychain entries that belong to one
 * instance (its control token, its accounts' credentials) carry it, so two data directories
 * sharing one keychain never overwrite each other's secrets.
 */
export function dataDirId(dataDir: string): string {
  return createHash('sha256').update(resolve(dataDir), 'utf8').digest('hex').slice(0, 16);
}
