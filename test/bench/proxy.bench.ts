// Proxy overhead, measured the way a user would feel it: the same SDK client calls the sandbox
// vendor directly and through the Keyway proxy, alternating, in one run. The vendor and the proxy
// each run in a process of their own (as the vendor and `keyway serve` do); the clients run here.
// Run: npx tsx test/bench/proxy.bench.ts
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const ROOT = resolve(import.meta.dirname, '../..');
const moduleUrl = (path: string): string => JSON.stringify(pathToFileURL(resolve(ROOT, path)).href);
const VENDOR_KEY = 'vendor-bench-secret-0123456789';
const TOKEN = 'keyway-bench-local-token-0123456789';

const VENDOR_CHILD = `
const { startUpstream } = await import(${moduleUrl('test/support/mcp-upstream.ts')});
const up = await startUpstream();
up.keys.set(${JSON.stringify(VENDOR_KEY)}, { keyId: 'key-bench', label: 'bench' });
up.seen.push = () => 0; // no header log: it would grow for the whole run
console.log(JSON.stringify({ url: up.url }));
`;

const PROXY_CHILD = `
import { createServer } from 'node:http';
const { createMcpProxy } = await import(process.env.BENCH_PROXY_MODULE);
const upstream = new URL(process.env.BENCH_UPSTREAM);
let port = 0;
const proxy = createMcpProxy({
  route: (slug) => ({ slug, upstream, transport: 'streamable-http', auth: { header: 'Authorization', prefix: 'Bearer ' } }),
  currentKey: async () => ({ versionId: 'v1', secret: ${JSON.stringify(VENDOR_KEY)} }),
  authenticate: (_slug, token) => (token === ${JSON.stringify(TOKEN)} ? { client: 'bench' } : undefined),
  onKeyRefused() {},
  onRequestDone() {},
  onClientSession() {},
}, { allowedHosts: () => ['127.0.0.1:' + port] });
const server = createServer((req, res) => proxy.handle(req, res, 'bench'));
server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  console.log(JSON.stringify({ url: 'http://127.0.0.1:' + port + '/mcp/bench' }));
});
`;

// For scale: the cheapest possible Node hop (pipe both ways, swap the header, nothing else).
// What Keyway costs beyond this floor is its own overhead; the floor is the price of a process hop.
const BARE_HOP_CHILD = `
import http, { createServer } from 'node:http';
const upstream = new URL(process.env.BENCH_UPSTREAM);
const agent = new http.Agent({ keepAlive: true });
const server = createServer((req, res) => {
  const headers = { ...req.headers, authorization: 'Bearer ${VENDOR_KEY}', host: upstream.host };
  const up = http.request(upstream, { method: req.method, headers, agent }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  req.pipe(up);
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port + '/mcp/bench' }));
});
`;

type Mode = 'direct' | 'keyway' | 'bareHop';
const MODES: Mode[] = ['direct', 'keyway', 'bareHop'];

const children: ChildProcess[] = [];

/** `tsx` only for the vendor (test support code); the proxy runs bundled, as it ships. */
async function startChild(
  code: string,
  env: Record<string, string> = {},
  tsx = false,
): Promise<string> {
  const loader = tsx ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) return (JSON.parse(line) as { url: string }).url;
  throw new Error('a bench process exited before it was ready');
}

async function connect(url: string, auth: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: auth } },
  });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const echo = (client: Client) => client.callTool({ name: 'echo', arguments: { text: 'bench' } });
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Sequential calls, one per mode in turn, so load from elsewhere hits every mode alike. */
async function latency(
  clients: Record<Mode, Client>,
  calls: number,
): Promise<Record<Mode, number>> {
  const times: Record<Mode, number[]> = { direct: [], keyway: [], bareHop: [] };
  for (let i = 0; i < calls; i++) {
    for (const mode of MODES) {
      const t0 = performance.now();
      await echo(clients[mode]);
      times[mode].push(performance.now() - t0);
    }
  }
  return {
    direct: median(times.direct),
    keyway: median(times.keyway),
    bareHop: median(times.bareHop),
  };
}

async function throughput(clients: Client[], ms: number): Promise<number> {
  let calls = 0;
  const until = performance.now() + ms;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < until) {
        await echo(client);
        calls++;
      }
    }),
  );
  return (calls / ms) * 1000;
}

async function throughputs(
  urls: Record<Mode, string>,
  sessions: number,
): Promise<Record<Mode, number>> {
  const auth: Record<Mode, string> = {
    direct: `Bearer ${VENDOR_KEY}`,
    keyway: `Bearer ${TOKEN}`,
    bareHop: 'Bearer x',
  };
  const pools = {} as Record<Mode, Client[]>;
  for (const mode of MODES) {
    pools[mode] = await Promise.all(
      Array.from({ length: sessions }, () => connect(urls[mode], auth[mode])),
    );
    await throughput(pools[mode], 300);
  }
  const runs: Record<Mode, number[]> = { direct: [], keyway: [], bareHop: [] };
  for (let round = 0; round < 6; round++) {
    for (const mode of MODES) runs[mode].push(await throughput(pools[mode], 700));
  }
  await Promise.all(MODES.flatMap((mode) => pools[mode].map((c) => c.close())));
  return {
    direct: median(runs.direct),
    keyway: median(runs.keyway),
    bareHop: median(runs.bareHop),
  };
}

/** Spawn → first tools/list answer, speaking raw JSON-RPC lines to the bridge. */
async function bridgeStartup(bundle: string, proxyUrl: string, runs: number): Promise<number> {
  const times: number[] = [];
  const base = new URL(proxyUrl).origin;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bundle, 'bench', '--url', base], {
      env: { ...process.env, KEYWAY_TOKEN: TOKEN, NODE_OPTIONS: '' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const send = (m: object) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    });
    for await (const line of createInterface({ input: child.stdout })) {
      const id = (JSON.parse(line) as { id?: number }).id;
      if (id === 0) {
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      } else if (id === 1) break;
    }
    times.push(performance.now() - t0);
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
  }
  return median(times);
}

/**
 * The code under test, bundled the way the build ships it (one ESM file, no tsx loader: its
 * keepNames wrappers alone cost the proxy measurable CPU per request).
 */
async function bundles(
  dir: string,
): Promise<{ proxy: string; bridge: string; bridgeNote: string }> {
  const { build } = await import('esbuild');
  const bundle = async (entry: string, out: string): Promise<string> => {
    const outfile = join(dir, out);
    const options = { bundle: true, platform: 'node', format: 'esm', target: 'node22' } as const;
    await build({ ...options, entryPoints: [resolve(ROOT, entry)], outfile });
    return outfile;
  };
  const proxy = await bundle('src/main/core/proxy/index.ts', 'proxy.mjs');
  const built = resolve(ROOT, 'out/node/bridge.js');
  if (existsSync(built))
    return { proxy, bridge: built, bridgeNote: 'out/node/bridge.js (the build)' };
  return {
    proxy,
    bridge: await bundle('src/cli/bridge-main.ts', 'bridge.mjs'),
    bridgeNote:
      'NOTE: out/node/bridge.js is not built; measured a temporary esbuild bundle of src/cli/bridge-main.ts',
  };
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

async function main(dir: string): Promise<void> {
  const built = await bundles(dir);
  const vendorUrl = await startChild(VENDOR_CHILD, {}, true);
  const proxyModule = pathToFileURL(built.proxy).href;
  const urls: Record<Mode, string> = {
    direct: vendorUrl,
    keyway: await startChild(PROXY_CHILD, {
      BENCH_UPSTREAM: vendorUrl,
      BENCH_PROXY_MODULE: proxyModule,
    }),
    bareHop: await startChild(BARE_HOP_CHILD, { BENCH_UPSTREAM: vendorUrl }),
  };
  const clients: Record<Mode, Client> = {
    direct: await connect(urls.direct, `Bearer ${VENDOR_KEY}`),
    keyway: await connect(urls.keyway, `Bearer ${TOKEN}`),
    bareHop: await connect(urls.bareHop, 'Bearer x'),
  };
  await latency(clients, 200); // warm-up
  const lat = await latency(clients, 1500);
  await Promise.all(MODES.map((mode) => clients[mode].close()));
  const latRatio = lat.keyway / lat.direct;
  console.log('Keyway proxy bench: the same calls directly and through the proxy, alternating');
  console.log(
    `  sequential tools/call p50: direct ${fmt(lat.direct, 3)} ms, through Keyway ${fmt(lat.keyway, 3)} ms → ratio ${fmt(latRatio)} (target ≤ 1.10: ${verdict(latRatio <= 1.1)})`,
  );
  console.log(
    `    bare Node hop for scale: ${fmt(lat.bareHop, 3)} ms → ratio ${fmt(lat.bareHop / lat.direct)}; Keyway's own cost above it: ${fmt((lat.keyway - lat.bareHop) * 1000, 0)} µs`,
  );
  for (const sessions of [8, 32]) {
    const tp = await throughputs(urls, sessions);
    const ratio = tp.keyway / tp.direct;
    console.log(
      `  throughput, ${sessions} sessions: direct ${fmt(tp.direct, 0)} calls/s, through Keyway ${fmt(tp.keyway, 0)} calls/s → ratio ${fmt(ratio)} (target ≥ 0.90: ${verdict(ratio >= 0.9)})`,
    );
    console.log(
      `    bare Node hop for scale: ${fmt(tp.bareHop, 0)} calls/s → ratio ${fmt(tp.bareHop / tp.direct)}`,
    );
  }
  await bridgeStartup(built.bridge, urls.keyway, 2); // warm the file cache
  const startup = await bridgeStartup(built.bridge, urls.keyway, 15);
  console.log(
    `  bridge spawn → first tools/list answer, median of 15: ${fmt(startup, 1)} ms (target ≤ 200 ms: ${verdict(startup <= 200)})`,
  );
  console.log(`    bridge: ${built.bridgeNote}; proxy: esbuild bundle of src/main/core/proxy`);
}

const work = await mkdtemp(join(tmpdir(), 'keyway-proxy-bench-'));
try {
  await main(work);
} finally {
  for (const child of children) child.kill();
  await rm(work, { recursive: true, force: true });
}
