import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import {
  defaultConfigPath,
  KEYWAY_ON_PATH,
  type BridgeLauncher,
  type ClientKind,
} from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import { launcherScript } from '../install-root';

export function configPathFor(kind: ClientKind, serverName?: string): string {
  return defaultConfigPath(
    kind,
    {
      platform: process.platform,
      home: homedir(),
      appData: process.env.APPDATA,
      xdgConfigHome: process.env.XDG_CONFIG_HOME,
      codexHome: process.env.CODEX_HOME,
    },
    serverName,
  );
}

/**
 * Claude Desktop's token file sits next to Claude's own config: the one place a local token is on
 * disk, because a stdio client cannot send headers. Never inside Keyway's data directory.
 */
export function tokenFileFor(configFile: string, clientName: string): string {
  return join(dirname(resolve(configFile)), `keyway-${clientName}.token`);
}

export function assertOutsideDataDir(path: string, dataDir: string): void {
  const rel = relative(resolve(dataDir), resolve(path));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new KeywayError(
      'bad_input',
      `${path} is inside Keyway's data directory (${dataDir}), which never holds a token; choose another --token-file or --config`,
    );
  }
}

/**
 * How Claude Desktop should start the bridge: the absolute path of this Node and of
 * bin/keyway.js. GUI apps start with a minimal PATH (macOS especially), where neither `keyway`
 * nor a recent enough Node is found; absolute paths always work. `--keyway-on-path` opts out.
 */
export function bridgeLauncher(): BridgeLauncher {
  const script = process.argv[1];
  if (script && /(^|[\\/])keyway(\.js)?$/.test(script) && existsSync(script))
    return { command: process.execPath, args: [realpathSync(script)] };
  const bin = launcherScript();
  return bin === undefined ? KEYWAY_ON_PATH : { command: process.execPath, args: [bin] };
}
