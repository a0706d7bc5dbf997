import type { ClientKind } from '../../shared/client-config';

/**
 * What each AI client's own parser accepts in its config file, so Keyway accepts exactly that:
 * refusing a file the client reads is a dead end, and writing one it cannot read breaks it.
 * - VS Code: its JSONC parser (comments, trailing commas); its file service drops a UTF-8 BOM.
 * - Zed: serde_json_lenient (comments, trailing commas); no BOM handling.
 * - Gemini CLI: `JSON.parse(stripJsonComments(content))` in packages/cli/src/config/settings.ts:
 *   comments yes, trailing commas no (strip-json-comments leaves them unless asked), and a BOM
 *   reaches JSON.parse, which refuses it.
 * - Claude Code, Cline: JSON.parse on the file's text: strict JSON, no BOM.
 * - Claude Desktop, Cursor, Windsurf: closed source; documented as JSON, so strict (assumed).
 * - Codex: TOML (toml_edit, which skips a leading BOM); Goose and Continue: YAML, whose parsers
 *   (libyaml, the `yaml` package) accept a BOM; comments are part of both syntaxes.
 */
export interface ClientSyntax {
  comments: boolean;
  trailingCommas: boolean;
  bom: boolean;
}

const STRICT: ClientSyntax = { comments: false, trailingCommas: false, bom: false };

const SYNTAX: Partial<Record<ClientKind, ClientSyntax>> = {
  vscode: { comments: true, trailingCommas: true, bom: true },
  zed: { comments: true, trailingCommas: true, bom: false },
  'gemini-cli': { comments: true, trailingCommas: false, bom: false },
  codex: { comments: true, trailingCommas: false, bom: true },
  goose: { comments: true, trailingCommas: false, bom: true },
  continue: { comments: true, trailingCommas: false, bom: true },
};

export function clientSyntax(kind: ClientKind): ClientSyntax {
  return SYNTAX[kind] ?? STRICT;
}

export const BOM = '\uFEFF';
