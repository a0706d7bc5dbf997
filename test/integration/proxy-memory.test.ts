// A 5 MB tool result streams through the proxy without the proxy holding it: the proxy runs in
// a child process of its own (so the test's client and the vendor do not blur the figure) and
// samples its own memory while the result passes.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { numberedLines } from '../../src/sandbox/mcp/index';
import type { TestUpstream } from '../support/mcp-upstream';
import { connectClient, startUpstream, textOf } from '../support/mcp-upstream';

const PROXY_MODULE = pathToFileURL(
  resolve(import.meta.dirname, '../../src/main/core/proxy/index.ts'),
).href;
const TOKEN = 'memory-test-token-0123456789';
const MB = 1024 * 1024;

// The child: the real proxy, a fixed in-memory backend, and a memory sampler answering over IPC.
const CHILD = `
import { createServer } from 'node:http';
const { createMcpProxy } = await import(${JSON.stringify(PROXY_MODULE)});
const [upstream, token] = JSON.parse(process.env.PROXY_CHILD_ARGS);
let port = 0;
const proxy = createMcpProxy({
  route: (slug) => ({ slug, upstream: new URL(upstream), transport: 'streamable-http', auth: { header: 'Authorization', prefix: 'Bearer ' } }),
  currentKey: async () => ({ versionId: 'v1', secret: 'vendor-secret-mem', origin: new URL(upstream).origin }),
  authenticate: (_slug, t) => (t === token ? { client: 'memory' } : undefined),
  onKeyRefused() {},
  onRequestDone() {},
  onClientSession() {},
}, { allowedHosts: () => ['127.0.0.1:' + port] });
const server = createServer((req, res) => proxy.handle(req, res, 'qyvo'));
server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  process.send({ port });
});
const used = () => { const m = process.memoryUsage(); return { rss: m.rss, heap: m.heapUsed + m.external }; };
let base = used();
let peak = { ...base };
// A young-generation collection before each sample: what is measured is what the proxy holds,
// not chunks it already passed on and the collector has not swept yet.
setInterval(() => {
  globalThis.gc({ type: 'minor' });
  const now = used();
  peak.rss = Math.max(peak.rss, now.rss);
  peak.heap = Math.max(peak.heap, now.heap);
}, 2).unref();
process.on('message', (msg) => {
  if (msg === 'baseline') { globalThis.gc(); globalThis.gc(); base = used(); peak = { ...base }; process.send({ base }); }
  if (msg === 'report') process.send({ grew: { rss: peak.rss - base.rss, heap: peak.heap - base.heap } });
  if (msg === 'exit') process.exit(0);
});
`;

let up: TestUpstream;
let child: ChildProcess;
let proxyUrl = '';

function ask<T>(message: string): Promise<T> {
  return new Promise((resolveAnswer) => {
    child.once('message', (answer) => resolveAnswer(answer as T));
    child.send(message);
  });
}

beforeAll(async () => {
  up = await startUpstream();
  up.keys.set('vendor-secret-mem', { keyId: 'key-mem', label: 'mem' });
  child = spawn(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', '--input-type=module', '-e', CHILD],
    {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, NODE_OPTIONS: '', PROXY_CHILD_ARGS: JSON.stringify([up.url, TOKEN]) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const { port } = await new Promise<{ port: number }>((resolveReady, reject) => {
    child.once('message', (m) => resolveReady(m as { port: number }));
    child.once('exit', (code) => reject(new Error(`the proxy child exited early (${code})`)));
  });
  proxyUrl = `http://127.0.0.1:${port}/mcp/qyvo`;
});

afterAll(async () => {
  child.send('exit');
  await new Promise((r) => child.once('exit', r));
  await up.close();
});

it('streams a 5 MB tool result intact while the proxy grows by less than 20 MB', async () => {
  const { client } = await connectClient(proxyUrl, TOKEN);
  // Warm up the paths (JIT, socket buffers) so the baseline is the steady state.
  expect(
    textOf(await client.callTool({ name: 'big', arguments: { bytes: 256 * 1024 } })),
  ).toHaveLength(256 * 1024);
  await ask('baseline');
  const bytes = 5 * MB;
  const result = await client.callTool({ name: 'big', arguments: { bytes } });
  const { grew } = await ask<{ grew: { rss: number; heap: number } }>('report');
  const text = textOf(result);
  expect(text.length).toBe(bytes);
  expect(text === numberedLines(bytes)).toBe(true);
  console.log(
    `proxy memory growth while a 5 MB result passed: rss ${(grew.rss / MB).toFixed(1)} MB, heap+buffers ${(grew.heap / MB).toFixed(1)} MB`,
  );
  expect(grew.heap).toBeLessThan(20 * MB);
  expect(grew.rss).toBeLessThan(20 * MB);
  await client.close();
});
