import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { configPathFor } from './client-paths';
import { getNodeValue } from 'jsonc-parser';
import { clientSpec, isObject, type ClientKind, type JsonObject } from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import { writeFileAtomic } from '../../main/core/store/atomic-file';
import { BOM, clientSyntax } from './client-syntax';
import { malformedConfig } from './config-file-error';
import { editJsonEntry, parseJsonConfig, readJsonEntry, type JsonConfig } from './json-config-file';
import { editTomlEntry, parseTomlConfig, readTomlEntry, type TomlConfig } from './toml-config-file';
import { editYamlEntry, parseYamlConfig, readYamlEntry, type YamlConfig } from './yaml-config-file';

/** One AI client's config file, read and parsed before anything is changed. */
export interface ClientConfigFile {
  kind: ClientKind;
  file: string;
  existed: boolean;
  text: string;
  mode: number | null;
  parsed: { json: JsonConfig } | { toml: TomlConfig } | { yaml: YamlConfig };
}

export async function loadClientConfig(kind: ClientKind, file: string): Promise<ClientConfigFile> {
  let text = '';
  let existed = true;
  let mode: number | null = null;
  try {
    text = await readFile(file, 'utf8');
    mode = (await stat(file)).mode & 0o777;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      throw new KeywayError('bad_input', `cannot read ${file} (${code ?? 'error'})`);
    existed = false;
    assertParentUsable(kind, file);
  }
  return { kind, file, existed, text, mode, parsed: parseClientConfig(kind, file, text) };
}

/**
 * A file that does not exist yet is created only where it can be meant: in a directory that
 * exists, or in the client's own config directory (made if the client never ran). A mistyped
 * --config must not create directories anywhere.
 */
function assertParentUsable(kind: ClientKind, file: string): void {
  const parent = dirname(resolve(file));
  if (existsSync(parent)) return;
  const own = dirname(resolve(configPathFor(kind)));
  if (parent === own) return;
  // The client's own kind of folder (Continue's `mcpServers/` block folder, say) in a directory
  // that exists: one level, named as the client names it, is what the client itself would make.
  if (basename(parent) === basename(own) && existsSync(dirname(parent))) return;
  throw new KeywayError(
    'not_found',
    `${parent} does not exist, so ${file} cannot be created there; check --config (${clientSpec(kind).title}'s own file is ${configPathFor(kind)})`,
  );
}

/** Parses a client's config text in that client's syntax (throws FILE:LINE:COL when malformed). */
export function parseClientConfig(
  kind: ClientKind,
  file: string,
  text: string,
): ClientConfigFile['parsed'] {
  const spec = clientSpec(kind);
  const syntax = clientSyntax(kind);
  if (text.startsWith(BOM)) {
    if (!syntax.bom)
      throw malformedConfig(
        file,
        1,
        1,
        `the file starts with a byte-order mark (BOM), which ${spec.title} does not read; save it as UTF-8 without BOM`,
      );
    // Parsed and edited without it; withEntry puts it back.
    text = text.slice(1);
  }
  switch (spec.format) {
    case 'toml':
      return { toml: parseTomlConfig(file, text) };
    case 'yaml':
      return {
        yaml: parseYamlConfig(file, text, spec.list === true, spec.newDocument?.('keyway')),
      };
    default:
      return { json: parseJsonConfig(file, text, syntax) };
  }
}

export function readEntry(config: ClientConfigFile, path: [string, string]): unknown {
  if ('toml' in config.parsed) return readTomlEntry(config.parsed.toml, path[1]);
  if ('yaml' in config.parsed) return readYamlEntry(config.parsed.yaml, path);
  return readJsonEntry(config.parsed.json, path);
}

/** The file's new text with the entry set, or removed when `entry` is undefined. */
export function withEntry(
  config: ClientConfigFile,
  path: [string, string],
  entry: JsonObject | undefined,
): string {
  const bom = config.text.startsWith(BOM) ? BOM : '';
  if ('toml' in config.parsed) return bom + editTomlEntry(config.parsed.toml, path[1], entry);
  if ('yaml' in config.parsed) return bom + editYamlEntry(config.parsed.yaml, path, entry);
  const next = editJsonEntry(config.parsed.json, path, entry);
  return bom + (config.existed || next.endsWith('\n') ? next : next + '\n');
}

export interface WriteOutcome {
  written: boolean;
  backup: string | null;
}

/**
 * Writes the new text atomically after keeping the previous file as FILE.keyway-backup; the same
 * text again writes nothing. Files carrying a token are made readable by their owner only; others
 * keep their mode. The backup is a file of its own (a link planted at its name is replaced, never
 * followed).
 */
export async function writeClientConfig(
  config: ClientConfigFile,
  next: string,
  holdsToken: boolean,
  /** What the backup keeps: the previous text, or it with secrets removed; null: no backup. */
  backupText: string | null = config.text,
): Promise<WriteOutcome> {
  if (config.existed && next === config.text) return { written: false, backup: null };
  await mkdir(dirname(config.file), { recursive: true });
  const mode = holdsToken ? 0o600 : (config.mode ?? 0o600);
  let backup: string | null = null;
  if (config.existed && backupText !== null) {
    backup = `${config.file}.keyway-backup`;
    await writeFileAtomic(backup, backupText, 0o600);
  }
  // A config file that is a symlink (dotfiles) stays one: the file it points to is replaced.
  await writeFileAtomic(config.file, next, mode, { followLink: true });
  return { written: true, backup };
}

export async function writeTokenFile(path: string, token: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${token}\n`, 0o600);
}

/** The token a Claude Desktop bridge would read, or null when there is none. */
export async function readTokenFile(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim() || null;
  } catch {
    return null;
  }
}

export async function removeTokenFile(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch {
    return false;
  }
}

/** The whole document as plain data. */
export function plainDocument(config: ClientConfigFile): Record<string, unknown> {
  let doc: unknown;
  if ('toml' in config.parsed) doc = config.parsed.toml.doc;
  else if ('yaml' in config.parsed) doc = config.parsed.yaml.doc.toJS() as unknown;
  else doc = config.parsed.json.root ? getNodeValue(config.parsed.json.root) : {};
  return isObject(doc) ? doc : {};
}

/** Every server entry in the file, by name (a list's entries by their `name`). */
export function allEntries(config: ClientConfigFile): Array<[string, unknown]> {
  const spec = clientSpec(config.kind);
  const container = plainDocument(config)[spec.container];
  if (Array.isArray(container))
    return container
      .filter((e): e is Record<string, unknown> => isObject(e) && typeof e.name === 'string')
      .map((e) => [e.name as string, e]);
  return isObject(container) ? Object.entries(container) : [];
}

/** The same file after an edit, parsed again, so several entries can be changed one by one. */
export function reparsed(config: ClientConfigFile, text: string): ClientConfigFile {
  return { ...config, text, parsed: parseClientConfig(config.kind, config.file, text) };
}

/**
 * The previous text for a backup with each secret the operation removed replaced by a marker
 * that says where it went (`moved-to-keyway:ACCOUNT/KEY`): a backup must not keep a secret the
 * operation took out of the file. Null when a secret is still there in another spelling (a JSON
 * escape): then no backup is written rather than one that holds it.
 */
export function backupWithout(
  config: ClientConfigFile,
  removed: Array<{ secret: string; marker: string }>,
): string | null {
  let text = config.text;
  for (const { secret, marker } of removed) if (secret) text = text.split(secret).join(marker);
  let values: string;
  try {
    values = JSON.stringify(plainDocument(reparsed(config, text)));
  } catch {
    return null;
  }
  return removed.some(({ secret }) => secret && values.includes(secret)) ? null : text;
}
