// `keyway bridge` as a stdio-only AI client runs it: an SDK Client over StdioClientTransport
// spawns the bridge, which talks Streamable HTTP to the real proxy in front of the sandbox vendor.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ElicitRequestSchema,
  ProgressNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { TestProxy, TestUpstream } from '../support/mcp-upstream';
import {
  bridgeArgs,
  MemoryBackend,
  startProxy,
  startUpstream,
  textOf,
} from '../support/mcp-upstream';

const ROOT = resolve(import.meta.dirname, '../..');
const BRIDGE = bridgeArgs();
const TOKEN = 'bridge-integration-token-0123456789';
let up: TestUpstream;
let px: TestProxy;

beforeAll(async () => {
  up = await startUpstream();
  up.keys.set('vendor-secret-stdio', { keyId: 'key-stdio', label: 'stdio' });
  const backend = new MemoryBackend();
  backend.addRoute('qyvo', up.url, { versionId: 'v1', secret: 'vendor-secret-stdio' });
  backend.tokens.set(TOKEN, { client: 'claude-desktop', slug: 'qyvo' });
  px = await startProxy(backend);
});

afterAll(async () => {
  await px.close();
  await up.close();
});

it('carries a stdio client through the proxy: tools, progress and elicitation', async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...BRIDGE, 'qyvo', '--url', `http://127.0.0.1:${px.port}`],
    env: { ...getDefaultEnvironment(), KEYWAY_TOKEN: TOKEN },
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client(
    { name: 'stdio-client', version: '1.0.0' },
    { capabilities: { elicitation: {} } },
  );
  client.setRequestHandler(ElicitRequestSchema, () => ({
    action: 'accept',
    content: { answer: 'production' },
  }));
  await client.connect(transport);
  const tools = await client.listTools();
  expect(tools.tools.map((t) => t.name)).toContain('whoami');
  const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
    keyId: string;
  };
  expect(who.keyId).toBe('key-stdio');
  // Every progress line the bridge relays, seen at the notification level: the SDK's own
  // onprogress callback may miss the last one when it lands in the same stdout read as the
  // answer (its handler is retired synchronously, notifications are handled a microtask later).
  const progress: number[] = [];
  client.setNotificationHandler(ProgressNotificationSchema, (n) => {
    progress.push(n.params.progress);
  });
  const slow = await client.callTool(
    { name: 'slow', arguments: { steps: 3, delayMs: 20 } },
    undefined,
    {
      onprogress: () => undefined,
    },
  );
  expect(textOf(slow)).toBe('completed 3 steps');
  await expect.poll(() => progress).toEqual([1, 2, 3]);
  const asked = JSON.parse(
    textOf(await client.callTool({ name: 'ask', arguments: { question: 'Env?' } })),
  ) as {
    answer: string;
  };
  expect(asked.answer).toBe('production');
  await client.close();
  expect(stderr).toBe('');
  // The vendor saw its key, never the local token.
  expect(up.seen.every((s) => s.headers.authorization === 'Bearer vendor-secret-stdio')).toBe(true);
});

it('exits 1 quickly with one line on stderr when the proxy is down', async () => {
  const free = createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
  const port = (free.address() as { port: number }).port;
  await new Promise((r) => free.close(r));
  const started = Date.now();
  const child = spawn(process.execPath, [...BRIDGE, 'qyvo', '--url', `http://127.0.0.1:${port}`], {
    cwd: ROOT,
    env: { ...process.env, KEYWAY_TOKEN: TOKEN, NODE_OPTIONS: '' },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  // Even with stdin left open (a client waiting), the bridge must not hang.
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code).toBe(1);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(stderr).toBe(
    `keyway bridge: cannot reach the Keyway proxy at http://127.0.0.1:${port} (ECONNREFUSED); is Keyway running?\n`,
  );
  expect(stdout).toBe('');
});
