import type { Command } from '../command';

/**
 * One row per command: its name and summary (all that `keyway --help` prints) and where its code
 * is. The code is loaded only when the command runs (or its own --help is asked for), so
 * `keyway --version`, `keyway --help` and every single command load only what they need: AI
 * clients spawn some commands once per session. To add a command, add its row here; the summary
 * must equal the command's own (a test checks every row against its loaded command).
 */
export interface CommandEntry {
  /** e.g. "key add" */
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

/** Every command, in the order `keyway --help` lists them (CLI.md's order). */
export const COMMANDS: CommandEntry[] = [
  {
    name: 'serve',
    summary: 'Headless Keyway: proxy, control API and web UI on one 127.0.0.1 port',
    load: async () => (await import('./serve-command')).serve,
  },
  {
    name: 'account add',
    summary:
      'Add an account at a vendor (its management credential, if any, goes to the OS keychain)',
    load: async () => (await import('./account-commands')).accountAdd,
  },
  {
    name: 'account ls',
    summary: 'List accounts',
    load: async () => (await import('./account-commands')).accountLs,
  },
  {
    name: 'account login',
    summary:
      'Log in to an OAuth account in the browser; Keyway keeps its tokens in the OS keychain',
    load: async () => (await import('./oauth-commands')).accountLogin,
  },
  {
    name: 'account logout',
    summary: 'Revoke an OAuth account’s tokens where the server can, then forget them',
    load: async () => (await import('./oauth-commands')).accountLogout,
  },
  {
    name: 'account service',
    summary:
      "Mark an account as a dedicated service account (role, projects) and print the vendor's checklist",
    load: async () => (await import('../provision/service-account-command')).accountService,
  },
  {
    name: 'account remove',
    summary: 'Remove an account; refused while keys or connections depend on it unless --force',
    load: async () => (await import('./removal-commands')).accountRemove,
  },
  {
    name: 'account rotate-credential',
    summary:
      'Swap a service account’s client secret or key for a new one, checked by getting a token first',
    load: async () => (await import('./client-credentials-commands')).accountRotateCredential,
  },
  {
    name: 'key create',
    summary: 'Mint a key at a vendor with a key API (Quave), verify it, store it in the keychain',
    load: async () => (await import('./key-commands')).keyCreate,
  },
  {
    name: 'key add',
    summary: "Store a key made in the vendor's dashboard (read from standard input)",
    load: async () => (await import('./key-commands')).keyAdd,
  },
  {
    name: 'key ls',
    summary: 'List keys: scopes, current version (fingerprint, last 4), age, state',
    load: async () => (await import('./key-commands')).keyLs,
  },
  {
    name: 'key rotate',
    summary: 'Rotate a key: swap in a new one before the old one is revoked; sessions stay open',
    load: async () => (await import('./key-commands')).keyRotate,
  },
  {
    name: 'key revoke',
    summary:
      'Revoke a key at the vendor (or confirm a dashboard revocation), then forget its secret',
    load: async () => (await import('./key-revoke-command')).keyRevoke,
  },
  {
    name: 'key remove',
    summary: 'Forget a key locally (it stays live at the vendor: revoke it first if you mean that)',
    load: async () => (await import('./key-commands')).keyRemove,
  },
  {
    name: 'connection add',
    summary: 'Add a local proxy route; prints its URL http://127.0.0.1:PORT/mcp/SLUG',
    load: async () => (await import('./connection-commands')).connectionAdd,
  },
  {
    name: 'connection ls',
    summary: 'List connections and their local URLs',
    load: async () => (await import('./connection-commands')).connectionLs,
  },
  {
    name: 'connection update',
    summary: 'Point a connection at another key or upstream; its clients keep their tokens',
    load: async () => (await import('./connection-commands')).connectionUpdate,
  },
  {
    name: 'connection remove',
    summary: "Remove a connection: its clients' tokens stop reaching anything at once",
    load: async () => (await import('./removal-commands')).connectionRemove,
  },
  {
    name: 'client add',
    summary: 'Allow a local AI client on a connection; prints its local token once',
    load: async () => (await import('./client-commands')).clientAdd,
  },
  {
    name: 'client ls',
    summary: 'List clients',
    load: async () => (await import('./client-commands')).clientLs,
  },
  {
    name: 'client revoke',
    summary: 'Revoke a client: its token stops working at once, open sessions included',
    load: async () => (await import('./client-commands')).clientRevoke,
  },
  {
    name: 'client config',
    summary:
      "Print (or merge into the AI client's own config file, keeping a backup) the entry that points it at the proxy",
    load: async () => (await import('./client-config-command')).clientConfig,
  },
  {
    name: 'run',
    summary:
      'Run a program (typically a local stdio MCP server) with keys from the keychain in its environment',
    load: async () => (await import('./run-command')).run,
  },
  {
    name: 'adopt',
    summary:
      "Move the vendor secrets sitting in an AI client's config into the keychain, and point the client at Keyway",
    load: async () => (await import('./adopt-command')).adopt,
  },
  {
    name: 'provision',
    summary: 'Apply a team manifest (YAML): plan, then create, change or remove; idempotent',
    load: async () => (await import('./provision-command')).provision,
  },
  {
    name: 'export',
    summary: 'Print the configuration (no secrets, no tokens) as a manifest for `keyway provision`',
    load: async () => (await import('./export-import-commands')).exportConfig,
  },
  {
    name: 'import',
    summary: 'Apply an exported manifest (the same as `keyway provision FILE`)',
    load: async () => (await import('./export-import-commands')).importConfig,
  },
  {
    name: 'proxy pause',
    summary: 'Stop forwarding: clients get 503 and their open sessions end (keys stay as they are)',
    load: async () => (await import('./proxy-commands')).proxyPause,
  },
  {
    name: 'proxy resume',
    summary: 'Forward again after `keyway proxy pause`',
    load: async () => (await import('./proxy-commands')).proxyResume,
  },
  {
    name: 'audit',
    summary: 'Show the audit log (oldest first)',
    load: async () => (await import('./audit-command')).audit,
  },
];
