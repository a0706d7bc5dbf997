import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeyway, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
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
