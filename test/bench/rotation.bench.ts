// Rotation speed, measured as a user would feel it, in one run of `keyway serve`. The sandbox
// vendors run in a process of their own, as a real vendor does not share Keyway's event loop:
//  1. Under load: 8 MCP SDK sessions call tools through the proxy while the key is rotated again
//     and again; their p99 latency during the rotation windows over their p99 in the stretch
//     just before each rotation (target ≤ 1.5), for per-request and for key-bound vendor sessions.
//  2. The wall time of a rotation (mint → revoke, drain excluded: the sum of those steps' ms),
//     median of 20, next to a bare Quave create + delete round trip through the adapter.
// Run: bash scripts/with-keyring.sh npx tsx test/bench/rotation.bench.ts   (after npm run build)
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { KeyChange } from '../../src/shared/contract';
import { quaveAdapter } from '../../src/main/core/vendors/quave';
import { createMcpKey, deleteMcpKey } from '../../src/main/core/vendors/quave-api';
import { startServe, tempDataDir } from '../support/keyway-process';
import {
  ControlApi,
  sandboxKeyOver,
  sandboxSwitches,
  setUpQuave,
  type QuaveAt,
  type QuaveSetup,
} from '../support/rotation-harness';
import { McpLoad, percentile } from '../support/rotation-load';

const SESSIONS = 8;
const LOAD_ROTATIONS = 10;
/** The stretch before each rotation whose calls are the baseline. */
const QUIET_MS = 800;
const TIMED_ROTATIONS = 20;
const TIMED_STEPS = new Set(['mint', 'store', 'verify', 'swap', 'revoke']);

const SANDBOX_CHILD = `
const { startSandbox } = await import(${JSON.stringify(
  pathToFileURL(resolve(import.meta.dirname, '../../src/sandbox/index.ts')).href,
)});
const sb = await startSandbox();
console.log(JSON.stringify({ apiUrl: sb.vendors.quave.apiUrl, mcpUrl: sb.vendors.quave.mcpUrl }));
`;

async function startSandboxProcess(): Promise<{ child: ChildProcess; quave: QuaveAt }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', SANDBOX_CHILD],
    { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout }))
    return { child, quave: JSON.parse(line) as QuaveAt };
  throw new Error('the sandbox process exited before it was ready');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => percentile(xs, 50);
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

async function rotateTimed(api: ControlApi, ref: string): Promise<{ from: number; to: number }> {
  const from = Date.now();
  const change = await api.call<KeyChange>('key.rotate', { ref });
  if (!change.steps.every((s) => s.ok))
    throw new Error(`a rotation step failed: ${JSON.stringify(change.steps)}`);
  return { from, to: Date.now() };
}

/**
 * Calls that overlapped a rotation window, against calls in the quiet stretch just before each
 * rotation: pooled over the rotations, so drifting load from elsewhere hits both sides alike.
 */
async function underLoad(api: ControlApi, demo: QuaveSetup) {
  const load = await McpLoad.open(demo.url, demo.token, SESSIONS);
  load.start();
  await sleep(2000); // warm-up: connections, JIT
  await rotateTimed(api, demo.ref); // first-use costs (module loads, JIT) are not a rotation's
  const windows: Array<{ from: number; to: number }> = [];
  for (let i = 0; i < LOAD_ROTATIONS; i++) {
    await sleep(QUIET_MS);
    windows.push(await rotateTimed(api, demo.ref));
  }
  await load.close();
  if (load.failures.length > 0)
    throw new Error(`${load.failures.length} call(s) failed: ${load.failures[0]?.error}`);
  const before = load.records.filter((r) =>
    windows.some((w) => r.startedAt >= w.from - QUIET_MS + 100 && r.endedAt < w.from),
  );
  const during = load.records.filter((r) =>
    windows.some((w) => r.startedAt <= w.to && r.endedAt >= w.from),
  );
  const p99Before = percentile(
    before.map((r) => r.ms),
    99,
  );
  const p99During = percentile(
    during.map((r) => r.ms),
    99,
  );
  const windowMs = median(windows.map((w) => w.to - w.from));
  return { p99Before, p99During, nBefore: before.length, nDuring: during.length, windowMs };
}

async function bareRoundTrips(quave: QuaveAt, n: number) {
  // A user token of its own (jane): a second token for johndoe would replace Keyway's credential.
  const secret = await sandboxKeyOver(quave.apiUrl, { kind: 'user-token', user: 'jane' });
  const ep = { ...quave, auth: quaveAdapter.defaultAuth };
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const created = await createMcpKey(ep, secret, {
      name: `bench-${i}`,
      enabledScopes: ['quave:read'],
      returnSecret: true,
    });
    await deleteMcpKey(ep, secret, created.key.keyId);
    times.push(performance.now() - t0);
  }
  return times;
}

async function main(): Promise<void> {
  const dataDir = await tempDataDir('keyway-rotation-bench-');
  const sandbox = await startSandboxProcess();
  const serve = await startServe({ dataDir, env: { KEYWAY_DRAIN_MS: '5000' } });
  try {
    const { quave } = sandbox;
    const origin = new URL(quave.apiUrl).origin;
    const demo = await setUpQuave(dataDir, quave);
    const api = ControlApi.fromUi(serve.url, serve.ui);
    console.log(
      `rotation bench — ${cpus().length} cores, Node ${process.version}, keyway serve + sandbox Quave in its own process, ${SESSIONS} MCP sessions`,
    );

    for (const bound of [false, true]) {
      await sandboxSwitches(origin, { boundSessions: bound });
      const r = await underLoad(api, demo);
      const ratio = r.p99During / r.p99Before;
      console.log(
        `under load, ${bound ? 'key-bound sessions ' : 'per-request sessions'}: p99 before ${fmt(r.p99Before)} (n=${r.nBefore}), ` +
          `p99 during rotation ${fmt(r.p99During)} (n=${r.nDuring}, ${LOAD_ROTATIONS} rotations, window median ${fmt(r.windowMs)}) ` +
          `→ ratio ${ratio.toFixed(2)} (target ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'})`,
      );
    }
    await sandboxSwitches(origin, { boundSessions: false });

    const walls: number[] = [];
    const drains: number[] = [];
    const perStep: Record<string, number[]> = {};
    for (let i = 0; i < TIMED_ROTATIONS; i++) {
      const change = await api.call<KeyChange>('key.rotate', { ref: demo.ref });
      walls.push(change.steps.filter((s) => TIMED_STEPS.has(s.step)).reduce((t, s) => t + s.ms, 0));
      drains.push(change.steps.find((s) => s.step === 'drain')?.ms ?? 0);
      for (const s of change.steps) (perStep[s.step] ??= []).push(s.ms);
    }
    const bare = await bareRoundTrips(quave, TIMED_ROTATIONS);
    const rotation = median(walls);
    const trip = median(bare);
    console.log(
      `rotation wall time (mint → revoke, drain excluded), median of ${TIMED_ROTATIONS}: ${fmt(rotation)} (min ${fmt(Math.min(...walls))}, max ${fmt(Math.max(...walls))}; drain median ${fmt(median(drains))})`,
    );
    const breakdown = Object.entries(perStep).map(([step, ms]) => `${step} ${median(ms)}`);
    console.log(`  median ms per step: ${breakdown.join(', ')}`);
    console.log(
      `bare Quave create + delete round trip (adapter, same run): first ${fmt(bare[0]!)}, median of ${TIMED_ROTATIONS} ${fmt(trip)}`,
    );
    console.log(`rotation / bare round trip: ${(rotation / trip).toFixed(1)}×`);
  } finally {
    await serve.stop();
    sandbox.child.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
