// Vendor sessions opened with the next key before its swap: a real sandbox vendor and real SDK
// clients through the real proxy. What the vendor sees is the evidence: which key opened which
// session, and whether a client's first call after the swap had to re-open its session.
import { afterEach, describe, expect, it } from 'vitest';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { TestProxy, TestUpstream } from '../../../../../test/support/mcp-upstream';
import {
  connectClient,
  MemoryBackend,
  startProxy,
  startUpstream,
  textOf,
} from '../../../../../test/support/mcp-upstream';

let up: TestUpstream | undefined;
let px: TestProxy | undefined;

afterEach(async () => {
  await px?.close();
  await up?.close();
  px = up = undefined;
});

const KEYS = ['one', 'two', 'three'] as const;

async function setup(bound: boolean) {
  up = await startUpstream();
  up.bound.value = bound;
  for (const k of KEYS) up.keys.set(`secret-${k}`, { keyId: `key-${k}`, label: k });
  const backend = new MemoryBackend();
  backend.addRoute('qyvo', up.url, { versionId: 'v-one', secret: 'secret-one' });
  backend.tokens.set('token-a-abcdefgh', { client: 'client-a', slug: 'qyvo' });
  backend.tokens.set('token-b-abcdefgh', { client: 'client-b', slug: 'qyvo' });
  px = await startProxy(backend);
  const a = await connectClient(px.url('qyvo'), 'token-a-abcdefgh');
  const b = await connectClient(px.url('qyvo'), 'token-b-abcdefgh');
  return { up, px, backend, a, b };
}

type Connected = Awaited<ReturnType<typeof connectClient>>;

async function keyIdOf(c: Connected): Promise<string> {
  const text = textOf(await c.client.callTool({ name: 'whoami', arguments: {} }));
  return (JSON.parse(text) as { keyId: string }).keyId;
}

/** Initializes (POSTs without a session id) the vendor received, by the key they carried. */
function initializes(up: TestUpstream, secret: string): number {
  return up.seen.filter(
    (r) =>
      r.method === 'POST' &&
      r.headers['mcp-session-id'] === undefined &&
      r.headers.authorization === `Bearer ${secret}`,
  ).length;
}

describe('vendor sessions prepared before a key swap', () => {
  it('are used at the swap by a vendor that binds sessions to a key, with no re-open', async () => {
    const { up, px, backend, a, b } = await setup(true);
    const logs = [0, 0];
    a.client.setNotificationHandler(LoggingMessageNotificationSchema, () => void logs[0]!++);
    b.client.setNotificationHandler(LoggingMessageNotificationSchema, () => void logs[1]!++);
    await a.client.setLoggingLevel('error');
    // First swap: the vendor refuses the old sessions, so the proxy re-opens them and learns.
    backend.keys.set('qyvo', { versionId: 'v-two', secret: 'secret-two' });
    expect(await keyIdOf(a)).toBe('key-two');
    expect(await keyIdOf(b)).toBe('key-two');
    expect(initializes(up, 'secret-two')).toBe(2);

    await px.proxy.prepareKey('qyvo', {
      versionId: 'v-three',
      secret: 'secret-three',
      origin: backend.route('qyvo')!.upstream.origin,
    });
    expect(initializes(up, 'secret-three')).toBe(2);
    // Not current yet: the clients still go out with the key in use.
    expect(await keyIdOf(a)).toBe('key-two');
    const seenAtSwap = up.seen.length;
    backend.keys.set('qyvo', { versionId: 'v-three', secret: 'secret-three' });
    expect(await keyIdOf(a)).toBe('key-three');
    expect(await keyIdOf(b)).toBe('key-three');
    // Each first call went straight to a session the new key opened: no refusal, no replay.
    const afterSwap = up.seen.slice(seenAtSwap);
    // (The GETs are the clients' event streams, moved to the new sessions.)
    expect(afterSwap.filter((r) => r.method === 'POST')).toHaveLength(2);
    for (const r of afterSwap) {
      expect(r.headers['mcp-session-id']).toBeDefined();
      expect(r.headers.authorization).toBe('Bearer secret-three');
    }
    expect(initializes(up, 'secret-three')).toBe(2);
    // The prepared session replayed client a's logging level; b asked for none.
    const slow = { name: 'slow', arguments: { steps: 2, delayMs: 1 } };
    await Promise.all([a.client.callTool(slow), b.client.callTool(slow)]);
    expect(logs[0]).toBe(0);
    expect(logs[1]).toBeGreaterThan(0);
    expect(backend.refused).toEqual([]);
  });

  it('are not opened for a vendor that checks the key per request', async () => {
    const { up, px, backend, a } = await setup(false);
    backend.keys.set('qyvo', { versionId: 'v-two', secret: 'secret-two' });
    expect(await keyIdOf(a)).toBe('key-two');
    await px.proxy.prepareKey('qyvo', {
      versionId: 'v-three',
      secret: 'secret-three',
      origin: backend.route('qyvo')!.upstream.origin,
    });
    backend.keys.set('qyvo', { versionId: 'v-three', secret: 'secret-three' });
    expect(await keyIdOf(a)).toBe('key-three');
    expect(initializes(up, 'secret-two') + initializes(up, 'secret-three')).toBe(0);
  });

  it('are closed at the vendor when their client leaves before using them', async () => {
    const { up, px, backend, a, b } = await setup(true);
    backend.keys.set('qyvo', { versionId: 'v-two', secret: 'secret-two' });
    expect(await keyIdOf(a)).toBe('key-two');
    await px.proxy.prepareKey('qyvo', {
      versionId: 'v-three',
      secret: 'secret-three',
      origin: backend.route('qyvo')!.upstream.origin,
    });
    // b never re-opened with key two, so it too gets a session prepared for key three.
    expect(initializes(up, 'secret-three')).toBe(2);
    await a.transport.terminateSession();
    await b.transport.terminateSession();
    const deletes = (): number =>
      up.seen.filter(
        (r) => r.method === 'DELETE' && r.headers.authorization === 'Bearer secret-three',
      ).length;
    await expect.poll(deletes, { timeout: 5000 }).toBe(2);
  });
});
