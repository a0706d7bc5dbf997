// The bridge pump against a real proxy and sandbox vendor on loopback, driven through in-memory
// stdio streams (the spawned entry and its arguments: bridge-main.test.ts).
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestProxy, TestUpstream } from '../../test/support/mcp-upstream';
import { MemoryBackend, startProxy, startUpstream } from '../../test/support/mcp-upstream';
import { bridgeEndpoint, runBridge } from './bridge';

const TOKEN = 'bridge-unit-token-0123456789abcdef';
let up: TestUpstream;
let px: TestProxy;
let base = '';

beforeAll(async () => {
  up = await startUpstream();
  up.keys.set('vendor-secret-bridge', { keyId: 'key-bridge', label: 'bridge' });
  const backend = new MemoryBackend();
  backend.addRoute('qyvo', up.url, { versionId: 'v1', secret: 'vendor-secret-bridge' });
  backend.tokens.set(TOKEN, { client: 'stdio-client', slug: 'qyvo' });
  px = await startProxy(backend);
  base = `http://127.0.0.1:${px.port}`;
});

afterAll(async () => {
  await px.close();
  await up.close();
});

interface Pipes {
  stdin: PassThrough;
  stdout: PassThrough;
  stderr: PassThrough;
  lines: unknown[];
  errText: () => string;
  next: (predicate: (m: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
}

function pipes(): Pipes {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  let err = '';
  let buffered = '';
  stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    stdin,
    stdout,
    stderr,
    lines,
    errText: () => err,
    next: async (predicate) => {
      await expect.poll(() => lines.some(predicate), { timeout: 5000 }).toBe(true);
      return lines.find(predicate) ?? {};
    },
  };
}

const send = (p: Pipes, message: object): void =>
  void p.stdin.write(`${JSON.stringify(message)}\n`);
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'pipe', version: '1' },
  },
};

describe('runBridge', () => {
  it('pumps JSON-RPC lines both ways and ends the session when stdin ends', async () => {
    const p = pipes();
    const exit = runBridge({
      url: base,
      slug: 'qyvo',
      token: TOKEN,
      stdin: p.stdin,
      stdout: p.stdout,
      stderr: p.stderr,
    });
    send(p, INITIALIZE);
    const init = await p.next((m) => m.id === 0);
    expect((init.result as { serverInfo: { name: string } }).serverInfo.name).toBe('qyvo-sandbox');
    send(p, { jsonrpc: '2.0', method: 'notifications/initialized' });
    send(p, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {} },
    });
    const who = await p.next((m) => m.id === 1);
    const text = (who.result as { content: { text: string }[] }).content[0]?.text ?? '';
    expect(JSON.parse(text)).toMatchObject({ keyId: 'key-bridge' });
    // Progress arrives as its own line, before the answer it belongs to.
    send(p, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'slow', arguments: { steps: 2, delayMs: 5 }, _meta: { progressToken: 'p1' } },
    });
    await p.next((m) => m.id === 2);
    const progress = p.lines.filter(
      (m) => (m as { method?: string }).method === 'notifications/progress',
    );
    expect(progress).toHaveLength(2);
    await expect.poll(() => up.seen.some((s) => s.method === 'GET')).toBe(true);
    const deletesBefore = up.seen.filter((s) => s.method === 'DELETE').length;
    p.stdin.end();
    expect(await exit).toBe(0);
    expect(up.seen.filter((s) => s.method === 'DELETE').length).toBe(deletesBefore + 1);
    expect(p.errText()).toBe('');
  });

  it('answers a request the proxy refuses with a JSON-RPC error, and exits 1 on a bad token', async () => {
    const p = pipes();
    const exit = runBridge({
      url: base,
      slug: 'qyvo',
      token: 'wrong-token',
      stdin: p.stdin,
      stdout: p.stdout,
      stderr: p.stderr,
    });
    send(p, INITIALIZE);
    expect(await exit).toBe(1);
    expect(p.lines).toHaveLength(1);
    expect(p.lines[0]).toMatchObject({
      id: 0,
      error: {
        message: expect.stringMatching(/HTTP 401: The local token is not valid/) as unknown,
      },
    });
    expect(p.errText()).toMatch(/^keyway bridge: Keyway proxy answered HTTP 401: .+\n$/);
    expect(p.errText()).not.toContain('wrong-token');
  });

  it('exits 1 at once with one clear line when the proxy is down', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as { port: number }).port;
    await new Promise((resolve) => free.close(resolve));
    const p = pipes();
    const started = Date.now();
    const code = await runBridge({
      url: `http://127.0.0.1:${port}`,
      slug: 'qyvo',
      token: TOKEN,
      stdin: p.stdin,
      stdout: p.stdout,
      stderr: p.stderr,
    });
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(p.errText()).toBe(
      `keyway bridge: cannot reach the Keyway proxy at http://127.0.0.1:${port} (ECONNREFUSED); is Keyway running?\n`,
    );
  });
});

describe('bridgeEndpoint', () => {
  it('adds /mcp/<slug> to an instance URL and keeps a full MCP URL', () => {
    expect(bridgeEndpoint('http://127.0.0.1:8931', 'my conn').href).toBe(
      'http://127.0.0.1:8931/mcp/my%20conn',
    );
    expect(bridgeEndpoint('http://127.0.0.1:8931/mcp/other', 'x').href).toBe(
      'http://127.0.0.1:8931/mcp/other',
    );
  });
});
