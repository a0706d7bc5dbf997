import { clientSpec } from './registry';
import { codexTable, shellDouble, shellWord, yamlDocument } from './text-formats';
import {
  TOKEN_FILE_PLACEHOLDER,
  TOKEN_PLACEHOLDER,
  type ClientConfigEntry,
  type ClientConfigInput,
  type ClientKind,
  type ClientSpec,
  type JsonObject,
  type StdioProgram,
} from './types';

/**
 * The config entry that points each AI client at the Keyway proxy, built in one place so the CLI
 * (`keyway client config`) and the renderer ("Set up in …") show and write the same thing.
 */
export function clientConfigEntry(input: ClientConfigInput): ClientConfigEntry {
  const spec = clientSpec(input.kind);
  const authorization = `Bearer ${input.token || TOKEN_PLACEHOLDER}`;
  return { ...entryBase(spec, input.serverName), entry: spec.remote(input, authorization) };
}

/** A stdio entry: the client starts the program itself (here, under `keyway run`). */
export function stdioConfigEntry(
  kind: ClientKind,
  serverName: string,
  program: StdioProgram,
): ClientConfigEntry {
  const spec = clientSpec(kind);
  return { ...entryBase(spec, serverName), entry: spec.stdio(program, serverName) };
}

function entryBase(spec: ClientSpec, serverName: string): Omit<ClientConfigEntry, 'entry'> {
  return {
    kind: spec.kind,
    title: spec.title,
    format: spec.format,
    path: [spec.container, serverName],
    list: spec.list === true,
  };
}

/** The entry as a standalone document: what a user pastes into the file. */
export function configDocument(e: ClientConfigEntry): string {
  if (e.format === 'toml') return codexTable(e.path[1], e.entry);
  const spec = clientSpec(e.kind);
  const servers = e.list ? [e.entry] : { [e.path[1]]: e.entry };
  const doc: JsonObject = { ...(spec.newDocument?.(e.path[1]) ?? {}), [e.path[0]]: servers };
  if (e.format === 'yaml') return yamlDocument(doc);
  return JSON.stringify(doc, null, 2) + '\n';
}

/** The `claude mcp add` command that adds the same user-scoped entry as ~/.claude.json. */
export function claudeMcpAddCommand(input: ClientConfigInput): string {
  const authorization = `Authorization: Bearer ${input.token || TOKEN_PLACEHOLDER}`;
  return (
    `claude mcp add --transport http --scope user ${shellWord(input.serverName)} ` +
    `${shellWord(input.url)} --header ${shellDouble(authorization)}`
  );
}

export interface Snippet {
  kind: ClientKind;
  title: string;
  /** Where the snippet goes, in the client's own terms. */
  where: string;
  language: 'json' | 'toml' | 'yaml' | 'shell';
  text: string;
}

/** The snippet the UI shows: Claude Code as its `claude mcp add` command, the rest as files. */
export function clientSnippet(input: ClientConfigInput): Snippet {
  const entry = clientConfigEntry(input);
  const spec = clientSpec(input.kind);
  const common = { kind: input.kind, title: entry.title, where: spec.where };
  if (input.kind === 'claude-code')
    return { ...common, language: 'shell', text: claudeMcpAddCommand(input) + '\n' };
  const language = entry.format === 'jsonc' ? 'json' : entry.format;
  return { ...common, language, text: configDocument(entry) };
}

const LOCAL_MCP_URL = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/mcp\/[a-z0-9][a-z0-9-]*$/;
const KEYWAY_COMMAND = /(^|[\\/])keyway(\.cmd|\.exe)?$/;
const KEYWAY_SCRIPT = /(^|[\\/])keyway(\.js)?$/;

function isKeywayLauncher(command: unknown, args: unknown[]): boolean {
  return (
    KEYWAY_COMMAND.test(String(command)) ||
    args.some((a) => typeof a === 'string' && KEYWAY_SCRIPT.test(a))
  );
}

/**
 * Whether an existing entry is one Keyway wrote (so Keyway may replace or remove it): a local
 * proxy URL, the bridge command, or a program started under `keyway run`. Anything else belongs
 * to the user and is never touched.
 */
export function isKeywayEntry(kind: ClientKind, value: unknown): boolean {
  if (!isObject(value)) return false;
  const spec = clientSpec(kind);
  const args = Array.isArray(value.args) ? (value.args as unknown[]) : [];
  const command = value[spec.commandField];
  if (kind === 'claude-desktop' && args.includes('bridge') && args.includes('--token-file'))
    return isKeywayLauncher(command, args);
  if (args.includes('run') && args.includes('--') && isKeywayLauncher(command, args)) return true;
  const url = value[spec.urlField];
  return typeof url === 'string' && LOCAL_MCP_URL.test(url);
}

/** The headers object of a remote entry, if any. */
export function entryHeaders(kind: ClientKind, value: unknown): Record<string, unknown> | null {
  let node: unknown = value;
  for (const key of clientSpec(kind).headersPath) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : null;
}

/** The URL of a remote entry, if any. */
export function entryUrl(kind: ClientKind, value: unknown): string | null {
  const url = isObject(value) ? value[clientSpec(kind).urlField] : undefined;
  return typeof url === 'string' ? url : null;
}

/** The bearer token in an HTTP entry, or null (none, or only the placeholder). */
export function entryToken(kind: ClientKind, value: unknown): string | null {
  const auth = entryHeaders(kind, value)?.Authorization;
  if (typeof auth !== 'string' || !auth.startsWith('Bearer ')) return null;
  const token = auth.slice('Bearer '.length).trim();
  return token && token !== TOKEN_PLACEHOLDER ? token : null;
}

/** Claude Desktop: the token file an entry's bridge reads, if any. */
export function entryTokenFile(value: unknown): string | null {
  if (!isObject(value) || !Array.isArray(value.args)) return null;
  const args = value.args as unknown[];
  const i = args.indexOf('--token-file');
  const file = i >= 0 ? args[i + 1] : undefined;
  return typeof file === 'string' && file !== TOKEN_FILE_PLACEHOLDER ? file : null;
}

/** Same entry apart from the token: then an install would change nothing but the token. */
export function sameEntryIgnoringToken(kind: ClientKind, a: unknown, b: unknown): boolean {
  return canonical(withoutToken(kind, a)) === canonical(withoutToken(kind, b));
}

function withoutToken(kind: ClientKind, value: unknown): unknown {
  const headers = entryHeaders(kind, value);
  if (!headers || typeof headers.Authorization !== 'string') return value;
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const target = entryHeaders(kind, copy)!;
  target.Authorization = `Bearer ${TOKEN_PLACEHOLDER}`;
  return copy;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys, so two entries compare equal whatever order their keys were written. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
