// Faster than direct over a realistic network (issue 24): the vendor is behind TLS (a local CA
// the bench makes) and a relay that delays each direction by 20 ms. The same SDK client calls
// it directly (trusting the CA, as NODE_EXTRA_CA_CERTS would make it) and through `keyway serve`
// (which gets NODE_EXTRA_CA_CERTS), alternating. Figures, each the median of per-round ratios:
// - the first call of a new client session (a fresh client with its own connections: connect,
//   initialize, one tools/call), after 10 s with no traffic, as an agent starting up meets it;
// - steady-state sequential p50 on warm sessions;
// - throughput of 8 concurrent sessions.
// Run twice: a vendor that offers HTTP/1.1 only, then one that offers HTTP/2 (Keyway's upstream
// pool then speaks h2 to it; the direct client, like most agents' fetch, speaks HTTP/1.1).
// Needs `npm run build`, openssl and a keychain (npm run bench provides it). BENCH_QUICK=1: fewer rounds.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { children } from './proxy-bench-peers';
import { makeCa, NET_KEY, startRemoteVendor } from './network-peers';
import { startServeInstance } from './serve-peer';

const QUICK = process.env.BENCH_QUICK === '1';
const DELAY_MS = 20;
const IDLE_MS = 10_000;
const FIRST_CALL_ROUNDS = QUICK ? 3 : 7;
const ROUNDS = QUICK ? 3 : 7;
const CALLS_PER_ROUND = QUICK ? 20 : 50;
const SESSIONS = 8;
const ROUND_MS = QUICK ? 1500 : 3000;

type Path = 'direct' | 'keyway';
interface Session {
  client: Client;
  close(): Promise<void>;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const echo = (c: Client) => c.callTool({ name: 'echo', arguments: { text: 'bench' } });

/** A new client session with connections of its own, like a freshly started agent. */
async function session(url: string, auth: string, ca?: Buffer): Promise<Session> {
  const agent = new Agent(ca ? { connect: { ca } } : {});
  const fetch = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as FetchLike;
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: auth } },
    fetch,
  });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
      await agent.close();
    },
  };
}

async function main(work: string, h2: boolean): Promise<void> {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(
    `Keyway over a realistic network: TLS, ${DELAY_MS} ms each way, the vendor offering ${h2 ? 'HTTP/2 (and HTTP/1.1)' : 'HTTP/1.1'}; clients speak HTTP/1.1 (load average at start: ${load()}; 2 cores shared)`,
  );
  const tls = makeCa(work);
  const ca = await readFile(tls.ca);
  const vendor = await startRemoteVendor(tls, DELAY_MS, { h2 });
  const serve = await startServeInstance(vendor.url, NET_KEY, { NODE_EXTRA_CA_CERTS: tls.ca });
  try {
    const paths: Record<Path, () => Promise<Session>> = {
      direct: () => session(vendor.url, `Bearer ${NET_KEY}`, ca),
      keyway: () => session(serve.url, `Bearer ${serve.token}`),
    };
    for (const p of ['direct', 'keyway'] as Path[]) await (await paths[p]()).close(); // warm

    // First call of a new session after 10 s idle; the order alternates between rounds.
    const first: Record<Path, number>[] = [];
    for (let r = 0; r < FIRST_CALL_ROUNDS; r++) {
      const order: Path[] = r % 2 ? ['keyway', 'direct'] : ['direct', 'keyway'];
      const round = {} as Record<Path, number>;
      for (const p of order) {
        await sleep(IDLE_MS);
        const t0 = performance.now();
        const s = await paths[p]();
        await echo(s.client);
        round[p] = performance.now() - t0;
        await s.close();
      }
      first.push(round);
    }
    const firstRatio = median(first.map((r) => r.keyway / r.direct));
    console.log(
      `  first call of a new session after ${IDLE_MS / 1000} s idle (connect + initialize + tools/call, ${FIRST_CALL_ROUNDS} rounds): direct ${fmt(median(first.map((r) => r.direct)), 1)} ms, through keyway serve ${fmt(median(first.map((r) => r.keyway)), 1)} ms → ×${fmt(firstRatio)} (target ≤ 0.60: ${verdict(firstRatio <= 0.6)})`,
    );

    // Steady state: warm sessions, sequential calls interleaved call by call.
    const warm = { direct: await paths.direct(), keyway: await paths.keyway() };
    const lat: Record<Path, number>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const times: Record<Path, number[]> = { direct: [], keyway: [] };
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        for (const p of ['direct', 'keyway'] as Path[]) {
          const t0 = performance.now();
          await echo(warm[p].client);
          times[p].push(performance.now() - t0);
        }
      }
      lat.push({ direct: median(times.direct), keyway: median(times.keyway) });
    }
    await warm.direct.close();
    await warm.keyway.close();
    const latRatio = median(lat.map((r) => r.keyway / r.direct));
    console.log(
      `  steady sequential tools/call p50 (${ROUNDS} rounds × ${CALLS_PER_ROUND}): direct ${fmt(median(lat.map((r) => r.direct)), 1)} ms, keyway serve ${fmt(median(lat.map((r) => r.keyway)), 1)} ms → ×${fmt(latRatio)} (target ≤ 1.02: ${verdict(latRatio <= 1.02)})`,
    );

    // Throughput: 8 concurrent sessions per path, alternating rounds.
    const pools: Record<Path, Session[]> = {
      direct: await Promise.all(Array.from({ length: SESSIONS }, () => paths.direct())),
      keyway: await Promise.all(Array.from({ length: SESSIONS }, () => paths.keyway())),
    };
    const calls: Record<Path, number>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round = {} as Record<Path, number>;
      for (const p of ['direct', 'keyway'] as Path[]) {
        let n = 0;
        const until = performance.now() + ROUND_MS;
        await Promise.all(
          pools[p].map(async (s) => {
            while (performance.now() < until) {
              await echo(s.client);
              n++;
            }
          }),
        );
        round[p] = n;
      }
      calls.push(round);
    }
    await Promise.all([...pools.direct, ...pools.keyway].map((s) => s.close()));
    const tpRatio = median(calls.map((r) => r.keyway / r.direct));
    const rate = (p: Path) => (median(calls.map((r) => r[p])) / ROUND_MS) * 1000;
    console.log(
      `  throughput, ${SESSIONS} sessions: direct ${fmt(rate('direct'), 0)} calls/s, keyway serve ${fmt(rate('keyway'), 0)} → ×${fmt(tpRatio)} (target ≥ 1.00: ${verdict(tpRatio >= 1)})`,
    );
    console.log(`  load average at end: ${load()}`);
  } finally {
    await serve.stop();
  }
}

// BENCH_H2=0 or 1: only that variant; both by default.
const variants = process.env.BENCH_H2 ? [process.env.BENCH_H2 === '1'] : [false, true];
for (const h2 of variants) {
  const work = await mkdtemp(join(tmpdir(), 'keyway-network-bench-'));
  try {
    await main(work, h2);
  } finally {
    for (const child of children.splice(0)) child.kill();
    await rm(work, { recursive: true, force: true });
  }
}
