import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { runKeyway, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';

let sb: Sandbox;
let serve: ServeProcess;
let dataDir: string;

beforeAll(async () => {
  sb = await startSandbox();
  dataDir = await tempDataDir('keyway-create-timeout-');
  serve = await startServe({ dataDir, env: { KEYWAY_SCHEDULER_MS: '300' } });
  const credential = sb.dashboard.createKey('quave', { kind: 'user-token' }).secret;
  const q = sb.vendors.quave;
  const r = await runKeyway(
    [
      'account',
      'add',
      'team',
      '--vendor',
      'quave',
      '--api-url',
      q.apiUrl,
      '--mcp-url',
      q.mcpUrl,
      '--credential-stdin',
    ],
    { dataDir, stdin: credential },
  );
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await serve.stop();
  await sb.close();
});

async function journal(): Promise<unknown[]> {
  const doc = JSON.parse(await readFile(join(dataDir, 'keyway-store.json'), 'utf8')) as {
    rotations: unknown[];
  };
  return doc.rotations;
}

describe('key create when the vendor never answers the mint', () => {
  it('fails as "unavailable", creates nothing in Keyway, and the scheduler clears its journal entry', async () => {
    const before = sb.dashboard.keys('quave').length;
    sb.setSwitches('quave', { timeoutNext: 1 });
    const r = await runKeyway(['key', 'create', 'team/agent', '--scope', 'quave:read'], {
      dataDir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/half-made key/);
    const ls = await runKeyway(['key', 'ls', '--json'], { dataDir });
    expect(JSON.parse(ls.stdout)).toEqual([]);
    // The entry is handed to the scheduler, which looks for a key under the journaled name.
    const deadline = Date.now() + 15_000;
    while ((await journal()).length > 0 && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 200));
    expect(await journal()).toEqual([]);
    expect(sb.dashboard.keys('quave').filter((k) => k.live).length).toBe(before);
    // And the account works normally afterwards.
    const again = await runKeyway(['key', 'create', 'team/agent', '--scope', 'quave:read'], {
      dataDir,
    });
    expect(again.code, again.stderr).toBe(0);
  }, 60_000);
});
