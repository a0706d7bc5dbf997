// Proxy overhead, measured the way a user would feel it: the same SDK client calls the sandbox
// vendor directly, through nginx (one native hop setting Authorization: the floor for any
// separate proxy process), through the bare Node hop (test/bench/node-hop: Node's http server and
// undici with nothing else, the floor for a proxy built on Node) and through the Keyway proxy,
// alternating, in one run. The vendor, nginx and each proxy run in a process of their own (as the
// vendor and `keyway serve` do). `keyway serve` itself (the built CLI, set up through the CLI: its
// real routing, token check, key read and traffic history) runs beside them and is compared with
// the bare Node hop (issue 24's goals for the product as shipped).
// Every path is warmed up first (the proxy runs all day: its steady state is what counts), and
// each figure is the median of per-round ratios, the rounds alternating the paths.
// Run: npx tsx test/bench/proxy.bench.ts   (BENCH_PROFILE=1 also prints the proxy's CPU profile,
// BENCH_PROFILE_KEEP=file keeps it; BENCH_PROXY_SRC=dir bundles the proxy from another checkout's
// src/main/core/proxy, for a before; test/bench/proxy-builds.ts compares builds head to head.)
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  children,
  cpuMs,
  ROOT,
  rssKiB,
  startKeyway,
  startNginx,
  startVendor,
  TOKEN,
  topOfProfile,
  VENDOR_KEY,
} from './proxy-bench-peers';
import { startServeInstance } from './serve-peer';

type Mode = 'direct' | 'nginx' | 'node' | 'keyway' | 'serve';
/** BENCH_QUICK=1: fewer, shorter rounds (a minute or two), for a first look; the figures are noisier. */
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 3 : 7;
const CALLS_PER_ROUND = QUICK ? 100 : 300;
const SESSIONS = 8;
const IDLE_STEP = QUICK ? 50 : 100;
const IDLE_STEPS = QUICK ? 3 : 5;
const WARM_UP_MS = QUICK ? 1000 : 2000;
const ROUND_MS = 700;

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

/** One round of sequential calls, the modes interleaved call by call. */
async function latencyRound(clients: Map<Mode, Client>, calls: number): Promise<Map<Mode, number>> {
  const times = new Map<Mode, number[]>([...clients.keys()].map((m) => [m, []]));
  for (let i = 0; i < calls; i++) {
    for (const [mode, client] of clients) {
      const t0 = performance.now();
      await echo(client);
      times.get(mode)!.push(performance.now() - t0);
    }
  }
  return new Map([...times].map(([m, xs]) => [m, median(xs)]));
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
  return calls;
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
): Promise<{ proxy: string; nodeHop: string; bridge: string; note: string }> {
  const { build } = await import('esbuild');
  const bundle = async (entry: string, out: string): Promise<string> => {
    const outfile = join(dir, out);
    // undici is CommonJS: its require()s of Node built-ins need a real require in an ESM bundle.
    const banner = {
      js: "import { createRequire as bannerCreateRequire } from 'node:module'; const require = bannerCreateRequire(import.meta.url);",
    };
    const options = {
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      banner,
    } as const;
    await build({ ...options, entryPoints: [entry], outfile });
    return outfile;
  };
  const src = process.env.BENCH_PROXY_SRC ?? resolve(ROOT, 'src/main/core/proxy');
  const proxy = await bundle(join(src, 'index.ts'), 'proxy.mjs');
  const nodeHop = await bundle(resolve(ROOT, 'test/bench/node-hop/index.ts'), 'node-hop.mjs');
  const built = resolve(ROOT, 'out/node/bridge.js');
  if (existsSync(built))
    return { proxy, nodeHop, bridge: built, note: 'out/node/bridge.js (the build)' };
  return {
    proxy,
    nodeHop,
    bridge: await bundle(resolve(ROOT, 'src/cli/bridge-main.ts'), 'bridge.mjs'),
    note: 'NOTE: out/node/bridge.js is not built; measured an esbuild bundle of src/cli/bridge-main.ts',
  };
}

/** Least-squares slope of kib over n. */
function slope(points: { n: number; kib: number }[]): number {
  const mean = (f: (p: { n: number; kib: number }) => number): number =>
    points.reduce((sum, p) => sum + f(p), 0) / points.length;
  const n0 = mean((p) => p.n);
  const k0 = mean((p) => p.kib);
  return mean((p) => (p.n - n0) * (p.kib - k0)) / mean((p) => (p.n - n0) ** 2);
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

let stopServe: (() => Promise<void>) | undefined;

async function main(dir: string): Promise<void> {
  const built = await bundles(dir);
  const profileDir = process.env.BENCH_PROFILE ? join(dir, 'profile') : undefined;
  // (keyway serve's own profile goes to profile/serve: it is the product's per-call cost.)
  const vendor = await startVendor();
  const keyway = await startKeyway(vendor.url, pathToFileURL(built.proxy).href, profileDir);
  const nodeHop = await startKeyway(vendor.url, pathToFileURL(built.nodeHop).href);
  const nginx = await startNginx(vendor.url, join(dir, 'nginx'));
  const serveProfileDir = profileDir && join(profileDir, 'serve');
  const serve = await startServeInstance(
    vendor.url,
    VENDOR_KEY,
    serveProfileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${serveProfileDir}` } : {},
  );
  stopServe = () => serve.stop();
  const urls = new Map<Mode, { url: string; auth: string }>([
    ['direct', { url: vendor.url, auth: `Bearer ${VENDOR_KEY}` }],
  ]);
  if ('url' in nginx) urls.set('nginx', { url: nginx.url, auth: 'Bearer unused' });
  urls.set('node', { url: nodeHop.url, auth: 'Bearer unused' });
  urls.set('keyway', { url: keyway.url, auth: `Bearer ${TOKEN}` });
  urls.set('serve', { url: serve.url, auth: `Bearer ${serve.token}` });
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(`Keyway proxy bench (load average at start: ${load}; 2 cores shared)`);
  if ('skipped' in nginx) console.log(`  nginx rows skipped: ${nginx.skipped}`);
  const base: Mode = 'url' in nginx ? 'nginx' : 'direct';

  // Warm-up: the proxy runs all day, so what counts is its steady state, after V8 has optimized
  // the hot path (nginx has no JIT to warm). Two seconds of 8-session traffic per path get there:
  // before, Keyway's first 700 ms round cost about three times its steady CPU per call.
  const pools = new Map<Mode, Client[]>();
  for (const [mode, u] of urls) {
    pools.set(
      mode,
      await Promise.all(Array.from({ length: SESSIONS }, () => connect(u.url, u.auth))),
    );
    await throughput(pools.get(mode)!, WARM_UP_MS);
  }

  // Latency: sequential tools/call, per-round medians, the median of per-round ratios.
  const clients = new Map<Mode, Client>([...pools].map(([mode, pool]) => [mode, pool[0]!]));
  const rounds: Map<Mode, number>[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await latencyRound(clients, CALLS_PER_ROUND));
  const p50 = (mode: Mode): number => median(rounds.map((r) => r.get(mode)!));
  const ratio = (mode: Mode, of: Mode): number =>
    median(rounds.map((r) => r.get(mode)! / r.get(of)!));
  console.log(
    `  sequential tools/call p50 (${ROUNDS} rounds × ${CALLS_PER_ROUND}): direct ${fmt(p50('direct'), 3)} ms` +
      (base === 'nginx' ? `, nginx ${fmt(p50('nginx'), 3)} ms` : '') +
      `, bare Node hop ${fmt(p50('node'), 3)} ms, Keyway ${fmt(p50('keyway'), 3)} ms, keyway serve ${fmt(p50('serve'), 3)} ms`,
  );
  if (base === 'nginx')
    console.log(
      `    nginx vs direct ×${fmt(ratio('nginx', 'direct'))}; bare Node hop vs ${base} ×${fmt(ratio('node', base))}; Keyway vs direct ×${fmt(ratio('keyway', 'direct'))}, vs bare Node hop ×${fmt(ratio('keyway', 'node'))}`,
    );
  const latRatio = ratio('keyway', base);
  console.log(
    `    Keyway p50 vs ${base}: ×${fmt(latRatio)} (median of per-round ratios; target ≤ 1.10: ${verdict(latRatio <= 1.1)})`,
  );
  const serveLat = ratio('serve', 'node');
  console.log(
    `    keyway serve p50 vs bare Node hop: ×${fmt(serveLat)} (target ≤ 1.10: ${verdict(serveLat <= 1.1)}); proxy module vs bare Node hop ×${fmt(ratio('keyway', 'node'))}`,
  );

  // Throughput with 8 sessions, and the CPU each process spends per call meanwhile, per round.
  const calls = new Map<Mode, number[]>([...urls.keys()].map((m) => [m, []]));
  const cpuPerCall = new Map<Mode, number[]>([
    ['keyway', []],
    ['serve', []],
    ['node', []],
    ['nginx', []],
  ]);
  const pidOf: Partial<Record<Mode, number>> = {
    keyway: keyway.pid,
    node: nodeHop.pid,
    serve: serve.pid,
  };
  if ('pid' in nginx) pidOf.nginx = nginx.pid;
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of urls.keys()) {
      const pid = pidOf[mode];
      const before = pid ? cpuMs(pid) : 0;
      const n = await throughput(pools.get(mode)!, ROUND_MS);
      calls.get(mode)!.push(n);
      if (pid) cpuPerCall.get(mode)?.push((cpuMs(pid) - before) / n);
    }
  }
  await Promise.all([...pools.values()].flat().map((c) => c.close()));
  const rate = (mode: Mode): number => (median(calls.get(mode)!) / ROUND_MS) * 1000;
  const tpOf = (mode: Mode, of: Mode): number =>
    median(calls.get(mode)!.map((n, r) => n / calls.get(of)![r]!));
  const tpRatio = tpOf('keyway', base);
  console.log(
    `  throughput, ${SESSIONS} sessions: direct ${fmt(rate('direct'), 0)} calls/s` +
      (base === 'nginx' ? `, nginx ${fmt(rate('nginx'), 0)}` : '') +
      `, bare Node hop ${fmt(rate('node'), 0)}, Keyway ${fmt(rate('keyway'), 0)} → Keyway vs ${base} ×${fmt(tpRatio)} (median of per-round ratios; target ≥ 0.90: ${verdict(tpRatio >= 0.9)})`,
  );
  console.log(
    `    bare Node hop vs ${base} ×${fmt(tpOf('node', base))}; Keyway vs bare Node hop ×${fmt(tpOf('keyway', 'node'))}`,
  );
  const serveTp = tpOf('serve', 'node');
  console.log(
    `    keyway serve ${fmt(rate('serve'), 0)} calls/s vs bare Node hop ×${fmt(serveTp)} (target ≥ 0.95: ${verdict(serveTp >= 0.95)})`,
  );
  const perCall = (mode: Mode): number => median(cpuPerCall.get(mode)!);
  const serveCpu = median(
    cpuPerCall.get('serve')!.map((ms, r) => ms / cpuPerCall.get('node')![r]!),
  );
  console.log(
    `  keyway serve CPU per call ${fmt(perCall('serve'), 3)} ms vs bare Node hop ${fmt(perCall('node'), 3)} ms: ×${fmt(serveCpu)} (median of per-round ratios; target ≤ 1.15: ${verdict(serveCpu <= 1.15)})`,
  );
  if (base === 'nginx') {
    const cpuOf = (mode: Mode, of: Mode): number =>
      median(cpuPerCall.get(mode)!.map((ms, r) => ms / cpuPerCall.get(of)![r]!));
    const cpuRatio = cpuOf('keyway', 'nginx');
    console.log(
      `  CPU per call (utime + stime from /proc): nginx ${fmt(perCall('nginx'), 3)} ms, bare Node hop ${fmt(perCall('node'), 3)} ms, Keyway ${fmt(perCall('keyway'), 3)} ms → Keyway vs nginx ×${fmt(cpuRatio)} (median of per-round ratios; target ≤ 2.5: ${verdict(cpuRatio <= 2.5)})`,
      `\n    bare Node hop vs nginx ×${fmt(cpuOf('node', 'nginx'))}; Keyway vs bare Node hop ×${fmt(cpuOf('keyway', 'node'))}`,
    );
  } else {
    console.log(
      `  CPU per call: bare Node hop ${fmt(perCall('node'), 3)} ms, Keyway ${fmt(perCall('keyway'), 3)} ms (no nginx to compare)`,
    );
  }

  // An idle session: what the proxy holds for a connected client that makes no calls. One
  // before/after difference moves by ±20 KiB a session from run to run (V8 grows its heap in
  // pages, malloc keeps freed memory), so sessions are added in steps and the figure is the
  // slope of settled RSS over the steps after the first: the cost of one more idle session.
  const settledRss = async (): Promise<number> => {
    process.kill(keyway.pid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 500));
    return rssKiB(keyway.pid);
  };
  const idle: Client[] = [];
  const points: { n: number; kib: number }[] = [];
  for (let step = 1; step <= IDLE_STEPS; step++) {
    const more = Array.from({ length: IDLE_STEP }, () => connect(keyway.url, `Bearer ${TOKEN}`));
    idle.push(...(await Promise.all(more)));
    points.push({ n: idle.length, kib: await settledRss() });
  }
  const perSession = slope(points);
  console.log(
    `  idle session (with its GET stream), ${IDLE_STEP} to ${idle.length} at once: ${fmt(perSession, 1)} KiB of RSS each (slope over ${IDLE_STEPS} steps; target ≤ 50: ${verdict(perSession <= 50)})`,
  );
  await Promise.all(idle.map((c) => c.close()));

  await bridgeStartup(built.bridge, keyway.url, 2); // warm the file cache
  const startup = await bridgeStartup(built.bridge, keyway.url, 15);
  console.log(
    `  bridge spawn → first tools/list answer, median of 15: ${fmt(startup, 1)} ms (target ≤ 200 ms: ${verdict(startup <= 200)})`,
  );
  console.log(
    `    bridge: ${built.note}; proxy: esbuild bundle of ${process.env.BENCH_PROXY_SRC ?? 'src/main/core/proxy'}`,
  );
  console.log(
    `  load average at end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  if (profileDir) {
    const keywayChild = children.find((c) => c.pid === keyway.pid);
    keywayChild?.kill('SIGINT');
    await new Promise((r) => keywayChild?.once('exit', r));
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file && process.env.BENCH_PROFILE_KEEP)
      copyFileSync(join(profileDir, file), process.env.BENCH_PROFILE_KEEP);
    if (file) {
      console.log('  Keyway CPU profile, top self time (share of busy time):');
      for (const line of topOfProfile(join(profileDir, file))) console.log(`    ${line}`);
    }
    // keyway serve writes its profile as it exits.
    if (serveProfileDir) {
      serve.child.kill('SIGTERM');
      await new Promise((r) => serve.child.once('exit', r));
      const served = readdirSync(serveProfileDir).find((f) => f.endsWith('.cpuprofile'));
      if (served && process.env.BENCH_PROFILE_KEEP)
        copyFileSync(join(serveProfileDir, served), `${process.env.BENCH_PROFILE_KEEP}.serve`);
      if (served) {
        console.log('  keyway serve CPU profile, top self time (share of busy time):');
        for (const line of topOfProfile(join(serveProfileDir, served), 20))
          console.log(`    ${line}`);
      }
    }
  }
}

// Inside the checkout (.tmp/ is ignored by git): the bundles load undici, which the proxy requires
// lazily at run time, from the checkout's node_modules.
await mkdir(join(ROOT, '.tmp'), { recursive: true });
const work = await mkdtemp(join(ROOT, '.tmp', 'keyway-proxy-bench-'));
try {
  await main(work);
} finally {
  for (const child of children) child.kill();
  await stopServe?.();
  await rm(work, { recursive: true, force: true });
}
