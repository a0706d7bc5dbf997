// `keyway run --restart-on-rotate` under a real MCP SDK stdio client: the key is rotated by API
// while the client calls a tool in a loop and one slow call is in flight. The session must not
// notice: no failed call, answers from a new process with the new key, the slow call completes on
// the old process, which is gone within 10 s; the key is on no process's command line.
import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as Client2026 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransport2026 } from '@modelcontextprotocol/client/stdio';
import type { KeyView } from '../../src/shared/contract';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { secretNames } from '../../src/main/core/keychain/secret-store';
import { KEYWAY_BIN } from '../support/keyway-process';
import { startSandboxKeyway, type SandboxKeyway } from '../fixtures/keyway-sandbox';

// Each test starts several CLI processes and MCP sessions; a loaded 2-core CI machine is slow.
vi.setConfig({ testTimeout: 180_000 });

const SERVER = resolve(import.meta.dirname, '../fixtures/mcp/key-echo-server.ts');
const SERVER_2026 = resolve(import.meta.dirname, '../fixtures/mcp/key-echo-server-2026.ts');

/** `keyway run --restart-on-rotate` around a stdio server that reads its key from QUAVE_KEY. */
const runArgs = (server: string): string[] => [
  KEYWAY_BIN,
  'run',
  '--env',
  'QUAVE_KEY=demo/agent',
  '--restart-on-rotate',
  '--data-dir',
  kw.dataDir,
  '--',
  process.execPath,
  '--import',
  'tsx',
  server,
  'QUAVE_KEY',
];
let kw: SandboxKeyway;

beforeAll(async () => {
  kw = await startSandboxKeyway();
});
afterAll(async () => {
  await kw?.stop();
});

interface Who {
  fingerprint: string;
  pid: number;
}

function who(result: unknown): Who {
  const content = (result as { content?: Array<{ text?: string }> }).content ?? [];
  return JSON.parse(content.map((c) => c.text ?? '').join('')) as Who;
}

/** Calls whoami in a loop until stopped; a failed call is what the user would see. */
function whoamiLoop(call: () => Promise<unknown>) {
  let stopped = false;
  const state = {
    answers: [] as Who[],
    failures: 0,
    calls: 0,
    stop: () => {
      stopped = true;
      return running;
    },
  };
  const running = (async () => {
    while (!stopped) {
      try {
        state.answers.push(who(await call()));
      } catch {
        state.failures++;
      }
      state.calls++;
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return state;
}

async function currentVersion(): Promise<{ id: string; fingerprint: string }> {
  const keys = await kw.json<KeyView[]>(['key', 'ls']);
  const v = keys.find((k) => k.ref === 'demo/agent')?.version;
  if (!v) throw new Error('demo/agent has no version');
  return v;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process's command line, as anyone on the machine can read it. */
async function allCommandLines(): Promise<string> {
  const out: string[] = [];
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    out.push(await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => ''));
  }
  return out.join('\n');
}

it('moves a stdio MCP server to the rotated key without the client noticing', async () => {
  const v0 = await currentVersion();
  const secret0 = await new OsKeychain().get(secretNames.keyVersion(v0.id));
  expect(secret0).toBeTruthy();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: runArgs(SERVER),
    env: process.env as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'run-rotation', version: '1.0.0' });
  await client.connect(transport);
  const runPid = transport.pid!;
  let newPid: number | undefined;
  try {
    const first = who(await client.callTool({ name: 'whoami', arguments: {} }));
    expect(first.fingerprint).toBe(v0.fingerprint);
    expect(await allCommandLines()).not.toContain(secret0);

    // The instance knows this run holds v0, so the rotation's drain will wait for it.
    const { api } = await (
      await import('../../src/cli/control-client')
    ).connectToRunning(kw.dataDir);
    expect((await api['run.list']({})).some((r) => r.versions.includes(v0.id))).toBe(true);

    let slowDoneAt = 0;
    const slow = client
      .callTool({ name: 'slow', arguments: { ms: 4_000 } })
      .finally(() => (slowDoneAt = Date.now()));
    const loop = whoamiLoop(() => client.callTool({ name: 'whoami', arguments: {} }));
    const { answers } = loop;
    const rotated = await kw.json<{ steps: Array<{ step: string; ok: boolean }> }>([
      'key',
      'rotate',
      'demo/agent',
    ]);
    const rotatedAt = Date.now();
    expect(rotated.steps.find((s) => s.step === 'drain')?.ok).toBe(true);
    const v1 = await currentVersion();
    expect(v1.fingerprint).not.toBe(v0.fingerprint);

    const slowAnswer = who(await slow);
    // The old key was revoked only after the old process finished what it had started.
    expect(slowDoneAt).toBeLessThanOrEqual(rotatedAt);
    expect(slowAnswer).toEqual({ ...first, variable: 'QUAVE_KEY' });
    // A few more calls after the rotation, then stop the loop.
    const seen = answers.length;
    while (answers.length < seen + 5) await new Promise((r) => setTimeout(r, 25));
    await loop.stop();

    expect(loop.failures).toBe(0);
    expect(loop.calls).toBeGreaterThan(10);
    const last = answers.at(-1)!;
    expect(last.fingerprint).toBe(v1.fingerprint);
    expect(last.pid).not.toBe(first.pid);
    newPid = last.pid;
    // The old server is stopped once it finished the slow call (bounded).
    while (alive(first.pid) && Date.now() - rotatedAt < 10_000)
      await new Promise((r) => setTimeout(r, 100));
    expect(alive(first.pid)).toBe(false);
    expect((await api['run.list']({})).find((r) => r.versions.includes(v1.id))?.versions).toEqual([
      v1.id,
    ]);
    const secret1 = await new OsKeychain().get(secretNames.keyVersion(v1.id));
    const cmdlines = await allCommandLines();
    expect(cmdlines).not.toContain(secret0);
    expect(cmdlines).not.toContain(secret1);
    expect(stderr).toContain('moved to the new key');
  } finally {
    await client.close();
  }
  // Closing the session ends `keyway run` and its server: nothing is left behind.
  const closedAt = Date.now();
  while ((alive(runPid) || (newPid && alive(newPid))) && Date.now() - closedAt < 10_000)
    await new Promise((r) => setTimeout(r, 100));
  expect(alive(runPid)).toBe(false);
  expect(newPid).toBeDefined();
  expect(alive(newPid)).toBe(false);
});

it('hot-swaps a stdio server that speaks only MCP 2026-07-28 under a 2026 client: no failed call, the new process has the new key', async () => {
  const v0 = await currentVersion();
  const transport = new StdioTransport2026({
    command: process.execPath,
    args: runArgs(SERVER_2026),
    env: process.env as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // Pinned: a connection that fell back to initialize would fail here, not pass unnoticed.
  const client = new Client2026(
    { name: 'run-rotation-2026', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(transport);
  try {
    expect(client.getProtocolEra()).toBe('modern');
    const first = who(await client.callTool({ name: 'whoami', arguments: {} }));
    expect(first.fingerprint).toBe(v0.fingerprint);
    const loop = whoamiLoop(() => client.callTool({ name: 'whoami', arguments: {} }));
    const { answers } = loop;
    const rotated = await kw.json<{ steps: Array<{ step: string; ok: boolean }> }>([
      'key',
      'rotate',
      'demo/agent',
    ]);
    expect(rotated.steps.every((s) => s.ok)).toBe(true);
    const v1 = await currentVersion();
    expect(v1.fingerprint).not.toBe(v0.fingerprint);
    const seen = answers.length;
    while (answers.length < seen + 5) await new Promise((r) => setTimeout(r, 25));
    await loop.stop();

    expect(loop.failures).toBe(0);
    const last = answers.at(-1)!;
    expect(last.fingerprint).toBe(v1.fingerprint);
    expect(last.pid).not.toBe(first.pid);
    const restarted = Date.now();
    while (alive(first.pid) && Date.now() - restarted < 10_000)
      await new Promise((r) => setTimeout(r, 100));
    expect(alive(first.pid)).toBe(false);
    expect(stderr).toContain('moved to the new key');
  } finally {
    await client.close();
  }
});
