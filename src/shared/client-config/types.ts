/** Types shared by every AI client's entry builder. Pure: no Node, no DOM. */

export type ClientKind =
  | 'claude-desktop'
  | 'cursor'
  | 'vscode'
  | 'claude-code'
  | 'codex'
  | 'windsurf'
  | 'zed'
  | 'gemini-cli'
  | 'goose'
  | 'cline'
  | 'continue';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Shown instead of a token: Keyway keeps only a token's hash, so it can never print one later. */
export const TOKEN_PLACEHOLDER = '<token>';
export const TOKEN_FILE_PLACEHOLDER = '<path to the token file>';

/** How an AI client starts `keyway` (for the stdio bridge and `keyway run`). */
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

/** A local program an AI client starts (stdio). */
export interface StdioProgram {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Facts about the machine the default config paths depend on (passed in: this code is pure). */
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

/** What a client's default path is built from. */
export interface PathKit {
  facts: ConfigLocationFacts;
  join: (...parts: string[]) => string;
  /** The OS's per-user application directory for NAME (Application Support, %APPDATA%, XDG). */
  appDir: (name: string) => string;
  /** ~/.config on Linux and macOS (tools that use XDG on both), %APPDATA% on Windows. */
  configDir: (name: string) => string;
}

/**
 * One AI client: its file, its syntax, and how it spells a remote (Streamable HTTP) entry and a
 * stdio entry. Each client lives in its own file under kinds/, checked against its documentation.
 */
export interface ClientSpec {
  kind: ClientKind;
  title: string;
  /** The file's syntax; JSONC allows comments and trailing commas. */
  format: 'json' | 'jsonc' | 'toml' | 'yaml';
  /** The top-level key the MCP servers sit under. */
  container: string;
  /** Entries are an array of objects identified by their `name` (Continue), not a map. */
  list?: boolean;
  /** Where the entry goes, in the client's own terms. */
  where: string;
  /** The entry that reaches the proxy over Streamable HTTP, with this Authorization value. */
  remote(input: ClientConfigInput, authorization: string): JsonObject;
  /** The entry that starts a local program over stdio. */
  stdio(program: StdioProgram, serverName: string): JsonObject;
  /** The field that holds a remote entry's URL. */
  urlField: string;
  /** Where a remote entry's headers are, e.g. `["headers"]`. */
  headersPath: string[];
  /** The field that holds a stdio entry's command (Goose says `cmd`). */
  commandField: string;
  /** The field that holds a stdio entry's environment (Goose says `envs`). */
  envField: string;
  /** A new file's content around the servers (Continue's block header). */
  newDocument?: (serverName: string) => JsonObject;
  defaultPath(kit: PathKit, serverName: string): string;
}

export interface ClientConfigEntry {
  kind: ClientKind;
  title: string;
  format: ClientSpec['format'];
  /** Where the entry sits: `[container, serverName]`. */
  path: [string, string];
  /** The container is a list of named entries rather than a map. */
  list: boolean;
  entry: JsonObject;
}
