import type { ClientKind, ClientSpec, ConfigLocationFacts, PathKit } from './types';
import { claudeDesktop } from './kinds/claude-desktop';
import { cursor } from './kinds/cursor';
import { vscode } from './kinds/vscode';
import { claudeCode } from './kinds/claude-code';
import { codex } from './kinds/codex';
import { windsurf } from './kinds/windsurf';
import { zed } from './kinds/zed';
import { geminiCli } from './kinds/gemini-cli';
import { goose } from './kinds/goose';
import { cline } from './kinds/cline';
import { continueDev } from './kinds/continue';

/** Every AI client Keyway writes an entry for, in the order the UI and `--help` list them. */
export const CLIENT_SPECS: readonly ClientSpec[] = [
  claudeDesktop,
  cursor,
  vscode,
  claudeCode,
  codex,
  windsurf,
  zed,
  geminiCli,
  goose,
  cline,
  continueDev,
];

export const CLIENT_KINDS: ReadonlyArray<{ kind: ClientKind; title: string }> = CLIENT_SPECS.map(
  (s) => ({ kind: s.kind, title: s.title }),
);

export function isClientKind(value: string): value is ClientKind {
  return CLIENT_SPECS.some((c) => c.kind === value);
}

export function clientSpec(kind: ClientKind): ClientSpec {
  const spec = CLIENT_SPECS.find((c) => c.kind === kind);
  if (!spec) throw new Error(`unknown client kind ${kind}`);
  return spec;
}

export function clientTitle(kind: ClientKind): string {
  return CLIENT_SPECS.find((c) => c.kind === kind)?.title ?? kind;
}

export const CONFIG_WHERE = Object.fromEntries(
  CLIENT_SPECS.map((s) => [s.kind, s.where]),
) as Record<ClientKind, string>;

/** Where each client reads its MCP servers by default (user scope). */
export function defaultConfigPath(
  kind: ClientKind,
  facts: ConfigLocationFacts,
  serverName = 'keyway',
): string {
  const win = facts.platform === 'win32';
  const join = (...parts: string[]): string => parts.join(win ? '\\' : '/');
  const appData = facts.appData ?? join(facts.home, 'AppData', 'Roaming');
  const xdg = facts.xdgConfigHome ?? join(facts.home, '.config');
  const kit: PathKit = {
    facts,
    join,
    appDir: (name) =>
      facts.platform === 'darwin'
        ? join(facts.home, 'Library', 'Application Support', name)
        : win
          ? join(appData, name)
          : join(xdg, name),
    configDir: (name) =>
      win
        ? join(appData, name)
        : facts.platform === 'darwin'
          ? join(facts.home, '.config', name)
          : join(xdg, name),
  };
  return clientSpec(kind).defaultPath(kit, serverName);
}
