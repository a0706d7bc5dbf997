import type { KeywayApi } from '../../shared/contract';
import {
  canonical,
  clientSpec,
  clientConfigEntry,
  isObject,
  entryToken,
  entryTokenFile,
  isKeywayEntry,
  sameEntryIgnoringToken,
  type ClientConfigInput,
  type JsonObject,
} from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import {
  backupWithout,
  loadClientConfig,
  readEntry,
  removeTokenFile,
  readTokenFile,
  withEntry,
  writeClientConfig,
  writeTokenFile,
  plainDocument,
  reparsed,
  type ClientConfigFile,
} from './client-config-file';
import { rm, stat } from 'node:fs/promises';

export interface InstallRequest {
  api: KeywayApi;
  client: string;
  file: string;
  /** The entry to write, without a token (it is fetched only if a write is needed). */
  input: ClientConfigInput;
  /** Issue a new token even when Keyway's entry is already there and current. */
  newToken: boolean;
  /** Replace an entry of the same name that Keyway did not write. */
  force: boolean;
}

export interface InstallResult {
  action: 'installed' | 'updated' | 'unchanged';
  file: string;
  serverName: string;
  backup: string | null;
  tokenFile: string | null;
  /** True when the client got a new token (its previous one stopped working). */
  tokenRotated: boolean;
}

/**
 * Merges Keyway's entry into the client's own config. Everything that can fail on the user's
 * file (unreadable, malformed, a foreign entry in the way) fails before the token is rotated, so
 * a refused install never leaves the client without a working token.
 */
export async function installClientEntry(req: InstallRequest): Promise<InstallResult> {
  const { input } = req;
  const config = await loadClientConfig(input.kind, req.file);
  const template = clientConfigEntry({ ...input, token: null });
  const existing = readEntry(config, template.path);
  const ours = existing !== undefined && isKeywayEntry(input.kind, existing);
  if (existing !== undefined && !ours && !req.force) {
    throw new KeywayError(
      'conflict',
      `${req.file} already has a server "${template.path[1]}" that Keyway did not write; pass --server-name NAME for another name, or --force to replace it`,
    );
  }
  const tokenFile = input.kind === 'claude-desktop' ? (input.tokenFile ?? null) : null;
  const token = tokenFile ? await readTokenFile(tokenFile) : entryToken(input.kind, existing);
  // "Current" means the client would get in: Keyway holds the token's hash, so a token that was
  // rotated or revoked since (a dead token) is replaced, never reported as current.
  const live =
    token !== null && (await req.api['client.checkToken']({ name: req.client, token })).current;
  const current = ours && live && sameEntryIgnoringToken(input.kind, existing, template.entry);
  const base = { file: req.file, serverName: template.path[1], tokenFile };
  if (current && !req.newToken)
    return { ...base, action: 'unchanged', backup: null, tokenRotated: false };

  // Edit once with the placeholder first: a file Keyway cannot edit safely fails here, while the
  // client's current token still works.
  withEntry(config, template.path, template.entry);
  const created = await req.api['client.rotateToken']({ name: req.client });
  try {
    if (tokenFile) await writeTokenFile(tokenFile, created.token);
    const entry = clientConfigEntry({ ...input, token: created.token }).entry;
    const next = withEntry(config, template.path, entry);
    const outcome = await writeClientConfig(config, next, input.kind !== 'claude-desktop');
    return {
      ...base,
      action: existing === undefined ? 'installed' : 'updated',
      backup: outcome.backup,
      tokenRotated: true,
    };
  } catch (err) {
    throw new KeywayError(
      'internal',
      `client ${req.client} got a new token, but ${req.file} could not be written (${(err as Error).message}); fix that and run again with --new-token`,
    );
  }
}

export interface UninstallResult {
  action: 'removed' | 'absent';
  file: string;
  serverName: string;
  backup: string | null;
  tokenFile: string | null;
}

/** Removes only Keyway's entry (and its token file); a foreign entry of that name stays. */
export async function uninstallClientEntry(
  input: Pick<ClientConfigInput, 'kind' | 'serverName'>,
  file: string,
): Promise<UninstallResult> {
  const config = await loadClientConfig(input.kind, file);
  const path: [string, string] = [clientSpec(input.kind).container, input.serverName];
  const existing = readEntry(config, path);
  const base = { file, serverName: path[1] };
  if (existing === undefined) return { ...base, action: 'absent', backup: null, tokenFile: null };
  if (!isKeywayEntry(input.kind, existing)) {
    throw new KeywayError(
      'conflict',
      `the server "${path[1]}" in ${file} was not written by Keyway; it was left untouched`,
    );
  }
  const next = (await originalBytes(config, path, existing)) ?? withEntry(config, path, undefined);
  const tokenFile = input.kind === 'claude-desktop' ? entryTokenFile(existing) : null;
  if (await createdByKeyway(config, next)) {
    // There was no file before Keyway's install: "what was there" is no file.
    await rm(file);
    if (tokenFile) await removeTokenFile(tokenFile);
    return { ...base, action: 'removed', backup: null, tokenFile };
  }
  // The backup keeps the file as it was, but not the client's local token that was in it.
  const token = entryToken(input.kind, existing);
  const backupText = token
    ? backupWithout(config, [{ secret: token, marker: 'removed-by-keyway' }])
    : config.text;
  const outcome = await writeClientConfig(config, next, false, backupText);
  if (tokenFile) await removeTokenFile(tokenFile);
  return { ...base, action: 'removed', backup: outcome.backup, tokenFile };
}

/**
 * The exact bytes from before Keyway's install, when the backup is that file: putting the entry
 * Keyway wrote back into the backup gives today's text. Otherwise (the user edited the file
 * since) the entry alone is removed.
 */
async function originalBytes(
  config: ClientConfigFile,
  path: [string, string],
  entry: unknown,
): Promise<string | null> {
  try {
    const backupFile = `${config.file}.keyway-backup`;
    const before = await loadClientConfig(config.kind, backupFile);
    if (!before.existed || readEntry(before, path) !== undefined) return null;
    return withEntry(before, path, entry as JsonObject) === config.text ? before.text : null;
  } catch {
    return null;
  }
}

/** No backup (Keyway's install created the file) and nothing left but an empty server list. */
async function createdByKeyway(config: ClientConfigFile, next: string): Promise<boolean> {
  if (
    await stat(`${config.file}.keyway-backup`).then(
      () => true,
      () => false,
    )
  )
    return false;
  const spec = clientSpec(config.kind);
  const doc = plainDocument(reparsed(config, next));
  const scaffold = spec.newDocument?.('') ?? {};
  return Object.entries(doc).every(
    ([k, v]) =>
      (k === spec.container && (Array.isArray(v) ? v.length === 0 : isEmptyObject(v))) ||
      (k in scaffold && canonical(scaffold[k]) === canonical(v)),
  );
}

function isEmptyObject(v: unknown): boolean {
  return isObject(v) && Object.keys(v).length === 0;
}
