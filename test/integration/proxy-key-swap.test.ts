// A key swap under load: eight AI client sessions keep calling while the connection's key is
// swapped, the old key drained and then revoked at the vendor. No call may fail, every call that
// starts after the swap must reach the vendor with the new key, and the clients never notice.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { WATCHED_URI } from '../../src/sandbox/mcp/index';
import type { TestProxy, TestUpstream } from '../support/mcp-upstream';
import {
  connectClient,
  MemoryBackend,
  startProxy,
  startUpstream,
  textOf,
} from '../support/mcp-upstream';

const SESSIONS = 8;
let up: TestUpstream | undefined;
let px: TestProxy | undefined;

afterEach(async () => {
  await px?.close();
  await up?.close();
  px = undefined;
  up = undefined;
});

interface CallRecord {
  startedAt: number;
  keyId: string;
}

async function setup(bound: boolean, transport: 'streamable-http' | 'sse' = 'streamable-http') {
  up = await startUpstream();
  up.bound.value = bound;
  up.keys.set('secret-old', { keyId: 'key-old', label: 'old' });
  up.keys.set('secret-new', { keyId: 'key-new', label: 'new' });
  const backend = new MemoryBackend();
  const upstream = transport === 'sse' ? up.legacyUrl : up.url;
  backend.addRoute('qyvo', upstream, { versionId: 'v-old', secret: 'secret-old' }, { transport });
  for (let i = 0; i < SESSIONS; i++)
    backend.tokens.set(`token-${i}-abcdefgh`, { client: `client-${i}`, slug: 'qyvo' });
  px = await startProxy(backend);
  return { up, px, backend };
}

async function swapUnderLoad(
  bound: boolean,
  transport: 'streamable-http' | 'sse' = 'streamable-http',
) {
  const { up, px, backend } = await setup(bound, transport);
  const sessions = await Promise.all(
    Array.from({ length: SESSIONS }, (_, i) =>
      connectClient(px.url('qyvo'), `token-${i}-abcdefgh`),
    ),
  );
  const records: CallRecord[][] = sessions.map(() => []);
  const failures: unknown[] = [];
  const clientErrors: unknown[] = [];
  const updates = sessions.map(() => 0);
  // Session 0 asked for errors only; the vendor must still honour that after a re-open.
  const logs = sessions.map(() => 0);
  await sessions[0]?.client.setLoggingLevel('error');
  const sessionIds = sessions.map((s) => s.transport.sessionId);
  await Promise.all(
    sessions.map(async ({ client }, i) => {
      client.onerror = (err) => clientErrors.push(err);
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, () => {
        updates[i] = (updates[i] ?? 0) + 1;
      });
      client.setNotificationHandler(LoggingMessageNotificationSchema, () => {
        logs[i] = (logs[i] ?? 0) + 1;
      });
      await client.subscribeResource({ uri: WATCHED_URI });
    }),
  );
  let stop = false;
  const loops = sessions.map(async ({ client }, i) => {
    while (!stop) {
      const startedAt = performance.now();
      try {
        const who = JSON.parse(
          textOf(await client.callTool({ name: 'whoami', arguments: {} })),
        ) as { keyId: string };
        records[i]?.push({ startedAt, keyId: who.keyId });
      } catch (err) {
        failures.push(err);
      }
    }
  });
  const callsAfter = (t: number): number[] =>
    records.map((r) => r.filter((c) => c.startedAt > t).length);
  const waitCalls = (t: number, n: number) =>
    expect
      .poll(() => Math.min(...callsAfter(t)), { timeout: 15_000, interval: 20 })
      .toBeGreaterThanOrEqual(n);

  await waitCalls(0, 5);
  backend.keys.set('qyvo', { versionId: 'v-new', secret: 'secret-new' });
  const swappedAt = performance.now();
  await waitCalls(swappedAt, 5);
  const drained = await px.proxy.drain('v-old', 10_000);
  up.revoke('secret-old');
  const revokedAt = performance.now();
  await waitCalls(revokedAt, 5);
  const updatesBefore = [...updates];
  await sessions[0]?.client.callTool({
    name: 'echo',
    arguments: { text: 'touch the watched resource' },
  });
  await expect
    .poll(() => updates.every((n, i) => n > (updatesBefore[i] ?? 0)), { timeout: 5000 })
    .toBe(true);
  stop = true;
  await Promise.all(loops);
  const logsBefore = [...logs];
  await Promise.all(
    sessions
      .slice(0, 2)
      .map((s) => s.client.callTool({ name: 'slow', arguments: { steps: 2, delayMs: 1 } })),
  );
  expect(logs[0]).toBe(logsBefore[0]);
  expect(logs[1]).toBeGreaterThan(logsBefore[1] ?? 0);

  expect(failures).toEqual([]);
  expect(drained).toEqual({ drained: true, inFlight: 0 });
  const afterSwap = records.flat().filter((c) => c.startedAt > swappedAt);
  expect(afterSwap.length).toBeGreaterThanOrEqual(SESSIONS * 10);
  expect(afterSwap.filter((c) => c.keyId !== 'key-new')).toEqual([]);
  expect(records.flat().filter((c) => c.startedAt < swappedAt).length).toBeGreaterThanOrEqual(
    SESSIONS * 5,
  );
  // The clients kept their sessions and saw no transport error: the swap was invisible.
  expect(sessions.map((s) => s.transport.sessionId)).toEqual(sessionIds);
  expect(clientErrors).toEqual([]);
  expect(backend.refused).toEqual([]);
  expect(px.proxy.counters().connections.qyvo?.keyVersion).toBe('v-new');
  await Promise.all(sessions.map((s) => s.client.close()));
  return { up };
}

describe('key swap with 8 busy sessions', () => {
  it('against a vendor that checks the key per request', async () => {
    const { up } = await swapUnderLoad(false);
    // Per-request vendors keep the session: no second initialize was needed.
    const initializes = up.seen.filter(
      (r) => r.method === 'POST' && r.headers['mcp-session-id'] === undefined,
    );
    expect(initializes.length).toBe(SESSIONS);
  });

  it('against a vendor that binds sessions to the key that opened them', async () => {
    const { up } = await swapUnderLoad(true);
    // Each session was re-opened behind its client's back with the new key.
    const initializes = up.seen.filter(
      (r) => r.method === 'POST' && r.headers['mcp-session-id'] === undefined,
    );
    expect(initializes.length).toBe(SESSIONS * 2);
    const reopened = initializes.slice(SESSIONS);
    expect(reopened.every((r) => r.headers.authorization === 'Bearer secret-new')).toBe(true);
  });

  it('against a legacy HTTP+SSE vendor that binds sessions', async () => {
    await swapUnderLoad(true, 'sse');
  });

  it('against a legacy HTTP+SSE vendor that checks the key per request', async () => {
    await swapUnderLoad(false, 'sse');
  });
});

describe('a request that started with a key since replaced', () => {
  it('is refused with 401 by the vendor, then resent once with the current key', async () => {
    const { up, px, backend } = await setup(false);
    const { client } = await connectClient(px.url('qyvo'), 'token-0-abcdefgh');
    // Let the client's background GET stream open first, so the race below hits the tool call.
    await expect.poll(() => up.seen.some((r) => r.method === 'GET')).toBe(true);
    const current = backend.currentKey.bind(backend);
    let raced = false;
    // The swap and the old key's revocation land between reading the key and the vendor seeing it.
    backend.currentKey = async (slug) => {
      const key = await current(slug);
      if (!raced && key.versionId === 'v-old') {
        raced = true;
        backend.keys.set('qyvo', { versionId: 'v-new', secret: 'secret-new' });
        up.keys.delete('secret-old');
      }
      return key;
    };
    const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
      keyId: string;
    };
    expect(raced).toBe(true);
    expect(who.keyId).toBe('key-new');
    const lastTwo = up.seen.slice(-2).map((r) => `${r.method} ${r.headers.authorization}`);
    expect(lastTwo).toEqual(['POST Bearer secret-old', 'POST Bearer secret-new']);
    expect(backend.refused).toEqual([]);
    await client.close();
  });

  it('reports a 401 with the current key to the backend and answers the client clearly', async () => {
    const { up, px, backend } = await setup(false);
    const { client } = await connectClient(px.url('qyvo'), 'token-0-abcdefgh');
    await expect.poll(() => up.seen.some((r) => r.method === 'GET')).toBe(true);
    up.keys.delete('secret-old');
    await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow(
      /vendor refused the key Keyway holds for connection .{0,4}qyvo.{0,4} \(HTTP 401\)/,
    );
    expect(backend.refused).toEqual([{ slug: 'qyvo', versionId: 'v-old', status: 401 }]);
    expect(px.proxy.counters().clients['client-0']?.errors).toBe(1);
    await client.close();
  });
});
