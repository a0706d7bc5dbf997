// `keyway adopt`: a Claude Desktop config with two stdio servers holding keys in env, and a
// Cursor config with a remote server holding a bearer header. --dry-run changes nothing; the real
// run leaves no secret in either file, and both clients still reach their servers — now through
// Keyway (`keyway run` for the stdio ones, the proxy for the remote one).
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { findSecrets, tempDataDir } from '../support/keyway-process';
import {
  namesOf,
  sandboxKey,
  startSandboxKeyway,
  type SandboxKeyway,
} from '../fixtures/keyway-sandbox';

// Each test starts several CLI processes and MCP sessions; a loaded 2-core CI machine is slow.
vi.setConfig({ testTimeout: 180_000 });

const SERVER = resolve(import.meta.dirname, '../fixtures/mcp/key-echo-server.ts');
let kw: SandboxKeyway;
let dir: string;
const secrets: Record<'qyvo' | 'qwoty' | 'remote', string> = { qyvo: '', qwoty: '', remote: '' };

beforeAll(async () => {
  kw = await startSandboxKeyway();
  dir = await tempDataDir('keyway-adopt-');
  for (const vendor of ['qyvo', 'qwoty'] as const) {
    const v = kw.vendors[vendor];
    const r = await kw.run([
      ...['account', 'add', `my-${vendor}`, '--vendor', vendor],
      ...['--api-url', v.apiUrl, '--mcp-url', v.mcpUrl],
    ]);
    expect(r.code, r.stderr).toBe(0);
    secrets[vendor] = (await sandboxKey(v)).secret;
  }
  // The remote server is one Keyway has no account for yet (Specivo's MCP endpoint).
  secrets.remote = (await sandboxKey(kw.vendors.specivo)).secret;
});
afterAll(async () => {
  await kw?.stop();
});

const fp = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 8);

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}

async function writeConfigs(): Promise<{ desktop: string; cursor: string }> {
  const desktop = join(dir, 'claude_desktop_config.json');
  const cursor = join(dir, 'mcp.json');
  const stdio = (variable: string, secret: string) => ({
    command: process.execPath,
    args: ['--import', 'tsx', SERVER, variable],
    env: { [variable]: secret, LOG_LEVEL: 'debug' },
  });
  await writeFile(
    desktop,
    JSON.stringify(
      {
        mcpServers: {
          'qyvo-tools': stdio('QYVO_API_KEY', secrets.qyvo),
          notes: stdio('NOTES_TOKEN', secrets.qwoty),
        },
        globalShortcut: 'Alt+Space',
      },
      null,
      2,
    ) + '\n',
  );
  await writeFile(
    cursor,
    JSON.stringify(
      {
        mcpServers: {
          specs: {
            url: kw.vendors.specivo.mcpUrl,
            headers: { Authorization: `Bearer ${secrets.remote}` },
          },
          local: { command: 'npx', args: ['-y', 'some-server'] },
        },
      },
      null,
      2,
    ) + '\n',
  );
  return { desktop, cursor };
}

let desktop = '';
let cursor = '';
let before = { desktop: '', cursor: '' };
let after = { desktop: '', cursor: '' };
const outputs: string[] = [];

it('--dry-run prints the plan and changes nothing', async () => {
  ({ desktop, cursor } = await writeConfigs());
  before = { desktop: await readFile(desktop, 'utf8'), cursor: await readFile(cursor, 'utf8') };
  const names = namesOf(await kw.state());

  // --dry-run: the plan, and nothing created or written.
  for (const [kind, file] of [
    ['claude-desktop', desktop],
    ['cursor', cursor],
  ] as const) {
    const r = await kw.run(['adopt', '--for', kind, '--config', file, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    outputs.push(r.stdout, r.stderr);
  }
  expect(outputs[0]).toContain('mcpServers.qyvo-tools.env.QYVO_API_KEY → key my-qyvo/');
  expect(outputs[0]).toContain('mcpServers.notes.env.NOTES_TOKEN → key my-qwoty/');
  expect(outputs[2]).toContain(
    'mcpServers.specs.headers.Authorization → key specs/specs (new account specs)',
  );
  expect(await readFile(desktop, 'utf8')).toBe(before.desktop);
  expect(await readFile(cursor, 'utf8')).toBe(before.cursor);
  expect(namesOf(await kw.state())).toEqual(names);
});

it('moves the secrets into the keychain: no secret left in either file', async () => {
  for (const [kind, file] of [
    ['claude-desktop', desktop],
    ['cursor', cursor],
  ] as const) {
    const r = await kw.run(['adopt', '--for', kind, '--config', file]);
    expect(r.code, r.stderr).toBe(0);
    outputs.push(r.stdout, r.stderr);
  }
  after = {
    desktop: await readFile(desktop, 'utf8'),
    cursor: await readFile(cursor, 'utf8'),
  };
  for (const s of Object.values(secrets)) {
    expect(after.desktop).not.toContain(s);
    expect(after.cursor).not.toContain(s);
  }
  // The old files are kept as backups, but without the secrets that moved: each names its key.
  const backups = {
    desktop: await readFile(`${desktop}.keyway-backup`, 'utf8'),
    cursor: await readFile(`${cursor}.keyway-backup`, 'utf8'),
  };
  for (const s of Object.values(secrets)) {
    expect(backups.desktop).not.toContain(s);
    expect(backups.cursor).not.toContain(s);
  }
  const keyOf = (account: string): string =>
    new RegExp(`moved-to-keyway:(${account}/[\\w.-]+)`).exec(backups.desktop)?.[1] ?? '';
  const qyvoKey = keyOf('my-qyvo');
  const qwotyKey = keyOf('my-qwoty');
  expect(backups.desktop).toBe(
    before.desktop
      .replace(secrets.qyvo, `moved-to-keyway:${qyvoKey}`)
      .replace(secrets.qwoty, `moved-to-keyway:${qwotyKey}`),
  );
  expect(backups.cursor).toBe(before.cursor.replace(secrets.remote, 'moved-to-keyway:specs/specs'));
  // Adopt says they were in plaintext, names them and how to rotate each.
  const applied = outputs.slice(-4).join('');
  expect(applied).toContain('these secrets were in plaintext in');
  expect(applied).toContain(
    `${qyvoKey}: make a new key in the vendor's dashboard, then \`keyway key rotate ${qyvoKey} --secret-stdin\``,
  );
  expect(applied).toContain('specs/specs: make a new key');
  // The data directory and every output hold no secret.
  expect(await findSecrets(kw.dataDir, outputs, Object.values(secrets))).toEqual([]);
});

it('Claude Desktop: each stdio server, started from the file, gets its key through keyway run', async () => {
  // Claude Desktop: each stdio entry, spawned as Claude would, gets its key from the keychain.
  const config = JSON.parse(after.desktop) as {
    mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
    globalShortcut: string;
  };
  expect(config.globalShortcut).toBe('Alt+Space');
  for (const [name, secret] of [
    ['qyvo-tools', secrets.qyvo],
    ['notes', secrets.qwoty],
  ] as const) {
    const e = config.mcpServers[name]!;
    expect(e.args).toContain('run');
    expect(e.env).toEqual({ LOG_LEVEL: 'debug' });
    const client = new Client({ name: 'desktop-adopted', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: e.command,
        args: e.args,
        env: { ...(process.env as Record<string, string>), ...e.env },
        stderr: 'pipe',
      }),
    );
    try {
      const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
        fingerprint: string;
      };
      expect(who.fingerprint).toBe(fp(secret));
    } finally {
      await client.close();
    }
  }
});

it('Cursor: the remote entry now points at the proxy with a local token, and still works', async () => {
  const cur = JSON.parse(after.cursor) as {
    mcpServers: Record<string, { url: string; headers: Record<string, string> }>;
  };
  const specs = cur.mcpServers.specs!;
  expect(specs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp\/specs$/);
  expect(specs.headers.Authorization).toMatch(/^Bearer kwc_/);
  expect(cur.mcpServers.local).toEqual({ command: 'npx', args: ['-y', 'some-server'] });
  const client = new Client({ name: 'cursor-adopted', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(specs.url), {
      requestInit: { headers: specs.headers },
    }),
  );
  try {
    const tools = await client.listTools();
    expect(tools.tools.length).toBeGreaterThan(0);
  } finally {
    await client.close();
  }
});
