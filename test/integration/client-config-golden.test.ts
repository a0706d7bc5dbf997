// `keyway client config NAME --for CLIENT --install` merged into a realistic config of each AI
// client (other servers, comments, tabs), compared with a golden file; installing again changes
// nothing; uninstalling gives back the original bytes.
import { copyFile, readFile, stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it, vi } from 'vitest';
import { KEYWAY_BIN } from '../support/keyway-process';
import { configArgs, useSandboxKeyway } from '../support/client-config-rig';
import { type SandboxKeyway } from '../fixtures/keyway-sandbox';
import { connectAsClient } from '../support/client-readback';

// Each test starts several CLI processes and MCP sessions; a loaded 2-core CI machine is slow.
vi.setConfig({ testTimeout: 240_000 });

const FIXTURES = resolve(import.meta.dirname, '../fixtures/client-configs');
const KINDS = [
  { kind: 'claude-desktop', ext: 'json' },
  { kind: 'cursor', ext: 'json' },
  { kind: 'vscode', ext: 'jsonc' },
  { kind: 'claude-code', ext: 'json' },
  { kind: 'codex', ext: 'toml' },
  { kind: 'windsurf', ext: 'json' },
  { kind: 'zed', ext: 'jsonc' },
  { kind: 'gemini-cli', ext: 'json' },
  { kind: 'goose', ext: 'yaml' },
  { kind: 'cline', ext: 'json' },
  { kind: 'continue', ext: 'yaml' },
] as const;

let kw: SandboxKeyway;
let dir: string;
useSandboxKeyway('keyway-client-config-', (k, d) => ([kw, dir] = [k, d]));

interface InstallJson {
  action: string;
  file: string;
  backup: string | null;
  tokenFile: string | null;
  tokenRotated: boolean;
  check?: { reachable: boolean; detail: string };
}

// The clients are independent (own client, own file): run them side by side.
describe.concurrent.each(KINDS)('$kind', ({ kind, ext }) => {
  it('installs into the existing file, keeps everything else, re-installs as a no-op, uninstalls cleanly', async ({
    expect,
  }) => {
    const client = `c-${kind}`;
    expect((await kw.run(['client', 'add', client, '--connection', 'demo'])).code).toBe(0);
    const existing = await readFile(join(FIXTURES, kind, `existing.${ext}`), 'utf8');
    const golden = await readFile(join(FIXTURES, kind, `installed.${ext}`), 'utf8');
    const file = join(dir, `${kind}.${ext}`);
    await copyFile(join(FIXTURES, kind, `existing.${ext}`), file);

    const install = await kw.json<InstallJson>(configArgs(client, kind, '--install', file));
    expect(install).toMatchObject({
      action: 'installed',
      file,
      backup: `${file}.keyway-backup`,
      tokenRotated: true,
    });
    expect(await readFile(`${file}.keyway-backup`, 'utf8')).toBe(existing);
    const installed = await readFile(file, 'utf8');
    const tokenFile = join(dir, `keyway-${client}.token`);
    const token =
      kind === 'claude-desktop'
        ? (await readFile(tokenFile, 'utf8')).trim()
        : (/kwc_[A-Za-z0-9_-]+/.exec(installed)?.[0] ?? '');
    expect(token).toMatch(/^kwc_[A-Za-z0-9_-]{20,}$/);
    expect(installed).toBe(
      golden
        .replaceAll('{{TOKEN}}', token)
        .replaceAll('{{URL}}', kw.demo?.url ?? '')
        .replaceAll('{{NODE}}', process.execPath)
        .replaceAll('{{KEYWAY_BIN}}', realpathSync(KEYWAY_BIN))
        .replaceAll('{{TOKEN_FILE}}', tokenFile)
        .replaceAll('{{DATA_DIR}}', kw.dataDir),
    );
    // A file holding a token is readable by its owner only; so is the bridge's token file.
    const secretFile = kind === 'claude-desktop' ? tokenFile : file;
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    expect(install.tokenFile).toBe(kind === 'claude-desktop' ? tokenFile : null);
    // Keyway's own check: it read the entry back and an MCP initialize went through.
    expect(install.check).toMatchObject({ reachable: true });
    // What the client itself will do: parse the file with a real parser, read the fields its
    // documentation names, connect an MCP SDK client with exactly those, and call a tool.
    await connectAsClient(kind, installed, kw.demo?.url ?? '');

    const again = await kw.json<InstallJson>(configArgs(client, kind, '--install', file));
    expect(again).toMatchObject({ action: 'unchanged', backup: null, tokenRotated: false });
    expect(await readFile(file, 'utf8')).toBe(installed);
    expect(await readFile(`${file}.keyway-backup`, 'utf8')).toBe(existing);

    const removed = await kw.json<InstallJson>(configArgs(client, kind, '--uninstall', file));
    expect(removed.action).toBe('removed');
    expect(await readFile(file, 'utf8')).toBe(existing);
    if (kind === 'claude-desktop') await expect(stat(tokenFile)).rejects.toThrow(/ENOENT/);
    if (kind === 'codex') {
      const none = await kw.json<InstallJson>(configArgs(client, kind, '--uninstall', file));
      expect(none.action).toBe('absent');
    }
  });

  it('prints the entry with a placeholder, never a token', async ({ expect }) => {
    const r = await kw.run([
      'client',
      'config',
      'demo-client',
      '--for',
      kind,
      '--config',
      join(dir, `print.${ext}`),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(kind === 'claude-desktop' ? '"--token-file"' : 'Bearer <token>');
    expect(r.stdout).not.toMatch(/kwc_/);
    if (kind === 'claude-code')
      expect(r.stdout).toContain(
        `claude mcp add --transport http --scope user demo ${kw.demo?.url ?? ''} --header "Authorization: Bearer <token>"`,
      );
    // Printing writes nothing.
    await expect(stat(join(dir, `print.${ext}`))).rejects.toThrow(/ENOENT/);
  });
});
