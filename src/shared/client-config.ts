/**
 * The config entry that points each AI client at the Keyway proxy, built in one place so the CLI
 * (`keyway client config`) and the renderer ("Set up in …") show and write the same thing.
 * Pure: no Node, no DOM. Paths are joined here from facts the caller passes in.
 */

export type ClientKind = 'claude-desktop' | 'cursor' | 'vscode' | 'claude-code' | 'codex';

export const CLIENT_KINDS: ReadonlyArray<{ kind: ClientKind; title: string }> = [
  { kind: 'claude-desktop', title: 'Claude Desktop' },
  { kind: 'cursor', title: 'Cursor' },
  { kind: 'vscode', title: 'VS Code' },
  { kind: 'claude-code', title: 'Claude Code' },
  { kind: 'codex', title: 'Codex' },
];

export function isClientKind(value: string): value is ClientKind {
  return CLIENT_KINDS.some((c) => c.kind === value);
}

export function clientTitle(kind: ClientKind): string {
  return CLIENT_KINDS.find((c) => c.kind === kind)?.title ?? kind;
}

/** Shown instead of a token: Keyway keeps only a token's hash, so it can never print one later. */
export const TOKEN_PLACEHOLDER = '<token>';
export const TOKEN_FILE_PLACEHOLDER = '<path to the token file>';

/** How an AI client starts `keyway` (for the stdio bridge). */
export interface BridgeLauncher {
  command: string;
  args: string[];
}
export const KEYWAY_ON_PATH: BridgeLauncher = { command: 'keyway', args: [] };

export interface ClientConfigInput {
  kind: ClientKind;
  /** The server's name in the client's config; the connection slug reads well there. */
  serverName: string;
  /** The connection's proxy URL, `http://127.0.0.1:PORT/mcp/SLUG`. */
  url: string;
  slug: string;
  /** The client's local token while it is known; the placeholder otherwise. */
  token?: string | null;
  /** Claude Desktop: the file `keyway bridge` reads the token from. */
  tokenFile?: string;
  /** Claude Desktop: how to start `keyway`; default `keyway` on PATH. */
  bridge?: BridgeLauncher;
  /** Claude Desktop: the data directory of the instance the bridge must find. */
  dataDir?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface ClientConfigEntry {
  kind: ClientKind;
  title: string;
  /** The file's syntax: JSONC keeps comments (VS Code); TOML for Codex. */
  format: 'json' | 'jsonc' | 'toml';
  /** Where the entry sits in the client's config document, e.g. `["mcpServers", "qyvo"]`. */
  path: [string, string];
  entry: JsonObject;
}

/** The top-level table each client lists its MCP servers under. */
const CONTAINER: Record<ClientKind, string> = {
  'claude-desktop': 'mcpServers',
  cursor: 'mcpServers',
  vscode: 'servers',
  'claude-code': 'mcpServers',
  codex: 'mcp_servers',
};

export function clientConfigEntry(input: ClientConfigInput): ClientConfigEntry {
  const authorization = `Bearer ${input.token || TOKEN_PLACEHOLDER}`;
  const base = {
    kind: input.kind,
    title: clientTitle(input.kind),
    path: [CONTAINER[input.kind], input.serverName] as [string, string],
  };
  switch (input.kind) {
    case 'claude-desktop': {
      // Claude Desktop speaks stdio only and cannot send headers, so the bridge reads the token
      // from a file of its own; the entry itself never holds the token.
      const launcher = input.bridge ?? KEYWAY_ON_PATH;
      const args = [
        ...launcher.args,
        'bridge',
        input.slug,
        '--token-file',
        input.tokenFile ?? TOKEN_FILE_PLACEHOLDER,
        ...(input.dataDir ? ['--data-dir', input.dataDir] : []),
      ];
      return { ...base, format: 'json', entry: { command: launcher.command, args } };
    }
    case 'cursor':
      return {
        ...base,
        format: 'json',
        entry: { url: input.url, headers: { Authorization: authorization } },
      };
    case 'vscode':
    case 'claude-code':
      return {
        ...base,
        format: input.kind === 'vscode' ? 'jsonc' : 'json',
        entry: { type: 'http', url: input.url, headers: { Authorization: authorization } },
      };
    case 'codex':
      // Codex reaches Streamable HTTP servers itself: `url` plus literal `http_headers`.
      return {
        ...base,
        format: 'toml',
        entry: { url: input.url, http_headers: { Authorization: authorization } },
      };
  }
}

/** The entry as a standalone document: what a user pastes into the file. */
export function configDocument(e: ClientConfigEntry): string {
  if (e.format === 'toml') return codexTable(e.path[1], e.entry);
  return JSON.stringify({ [e.path[0]]: { [e.path[1]]: e.entry } }, null, 2) + '\n';
}

/** `[mcp_servers.NAME]` with its keys; nested objects become inline tables. */
export function codexTable(serverName: string, entry: JsonObject): string {
  const lines = [`[mcp_servers.${tomlKey(serverName)}]`];
  for (const [k, v] of Object.entries(entry)) lines.push(`${tomlKey(k)} = ${tomlValue(v)}`);
  return lines.join('\n') + '\n';
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
  language: 'json' | 'toml' | 'shell';
  text: string;
}

export const CONFIG_WHERE: Record<ClientKind, string> = {
  'claude-desktop':
    'claude_desktop_config.json (Settings → Developer → Edit Config); the token goes alone in the token file, readable only by you',
  cursor: '~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
  vscode: 'your user mcp.json (Command Palette → “MCP: Open User Configuration”)',
  'claude-code': 'Run in a terminal (it writes the mcpServers entry of ~/.claude.json)',
  codex: '~/.codex/config.toml',
};

/** The snippet the UI shows: Claude Code as its `claude mcp add` command, the rest as files. */
export function clientSnippet(input: ClientConfigInput): Snippet {
  const entry = clientConfigEntry(input);
  const common = { kind: input.kind, title: entry.title, where: CONFIG_WHERE[input.kind] };
  if (input.kind === 'claude-code')
    return { ...common, language: 'shell', text: claudeMcpAddCommand(input) + '\n' };
  return {
    ...common,
    language: entry.format === 'toml' ? 'toml' : 'json',
    text: configDocument(entry),
  };
}

const LOCAL_MCP_URL = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/mcp\/[a-z0-9][a-z0-9-]*$/;

/**
 * Whether an existing entry is one Keyway wrote (so Keyway may replace or remove it): a local
 * proxy URL, or the bridge command. Anything else belongs to the user and is never touched.
 */
export function isKeywayEntry(kind: ClientKind, value: unknown): boolean {
  if (!isObject(value)) return false;
  if (kind === 'claude-desktop') {
    const args = value.args;
    return (
      Array.isArray(args) &&
      args.includes('bridge') &&
      args.includes('--token-file') &&
      (/(^|[\\/])keyway(\.cmd|\.exe)?$/.test(String(value.command)) ||
        args.some((a) => typeof a === 'string' && /(^|[\\/])keyway(\.js)?$/.test(a)))
    );
  }
  return typeof value.url === 'string' && LOCAL_MCP_URL.test(value.url);
}

/** The bearer token in an HTTP entry, or null (none, or only the placeholder). */
export function entryToken(kind: ClientKind, value: unknown): string | null {
  if (!isObject(value)) return null;
  const headers = value[kind === 'codex' ? 'http_headers' : 'headers'];
  const auth = isObject(headers) ? headers.Authorization : undefined;
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
  if (!isObject(value)) return value;
  const key = kind === 'codex' ? 'http_headers' : 'headers';
  const headers = value[key];
  if (!isObject(headers) || typeof headers.Authorization !== 'string') return value;
  return { ...value, [key]: { ...headers, Authorization: `Bearer ${TOKEN_PLACEHOLDER}` } };
}

/** Facts about the machine the default config paths depend on (passed in: this file is pure). */
export interface ConfigLocationFacts {
  platform: string;
  home: string;
  /** Windows %APPDATA%. */
  appData?: string;
  /** $XDG_CONFIG_HOME on Linux. */
  xdgConfigHome?: string;
  /** $CODEX_HOME, where Codex keeps config.toml. */
  codexHome?: string;
}

/** Where each client reads its MCP servers by default (user scope). */
export function defaultConfigPath(kind: ClientKind, facts: ConfigLocationFacts): string {
  const win = facts.platform === 'win32';
  const join = (...parts: string[]): string => parts.join(win ? '\\' : '/');
  const appData = facts.appData ?? join(facts.home, 'AppData', 'Roaming');
  const appDir = (name: string): string =>
    facts.platform === 'darwin'
      ? join(facts.home, 'Library', 'Application Support', name)
      : win
        ? join(appData, name)
        : join(facts.xdgConfigHome ?? join(facts.home, '.config'), name);
  switch (kind) {
    case 'claude-desktop':
      return join(appDir('Claude'), 'claude_desktop_config.json');
    case 'cursor':
      return join(facts.home, '.cursor', 'mcp.json');
    case 'vscode':
      return join(appDir('Code'), 'User', 'mcp.json');
    case 'claude-code':
      return join(facts.home, '.claude.json');
    case 'codex':
      return join(facts.codexHome ?? join(facts.home, '.codex'), 'config.toml');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
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

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function tomlString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

function tomlValue(v: JsonValue): string {
  if (typeof v === 'string') return tomlString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '""';
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(', ')}]`;
  const pairs = Object.entries(v).map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`);
  return `{ ${pairs.join(', ')} }`;
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function shellDouble(s: string): string {
  return `"${s.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}
