// Each AI client's config is read as that client's own parser reads it, a dead token is never
// "already current", and a mistyped --config path never creates directories.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type SandboxKeyway } from '../fixtures/keyway-sandbox';
import { configArgs, useSandboxKeyway } from '../support/client-config-rig';
import { initializeStatus } from '../support/mcp-initialize';

let kw: SandboxKeyway;
let dir: string;
useSandboxKeyway('keyway-client-parsers-', (k, d) => ([kw, dir] = [k, d]));

const install = (client: string, kind: string, file: string, ...more: string[]) =>
  kw.run(configArgs(client, kind, '--install', file, ...more));
const tokenIn = async (file: string) =>
  /kwc_[A-Za-z0-9_-]+/.exec(await readFile(file, 'utf8'))?.[0] ?? '';

describe('client config --install', () => {
  it('a dead token in the file is not "already current": a fresh one is installed and works', async () => {
    expect((await kw.run(['client', 'add', 'dead', '--connection', 'demo'])).code).toBe(0);
    const file = join(dir, 'dead.json');
    expect((await install('dead', 'cursor', file)).code).toBe(0);
    const first = await tokenIn(file);
    // The token changes behind the file's back (the UI's "new token", another machine…).
    expect(
      (
        await kw.run([
          'client',
          'config',
          'dead',
          '--for',
          'cursor',
          '--install',
          '--new-token',
          '--config',
          join(dir, 'other.json'),
        ])
      ).code,
    ).toBe(0);
    expect(await initializeStatus(kw.demo!.url, first)).toBe(401);
    const r = await install('dead', 'cursor', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/already current/);
    const fresh = await tokenIn(file);
    expect(fresh).not.toBe(first);
    expect(await initializeStatus(kw.demo!.url, fresh)).toBe(200);
    // And a live one is current: nothing changes.
    const again = await install('dead', 'cursor', file);
    expect(again.stdout).toMatch(/already current/);
    expect(await tokenIn(file)).toBe(fresh);
  });

  it("Gemini CLI's settings.json with comments is accepted (Gemini strips them), comments kept", async () => {
    expect((await kw.run(['client', 'add', 'gem', '--connection', 'demo'])).code).toBe(0);
    const file = join(dir, 'settings.json');
    const text = '{\n  // my theme\n  "theme": "GitHub",\n  /* servers */\n  "mcpServers": {}\n}\n';
    await writeFile(file, text);
    const r = await install('gem', 'gemini-cli', file);
    expect(r.code, r.stderr).toBe(0);
    const after = await readFile(file, 'utf8');
    expect(after).toContain('  // my theme\n  "theme": "GitHub",\n  /* servers */\n');
    // A trailing comma is refused, as Gemini's JSON.parse refuses it.
    const trailing = join(dir, 'trailing.json');
    await writeFile(trailing, '{\n  "theme": "GitHub",\n}\n');
    const t = await install('gem', 'gemini-cli', trailing);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/trailing\.json:3:1: not valid JSON/);
  });

  it('a BOM: kept for VS Code (which reads it), refused for Cursor (whose JSON.parse does not)', async () => {
    expect((await kw.run(['client', 'add', 'bom', '--connection', 'demo'])).code).toBe(0);
    const vs = join(dir, 'vs-mcp.json');
    await writeFile(vs, '\uFEFF{\n  "servers": {}\n}\n');
    const v = await install('bom', 'vscode', vs);
    expect(v.code, v.stderr).toBe(0);
    expect((await readFile(vs, 'utf8')).startsWith('\uFEFF{\n  "servers": {\n')).toBe(true);
    const cur = join(dir, 'cur-mcp.json');
    await writeFile(cur, '\uFEFF{}\n');
    const c = await install('bom', 'cursor', cur);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/byte-order mark.*Cursor does not read/);
  });

  it('--config with a mistyped path creates no directory; adopt on a missing file says so', async () => {
    const wrong = join(dir, 'no-such-dir', 'deeper', 'mcp.json');
    const r = await install('bom', 'cursor', wrong);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-such-dir\/deeper does not exist/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    const a = await kw.run(['adopt', '--for', 'cursor', '--config', join(dir, 'missing.json')]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/missing\.json does not exist/);
    expect(a.stderr).not.toMatch(/no vendor secret/);
  });
});
