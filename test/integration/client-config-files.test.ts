// What `keyway client config --install` refuses to do to a user's file: a malformed file, a
// server of the same name it did not write, an entry in a form it cannot edit safely — each left
// byte for byte as it was, with the client's token still working.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type SandboxKeyway } from '../fixtures/keyway-sandbox';
import { configArgs, useSandboxKeyway } from '../support/client-config-rig';
import { initializeStatus } from '../support/mcp-initialize';

let kw: SandboxKeyway;
let dir: string;
useSandboxKeyway('keyway-client-files-', (k, d) => ([kw, dir] = [k, d]));

async function expectUntouched(file: string, text: string): Promise<void> {
  expect(await readFile(file, 'utf8')).toBe(text);
  expect(await readdir(dir)).not.toContain(`${basename(file)}.keyway-backup`);
}

describe('keyway client config --install leaves what it must not change alone', () => {
  it('a malformed JSON file: error with file, line and column; file and token untouched', async () => {
    const demo = kw.demo!;
    const file = join(dir, 'mcp.json');
    const text =
      '{\n  "mcpServers": {\n    "linear": { "url": "https://mcp.linear.app/sse" },,\n  }\n}\n';
    await writeFile(file, text);
    const r = await kw.run(configArgs('demo-client', 'cursor', '--install', file));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `keyway client config: ${file}:3:55: not valid JSON (PropertyNameExpected); Keyway left the file untouched — fix it (or pass --config PATH) and run again\n`,
    );
    await expectUntouched(file, text);
    // The token was not rotated: refusing happens before anything else.
    expect(await initializeStatus(demo.url, demo.token)).toBe(200);
  });

  it('a malformed TOML file: the same, for Codex', async () => {
    const file = join(dir, 'config.toml');
    const text = 'model = "gpt-5-codex"\n[mcp_servers.docs\ncommand = "npx"\n';
    await writeFile(file, text);
    const r = await kw.run(configArgs('demo-client', 'codex', '--install', file));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^keyway client config: ${file}:2:\\d+: not valid TOML \\(.+\\); Keyway left the file untouched`,
      ),
    );
    await expectUntouched(file, text);
  });

  it('a server of the same name that Keyway did not write: refused, unless another name is given', async () => {
    const file = join(dir, 'cursor.json');
    const text =
      '{\n  "mcpServers": {\n    "demo": { "url": "https://demo.example.com/mcp" }\n  }\n}\n';
    await writeFile(file, text);
    const r = await kw.run(configArgs('demo-client', 'cursor', '--install', file));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} already has a server "demo" that Keyway did not write`);
    await expectUntouched(file, text);
    const un = await kw.run(configArgs('demo-client', 'cursor', '--uninstall', file));
    expect(un.code).toBe(1);
    expect(un.stderr).toContain(
      `the server "demo" in ${file} was not written by Keyway; it was left untouched`,
    );
    await expectUntouched(file, text);

    expect((await kw.run(['client', 'add', 'side', '--connection', 'demo'])).code).toBe(0);
    const ok = await kw.run(
      configArgs('side', 'cursor', '--install', file, '--server-name', 'keyway-demo'),
    );
    expect(ok.code, ok.stderr).toBe(0);
    const merged = JSON.parse(await readFile(file, 'utf8')) as {
      mcpServers: Record<string, { url: string }>;
    };
    expect(merged.mcpServers.demo).toEqual({ url: 'https://demo.example.com/mcp' });
    expect(merged.mcpServers['keyway-demo']?.url).toBe(kw.demo?.url);
  });

  it('--force replaces a foreign server of that name (the previous file is kept as a backup)', async () => {
    const file = join(dir, 'forced.json');
    const text =
      '{\n  "mcpServers": {\n    "demo": { "url": "https://demo.example.com/mcp" }\n  }\n}\n';
    await writeFile(file, text);
    expect((await kw.run(['client', 'add', 'forced', '--connection', 'demo'])).code).toBe(0);
    const r = await kw.run([
      'client',
      'config',
      'forced',
      '--for',
      'cursor',
      '--install',
      '--force',
      '--config',
      file,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(await readFile(file, 'utf8')) as {
      mcpServers: Record<string, { url: string }>;
    };
    expect(merged.mcpServers.demo?.url).toBe(kw.demo?.url);
    expect(await readFile(`${file}.keyway-backup`, 'utf8')).toBe(text);
  });

  it('a Codex entry written as an inline table is not rewritten', async () => {
    const file = join(dir, 'inline.toml');
    const text = `[mcp_servers]\ndemo = { url = "${kw.demo?.url ?? ''}" }\n`;
    await writeFile(file, text);
    const r = await kw.run(configArgs('demo-client', 'codex', '--install', file));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} defines mcp_servers.demo in a form Keyway does not edit`);
    await expectUntouched(file, text);
  });

  it("never puts Claude Desktop's token file in Keyway's data directory", async () => {
    const r = await kw.run(
      configArgs(
        'demo-client',
        'claude-desktop',
        '--install',
        join(dir, 'claude_desktop_config.json'),
        '--token-file',
        join(kw.dataDir, 'leak.token'),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is inside Keyway's data directory");
    expect(await readdir(kw.dataDir)).not.toContain('leak.token');
  });

  it('--new-token re-installs with a new token: the old one stops working at once', async () => {
    expect((await kw.run(['client', 'add', 'renew', '--connection', 'demo'])).code).toBe(0);
    const file = join(dir, 'renew.json');
    const tokenIn = async () => /kwc_[A-Za-z0-9_-]+/.exec(await readFile(file, 'utf8'))?.[0] ?? '';
    expect((await kw.run(configArgs('renew', 'cursor', '--install', file))).code).toBe(0);
    const first = await tokenIn();
    expect(await initializeStatus(kw.demo?.url ?? '', first)).toBe(200);
    const r = await kw.run([
      'client',
      'config',
      'renew',
      '--for',
      'cursor',
      '--install',
      '--new-token',
      '--config',
      file,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('its previous token stopped working');
    const second = await tokenIn();
    expect(second).not.toBe(first);
    expect(await initializeStatus(kw.demo?.url ?? '', first)).toBe(401);
    expect(await initializeStatus(kw.demo?.url ?? '', second)).toBe(200);
  });
});
