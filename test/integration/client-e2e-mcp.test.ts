// End to end: what `keyway client config --install` wrote is all a real MCP client needs. The
// Claude Desktop entry is launched as Claude would (stdio: its command and args — the bridge);
// the Cursor entry is used as Cursor would (Streamable HTTP: its url and headers). Both call the
// sandbox vendor's tools through the proxy, with the vendor key Keyway holds.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { KeyView } from '../../src/shared/contract';
import { startSandboxKeyway, type SandboxKeyway } from '../fixtures/keyway-sandbox';
import { tempDataDir } from '../support/keyway-process';

let kw: SandboxKeyway;
let dir: string;
let vendorKeyId: string | null;

beforeAll(async () => {
  kw = await startSandboxKeyway();
  dir = await tempDataDir('keyway-client-e2e-');
  const keys = await kw.json<KeyView[]>(['key', 'ls']);
  vendorKeyId = keys.find((k) => k.ref === 'demo/agent')?.version?.vendorKeyId ?? null;
  for (const name of ['desktop', 'cursor']) {
    expect((await kw.run(['client', 'add', name, '--connection', 'demo'])).code).toBe(0);
  }
});
afterAll(async () => {
  await kw?.stop();
});

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}

async function useTools(client: Client): Promise<void> {
  const tools = await client.listTools();
  expect(tools.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whoami', 'echo']));
  const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
    vendor: string;
    keyId: string;
  };
  expect(who.vendor).toBe('quave');
  expect(vendorKeyId).not.toBeNull();
  // The sandbox adds the generation of the key's secret (#1 until Quave regenerates it).
  expect(who.keyId.split('#')[0]).toBe(vendorKeyId);
  const echo = await client.callTool({ name: 'echo', arguments: { text: 'through Keyway' } });
  expect(textOf(echo)).toBe('through Keyway');
}

it('Claude Desktop: the installed stdio entry runs the bridge to the proxy', async () => {
  const file = join(dir, 'claude_desktop_config.json');
  const r = await kw.run([
    'client',
    'config',
    'desktop',
    '--for',
    'claude-desktop',
    '--install',
    '--config',
    file,
  ]);
  expect(r.code, r.stderr).toBe(0);
  const config = JSON.parse(await readFile(file, 'utf8')) as {
    mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
  };
  const entry = config.mcpServers.demo!;
  // Exactly what Claude Desktop does with it: spawn command + args, with its own environment.
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env: { ...getDefaultEnvironment(), ...entry.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'claude-desktop-e2e', version: '1.0.0' });
  await client.connect(transport);
  try {
    await useTools(client);
  } finally {
    await client.close();
  }
  expect(stderr).toBe('');
});

it('Cursor: the installed url and headers reach the proxy over Streamable HTTP', async () => {
  const file = join(dir, 'mcp.json');
  const r = await kw.run([
    'client',
    'config',
    'cursor',
    '--for',
    'cursor',
    '--install',
    '--config',
    file,
  ]);
  expect(r.code, r.stderr).toBe(0);
  const config = JSON.parse(await readFile(file, 'utf8')) as {
    mcpServers: Record<string, { url: string; headers: Record<string, string> }>;
  };
  const entry = config.mcpServers.demo!;
  expect(entry.url).toBe(kw.demo?.url);
  const transport = new StreamableHTTPClientTransport(new URL(entry.url), {
    requestInit: { headers: entry.headers },
  });
  const client = new Client({ name: 'cursor-e2e', version: '1.0.0' });
  await client.connect(transport);
  try {
    await useTools(client);
  } finally {
    await client.close();
  }
});
