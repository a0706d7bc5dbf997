import {
  canonical,
  isKeywayEntry,
  stdioConfigEntry,
  type BridgeLauncher,
  type ClientKind,
  type StdioProgram,
} from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import { envArgs, type EnvRef } from '../run/env-refs';
import { loadClientConfig, readEntry, withEntry, writeClientConfig } from './client-config-file';

/** `keyway run --env … --restart-on-rotate -- COMMAND ARGS` as the client will start it. */
export function keywayRunProgram(
  launcher: BridgeLauncher,
  refs: EnvRef[],
  dataDir: string | undefined,
  command: string,
  args: string[],
): StdioProgram {
  return {
    command: launcher.command,
    args: [
      ...launcher.args,
      'run',
      ...envArgs(refs),
      '--restart-on-rotate',
      ...(dataDir ? ['--data-dir', dataDir] : []),
      '--',
      command,
      ...args,
    ],
  };
}

export interface StdioInstallResult {
  action: 'installed' | 'updated' | 'unchanged';
  file: string;
  serverName: string;
  backup: string | null;
}

/**
 * Writes a stdio entry that runs the program under `keyway run`: the file names keys, never
 * holds one. A same-named entry Keyway did not write is replaced only with `force` (adopt
 * replaces the user's entry after moving its secrets into the keychain).
 */
export async function installStdioEntry(req: {
  kind: ClientKind;
  file: string;
  serverName: string;
  program: StdioProgram;
  force: boolean;
}): Promise<StdioInstallResult> {
  const config = await loadClientConfig(req.kind, req.file);
  const e = stdioConfigEntry(req.kind, req.serverName, req.program);
  const existing = readEntry(config, e.path);
  if (existing !== undefined && !isKeywayEntry(req.kind, existing) && !req.force)
    throw new KeywayError(
      'conflict',
      `${req.file} already has a server "${req.serverName}" that Keyway did not write; choose another --stdio name, or pass --force to replace it`,
    );
  const base = { file: req.file, serverName: req.serverName };
  if (existing !== undefined && canonical(existing) === canonical(e.entry))
    return { ...base, action: 'unchanged', backup: null };
  const outcome = await writeClientConfig(config, withEntry(config, e.path, e.entry), false);
  return {
    ...base,
    action: existing === undefined ? 'installed' : 'updated',
    backup: outcome.backup,
  };
}
