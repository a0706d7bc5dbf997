// The `--stdio` form of `keyway client config` (an entry that runs a local server under
// `keyway run`), and the bad input of issue 12: an unknown client kind, a config that does not
// parse, a key reference that does not exist, a command that does not start — each a clear
// error, and no file changed.
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { KeyView } from '../../src/shared/contract';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { secretNames } from '../../src/main/core/keychain/secret-store';
import { namesOf, startSandboxKeyway, type SandboxKeyway } from '../fixtures/keyway-sandbox';
import { tempDataDir } from '../support/keyway-process';

// Each test starts several CLI processes and MCP sessions; a loaded 2-core CI machine is slow.
vi.setConfig({ testTimeout: 180_000 });

const SERVER = resolve(import.meta.dirname, '../fixtures/mcp/key-echo-server.ts');
const FIXTURES = resolve(import.meta.dirname, '../fixtures/client-configs');
let kw: SandboxKeyway;
let dir: string;

beforeAll(async () => {
  kw = await startSandboxKeyway();
  dir = await tempDataDir('keyway-client-stdio-');
});
afterAll(async () => {
  await kw?.stop();
});

async function absent(file: string): Promise<boolean> {
  return stat(file).then(
    () => false,
    () => true,
  );
}

it('--stdio writes a Goose extension that runs the server under keyway run; the file names the key, never holds it', async () => {
  const file = join(dir, 'goose.yaml');
  const existing = await readFile(join(FIXTURES, 'goose', 'existing.yaml'), 'utf8');
  await writeFile(file, existing);
  const r = await kw.run([
    ...['client', 'config', '--for', 'goose', '--stdio', 'notes'],
    ...['--env', 'NOTES_KEY=demo/agent', '--install', '--config', file],
    ...['--', process.execPath, '--import', 'tsx', SERVER, 'NOTES_KEY'],
  ]);
  expect(r.code, r.stderr).toBe(0);
  const text = await readFile(file, 'utf8');
  const key = (await kw.json<KeyView[]>(['key', 'ls'])).find((k) => k.ref === 'demo/agent')!;
  const secret = (await new OsKeychain().get(secretNames.keyVersion(key.version!.id)))!;
  expect(text).not.toContain(secret);
  const ext = (parseYaml(text) as { extensions: Record<string, Record<string, unknown>> })
    .extensions.notes!;
  expect(ext).toMatchObject({ type: 'stdio', enabled: true, name: 'notes' });
  const args = ext.args as string[];
  expect(args).toEqual(expect.arrayContaining(['run', '--env', 'NOTES_KEY=demo/agent', '--']));
  // As Goose starts it: cmd + args, its environment.
  const client = new Client({ name: 'goose-stdio', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: ext.cmd as string,
      args,
      env: process.env as Record<string, string>,
      stderr: 'pipe',
    }),
  );
  try {
    const res = (await client.callTool({ name: 'whoami', arguments: {} })) as {
      content: Array<{ text: string }>;
    };
    const who = JSON.parse(res.content[0]!.text) as { fingerprint: string };
    expect(who.fingerprint).toBe(createHash('sha256').update(secret).digest('hex').slice(0, 8));
  } finally {
    await client.close();
  }
  const removed = await kw.run([
    'client',
    'config',
    '--for',
    'goose',
    '--stdio',
    'notes',
    '--uninstall',
    '--config',
    file,
  ]);
  expect(removed.code, removed.stderr).toBe(0);
  expect(await readFile(file, 'utf8')).toBe(existing);
});

it('a file the install created is gone again after --uninstall (Continue block file)', async () => {
  expect((await kw.run(['client', 'add', 'fresh', '--connection', 'demo'])).code).toBe(0);
  const file = join(dir, 'mcpServers', 'demo.yaml');
  const r = await kw.run([
    'client',
    'config',
    'fresh',
    '--for',
    'continue',
    '--install',
    '--config',
    file,
  ]);
  expect(r.code, r.stderr).toBe(0);
  const doc = parseYaml(await readFile(file, 'utf8')) as { schema: string; mcpServers: unknown[] };
  expect(doc.schema).toBe('v1');
  expect(doc.mcpServers).toHaveLength(1);
  const u = await kw.run([
    'client',
    'config',
    'fresh',
    '--for',
    'continue',
    '--uninstall',
    '--config',
    file,
  ]);
  expect(u.code, u.stderr).toBe(0);
  expect(await absent(file)).toBe(true);
});

describe('bad input: a clear error, nothing changed', () => {
  it('an unknown client kind', async () => {
    for (const args of [
      ['client', 'config', 'demo-client', '--for', 'emacs'],
      ['adopt', '--for', 'emacs'],
    ]) {
      const r = await kw.run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown client "emacs"; choose one of claude-desktop, .*continue/);
    }
  });

  it('a config that does not parse: FILE:LINE:COL, file untouched (YAML, JSONC, and adopt)', async () => {
    const cases = [
      {
        kind: 'goose',
        name: 'bad.yaml',
        text: 'extensions:\n  fetch: [1,\n  x: y\n',
        adopt: false,
      },
      {
        kind: 'zed',
        name: 'bad.json',
        text: '{\n  "context_servers": {\n    "a": ]\n}\n',
        adopt: false,
      },
      {
        kind: 'continue',
        name: 'bad2.yaml',
        text: 'mcpServers:\n  - name: a\n   bad: indent\n',
        adopt: true,
      },
    ];
    const names = namesOf(await kw.state());
    for (const c of cases) {
      const file = join(dir, c.name);
      await writeFile(file, c.text);
      const r = await kw.run(
        c.adopt
          ? ['adopt', '--for', c.kind, '--config', file]
          : ['client', 'config', 'demo-client', '--for', c.kind, '--install', '--config', file],
      );
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: not valid`),
      );
      expect(r.stderr).toContain('left the file untouched');
      expect(await readFile(file, 'utf8')).toBe(c.text);
      expect(await absent(`${file}.keyway-backup`)).toBe(true);
    }
    expect(namesOf(await kw.state())).toEqual(names);
  });

  it('a key reference that does not exist', async () => {
    const run = await kw.run(['run', '--env', 'X=demo/nope', '--', process.execPath, '-e', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('keyway run: no key "demo/nope" (see `keyway key ls`)\n');
    const file = join(dir, 'never.json');
    const cfg = await kw.run([
      ...['client', 'config', '--for', 'cursor', '--stdio', 'x', '--env', 'X=demo/nope'],
      ...['--install', '--config', file, '--', process.execPath, '--import', 'tsx', SERVER],
    ]);
    expect(cfg.code).toBe(1);
    expect(cfg.stderr).toContain('no key "demo/nope"');
    expect(await absent(file)).toBe(true);
    const malformed = await kw.run(['run', '--env', 'JUST_A_NAME', '--', 'true']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--env takes VAR=ACCOUNT/KEY');
  });

  it('a command that does not start', async () => {
    for (const extra of [[], ['--restart-on-rotate']]) {
      const r = await kw.run(['run', '--env', 'X=demo/agent', ...extra, '--', '/no/such/program']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('keyway run: cannot start "/no/such/program": no such program\n');
    }
    const file = join(dir, 'cursor.json');
    const original = '{ "mcpServers": {} }\n';
    await writeFile(file, original);
    const cfg = await kw.run([
      ...['client', 'config', '--for', 'cursor', '--stdio', 'x', '--env', 'X=demo/agent'],
      ...['--install', '--config', file, '--', 'no-such-program-keyway-test'],
    ]);
    expect(cfg.code).toBe(1);
    expect(cfg.stderr).toContain('cannot start "no-such-program-keyway-test": not found on PATH');
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('adopt stops when it cannot tell which account a stdio secret belongs to', async () => {
    const file = join(dir, 'claude_desktop_config.json');
    const original = JSON.stringify({
      mcpServers: {
        tool: { command: 'node', args: ['x.js'], env: { SERVICE_TOKEN: 'a9f3c2e1b7d4f6a8' } },
      },
    });
    await writeFile(file, original);
    const names = namesOf(await kw.state());
    const r = await kw.run(['adopt', '--for', 'claude-desktop', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'cannot tell which account the secret at mcpServers.tool.env.SERVICE_TOKEN belongs to; pass --account tool=ACCOUNT',
    );
    expect(r.stderr).not.toContain('a9f3c2e1b7d4f6a8');
    expect(await readFile(file, 'utf8')).toBe(original);
    expect(namesOf(await kw.state())).toEqual(names);
  });
});
