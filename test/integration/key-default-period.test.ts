// "New keys start with this policy": a key created or added without --rotate-every takes the
// default rotation period set in Settings; an explicit period still wins.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { KeyView } from '../../src/shared/contract';
import { startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import { ControlApi, keyway } from '../support/rotation-harness';

let sb: Sandbox;
let dataDir: string;
let serve: ServeProcess;
let api: ControlApi;

beforeAll(async () => {
  sb = await startSandbox();
  dataDir = await tempDataDir('keyway-default-period-');
  serve = await startServe({ dataDir });
  api = ControlApi.fromUi(serve.url, serve.ui);
  const q = sb.vendors.quave;
  await keyway(
    dataDir,
    [
      ...['account', 'add', 'demo', '--vendor', 'quave', '--api-url', q.apiUrl],
      ...['--mcp-url', q.mcpUrl, '--credential-stdin', '--json'],
    ],
    sb.dashboard.createKey('quave', { kind: 'user-token' }).secret,
  );
  const s = sb.vendors.specivo;
  await keyway(dataDir, [
    ...['account', 'add', 'spec', '--vendor', 'specivo', '--api-url', s.apiUrl],
    ...['--mcp-url', s.mcpUrl, '--json'],
  ]);
});

afterAll(async () => {
  await serve.stop();
  await sb.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function period(ref: string): Promise<number | null | undefined> {
  return (await api.call<KeyView[]>('key.list')).find((k) => k.ref === ref)?.rotateEvery;
}

describe('the default rotation period from Settings', () => {
  it('is what key create and key add give a key without --rotate-every', async () => {
    await api.call('settings.update', { defaultRotateEvery: 45 });
    await keyway(dataDir, ['key', 'create', 'demo/second', '--scope', 'quave:write:config']);
    expect(await period('demo/second')).toBe(45);
    const pasted = sb.dashboard.createKey('specivo', { name: 'agent', scopes: ['mcp'] }).secret;
    await keyway(dataDir, ['key', 'add', 'spec/agent', '--secret-stdin', '--scope', 'mcp'], pasted);
    expect(await period('spec/agent')).toBe(45);
  });

  it('yields to an explicit period, and to "never" (null) through the API', async () => {
    await keyway(dataDir, ['key', 'create', 'demo/third', '--rotate-every', '7']);
    expect(await period('demo/third')).toBe(7);
    await api.call('key.create', { ref: 'demo/never', rotateEvery: null });
    expect(await period('demo/never')).toBeNull();
  });
});
