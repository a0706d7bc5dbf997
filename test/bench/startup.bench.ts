// Start-up and footprint of the product as shipped (issue 24): how long `keyway --version`,
// `keyway --help`, `keyway key ls` (against a running instance) and `keyway serve` (spawn → ready
// line) take against a bare `node -e 0` started in the same rounds, and what an idle `keyway
// serve` holds (RSS, CPU per second) beside a bare Node HTTP server. The rounds alternate the
// commands, and each ratio is the median of per-round ratios, so load from other processes on
// the machine falls on both sides of a ratio. Needs `npm run build` and a keychain (npm run bench
// runs it under scripts/with-keyring.sh). BENCH_QUICK=1: fewer rounds.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { children, cpuMs, rssKiB, startVendor, VENDOR_KEY } from './proxy-bench-peers';
import { runCliOnce, spawnServe, startServeInstance } from './serve-peer';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 5 : 15;
// An idle instance is measured after 10 s: V8 runs one memory-reducing GC some 6-8 s after start
// (20-30 ms of CPU, and the RSS it frees); before it, neither figure is the idle steady state.
const SETTLE_MS = 10_000;
const IDLE_CPU_MS = QUICK ? 5000 : 10_000;

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

function nodeRun(args: string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      stdio: 'ignore',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    child.once('exit', (code) => done(code ?? -1));
  });
}

/** A bare Node HTTP server on loopback, the footprint floor for any server in Node. */
async function bareServer(): Promise<{ pid: number; stop: () => void }> {
  const code = `require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', () => console.log('ready'));`;
  const child = spawn(process.execPath, ['-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  for await (const _line of createInterface({ input: child.stdout })) break;
  return { pid: child.pid ?? 0, stop: () => child.kill() };
}

async function main(work: string): Promise<void> {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(
    `Keyway start-up and footprint bench (load average at start: ${load()}; 2 cores shared)`,
  );
  const vendor = await startVendor();
  const running = await startServeInstance(vendor.url, VENDOR_KEY);
  const serveDir = join(work, 'serve');

  type Step = 'node' | 'version' | 'help' | 'key ls' | 'serve';
  const steps: Record<Step, () => Promise<unknown>> = {
    node: () => nodeRun(['-e', '0']),
    version: () => runCliOnce(['--version'], running.dataDir),
    help: () => runCliOnce(['--help'], running.dataDir),
    'key ls': () => runCliOnce(['key', 'ls'], running.dataDir),
    serve: async () => {
      const { child } = await spawnServe(serveDir);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
  const names = Object.keys(steps) as Step[];
  for (const name of names) await steps[name](); // warm the file cache and the keychain
  const rounds: Record<Step, number>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = {} as Record<Step, number>;
    // Rotate the order each round, so no command always runs right after another.
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      round[name] = await timed(steps[name]);
    }
    rounds.push(round);
  }
  const ms = (s: Step) => median(rounds.map((r) => r[s]));
  const ratio = (s: Step) => median(rounds.map((r) => r[s] / r.node));
  console.log(`  bare \`node -e 0\`: ${fmt(ms('node'), 1)} ms (median of ${ROUNDS} rounds)`);
  const targets: [Step, string, number][] = [
    ['version', 'keyway --version', 1.6],
    ['help', 'keyway --help', 1.6],
    ['key ls', 'keyway key ls (running instance)', 3],
    ['serve', 'keyway serve → ready line', 5],
  ];
  for (const [step, label, target] of targets) {
    const x = ratio(step);
    console.log(
      `  ${label}: ${fmt(ms(step), 1)} ms, ×${fmt(x)} node -e 0 (median of per-round ratios; target ≤ ${target}: ${verdict(x <= target)})`,
    );
  }

  // Footprint: a fresh `keyway serve` (no sandbox) that has answered nothing yet, then the same
  // after its first proxied call; a bare Node HTTP server beside it.
  const bare = await bareServer();
  const { child: idle } = await spawnServe(join(work, 'idle'));
  await sleep(SETTLE_MS);
  const idleRss = rssKiB(idle.pid ?? 0) / 1024;
  const bareRss = rssKiB(bare.pid) / 1024;
  const before = cpuMs(idle.pid ?? 0);
  const t0 = performance.now();
  await sleep(IDLE_CPU_MS);
  const idleCpu = (cpuMs(idle.pid ?? 0) - before) / ((performance.now() - t0) / 1000);
  idle.kill('SIGTERM');
  bare.stop();
  console.log(
    `  keyway serve idle RSS (no sandbox, before any request): ${fmt(idleRss, 1)} MiB; bare Node HTTP server ${fmt(bareRss, 1)} MiB, ×${fmt(idleRss / bareRss)} (target ≤ 55 MiB: ${verdict(idleRss <= 55)})`,
  );
  console.log(
    `  keyway serve idle CPU over ${IDLE_CPU_MS / 1000} s: ${fmt(idleCpu, 3)} ms per second (target ≤ 0.1: ${verdict(idleCpu <= 0.1)}; /proc ticks are 10 ms, so 0 means under one tick)`,
  );
  const transport = new StreamableHTTPClientTransport(new URL(running.url), {
    requestInit: { headers: { Authorization: `Bearer ${running.token}` } },
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  await client.callTool({ name: 'echo', arguments: { text: 'bench' } });
  await client.close();
  await sleep(SETTLE_MS);
  console.log(
    `  keyway serve RSS after its first proxied session: ${fmt(rssKiB(running.pid) / 1024, 1)} MiB`,
  );
  console.log(`  load average at end: ${load()}`);
  await running.stop();
}

const work = await mkdtemp(join(tmpdir(), 'keyway-startup-bench-'));
try {
  await main(work);
} finally {
  for (const child of children) child.kill();
  await rm(work, { recursive: true, force: true });
}
