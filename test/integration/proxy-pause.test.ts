import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlToken,
  runKeyway,
  startServe,
  tempDataDir,
  type ServeProcess,
} from '../support/keyway-process';
import { controlCall } from '../support/ui-serve';
import type { ReadyLine } from '../support/sandbox-admin';
import { initializeThroughProxy } from '../support/mcp-initialize';

let serve: ServeProcess;
let dataDir: string;
let demo: NonNullable<NonNullable<ReadyLine['sandbox']>['demo']>;

beforeAll(async () => {
  dataDir = await tempDataDir('keyway-pause-');
  serve = await startServe({ dataDir, args: ['--sandbox'] });
  demo = (JSON.parse(serve.output().stdout.split('\n')[0]!) as ReadyLine).sandbox!.demo!;
});
afterAll(async () => {
  await serve.stop();
});

/** A raw MCP initialize through the proxy, as any client's first request. */
const initialize = () => initializeThroughProxy(demo.url, demo.token);

describe('pausing the proxy', () => {
  it('refuses clients with 503 while paused, and forwards again once resumed', async () => {
    expect((await initialize()).status).toBe(200);

    const paused = await runKeyway(['proxy', 'pause', '--json'], { dataDir });
    expect(paused.code, paused.stderr).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ proxy: { paused: true, running: false } });
    const refused = await initialize();
    expect(refused.status).toBe(503);
    expect(await refused.text()).toMatch(/paused/);

    const resumed = await runKeyway(['proxy', 'resume'], { dataDir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/proxy running/);
    expect((await initialize()).status).toBe(200);

    const audit = JSON.parse(
      (await runKeyway(['audit', '--event', 'proxy', '--json'], { dataDir })).stdout,
    ) as Array<{ event: string }>;
    expect(audit.map((e) => e.event)).toEqual(['proxy.paused', 'proxy.resumed']);
  });
});

describe('requests Keyway refuses itself', () => {
  it('are counted by cause in the traffic history, as in the connection counters', async () => {
    const call = <N extends Parameters<typeof controlCall>[2]>(
      name: N,
      input: Parameters<typeof controlCall<N>>[3],
    ) => controlCall(serve.url, controlToken(serve.ui), name, input);
    const before = (await call('traffic.history', {})).connections.find((c) => c.name === 'demo');
    const statsBefore = (await call('connection.stats', {})).connections.demo;

    await call('proxy.setPaused', { paused: true });
    expect((await initialize()).status).toBe(503);
    expect((await initialize()).status).toBe(503);
    await call('proxy.setPaused', { paused: false });
    expect((await initializeThroughProxy(demo.url, 'kwc_not-a-client-token')).status).toBe(401);

    const after = (await call('traffic.history', {})).connections.find((c) => c.name === 'demo');
    const statsAfter = (await call('connection.stats', {})).connections.demo;
    expect(after?.refused).toEqual({
      paused: (before?.refused.paused ?? 0) + 2,
      token: (before?.refused.token ?? 0) + 1,
      'no-key': before?.refused['no-key'] ?? 0,
    });
    // The overview's numbers and Connections' counters move together.
    expect((after?.requests ?? 0) - (before?.requests ?? 0)).toBe(3);
    expect((after?.errors ?? 0) - (before?.errors ?? 0)).toBe(3);
    expect((statsAfter?.requests ?? 0) - (statsBefore?.requests ?? 0)).toBe(3);
    expect((statsAfter?.errors ?? 0) - (statsBefore?.errors ?? 0)).toBe(3);
    const client = (await call('traffic.history', {})).clients.find((c) => c.name === demo.client);
    expect(client?.refused.paused).toBeGreaterThanOrEqual(2);
  });
});
