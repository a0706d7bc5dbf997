// A backend that renews its own credential (an OAuth account refreshing its access token): on a
// vendor 401 to the still-current key, the proxy asks it to renew and, if it did, resends that
// request once with the new key. And the traffic history hears of every request exactly once.
import { MAX_ATTEMPTS } from '../../src/main/core/proxy/forward/refusal-policy';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestProxy, TestUpstream } from '../support/mcp-upstream';
import {
  connectClient,
  MemoryBackend,
  startProxy,
  startUpstream,
  textOf,
} from '../support/mcp-upstream';

let up: TestUpstream | undefined;
let px: TestProxy | undefined;

afterEach(async () => {
  await px?.close();
  await up?.close();
  px = up = undefined;
});

const TOKEN = 'local-token-renew-0123456789';

async function setup(transport: 'streamable-http' | 'sse' = 'streamable-http') {
  up = await startUpstream();
  up.keys.set('access-1', { keyId: 'token-1', label: 'first access token' });
  const backend = new MemoryBackend();
  const url = transport === 'sse' ? up.legacyUrl : up.url;
  backend.addRoute('oauth', url, { versionId: 'v1', secret: 'access-1' }, { transport });
  backend.tokens.set(TOKEN, { client: 'client-a', slug: 'oauth' });
  px = await startProxy(backend);
  return { up, px, backend };
}

const whoami = async (client: Awaited<ReturnType<typeof connectClient>>['client']) =>
  (
    JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
      keyId: string;
    }
  ).keyId;

/** Plays the OAuth backend: one refresh per expired token, however many ask at once. */
function refreshingBackend(backend: MemoryBackend, up: TestUpstream) {
  const calls: string[] = [];
  let refreshing: Promise<boolean> | undefined;
  backend.renew = (slug, versionId) => {
    calls.push(versionId);
    refreshing ??= new Promise<boolean>((resolve) =>
      setTimeout(() => {
        up.keys.set('access-2', { keyId: 'token-2', label: 'refreshed access token' });
        backend.keys.set(slug, { versionId: 'v2', secret: 'access-2' });
        resolve(true);
      }, 20),
    );
    return refreshing;
  };
  return calls;
}

describe('a vendor 401 to the current key', () => {
  for (const transport of ['streamable-http', 'sse'] as const) {
    it(`is renewed by the backend and the request resent once, unseen by the client (${transport})`, async () => {
      const { up, px, backend } = await setup(transport);
      const { client } = await connectClient(px.url('oauth'), TOKEN);
      expect(await whoami(client)).toBe('token-1');
      const calls = refreshingBackend(backend, up);
      up.revoke('access-1'); // the access token expired
      // Ten calls at once all meet the 401; one refresh serves them, each is resent once.
      const who = await Promise.all(Array.from({ length: 10 }, () => whoami(client)));
      expect(who).toEqual(Array(10).fill('token-2'));
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(calls.every((v) => v === 'v1')).toBe(true);
      expect(backend.refused).toEqual([]);
      const sentWithOld = up.seen.filter(
        (r) => r.method === 'POST' && r.headers.authorization === 'Bearer access-1',
      );
      // No loop: the proxy never sends one call more than MAX_ATTEMPTS times (a resend on a
      // keep-alive socket the vendor closed may also carry the expired token once more).
      expect(sentWithOld.length).toBeLessThanOrEqual(10 * MAX_ATTEMPTS);
      await client.close();
    });
  }

  it('that the backend cannot renew is reported, once per request, and the client told', async () => {
    const { up, px, backend } = await setup();
    const { client } = await connectClient(px.url('oauth'), TOKEN);
    const asked: string[] = [];
    backend.renew = (_slug, versionId) => {
      asked.push(versionId);
      return Promise.resolve(false);
    };
    await expect.poll(() => backend.done.length).toBe(3); // the client's GET stream is open
    up.keys.delete('access-1'); // expired for new requests; the open GET stream stays
    const before = up.seen.length;
    await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow(
      /vendor refused the key Keyway holds/,
    );
    expect(asked).toEqual(['v1']);
    expect(backend.refused).toEqual([{ slug: 'oauth', versionId: 'v1', status: 401 }]);
    // Sent once: no retry when nothing was renewed.
    expect(up.seen.slice(before).filter((r) => r.method === 'POST').length).toBe(1);
    await client.close();
  });

  it('renewed, but refused again with the new key: resent only once, then reported', async () => {
    const { up, px, backend } = await setup();
    const { client } = await connectClient(px.url('oauth'), TOKEN);
    const asked: string[] = [];
    backend.renew = (slug, versionId) => {
      asked.push(versionId);
      // A "renewed" token the vendor refuses as well.
      backend.keys.set(slug, { versionId: `${versionId}-next`, secret: 'refused-too' });
      return Promise.resolve(true);
    };
    await expect.poll(() => backend.done.length).toBe(3);
    up.keys.delete('access-1');
    const before = up.seen.length;
    await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow(/HTTP 401/);
    expect(asked).toEqual(['v1']);
    const posts = up.seen.slice(before).filter((r) => r.method === 'POST');
    // Once with the expired token, then with the "renewed" one (the call, and the re-open of
    // the session the proxy tries for a vendor that may bind sessions to a key); no second renewal.
    expect(posts.filter((r) => r.headers.authorization === 'Bearer access-1').length).toBe(1);
    expect(posts.length).toBeLessThanOrEqual(3);
    expect(backend.refused).toEqual([{ slug: 'oauth', versionId: 'v1-next', status: 401 }]);
    await client.close();
  });
});

describe('the traffic history', () => {
  it('hears of each forwarded request once, with its status and where the time went', async () => {
    const { up, px, backend } = await setup();
    up.intercept = (req, res, pass) => {
      if (req.headers['user-agent'] === 'slow') setTimeout(pass, 150);
      else pass();
    };
    const { client } = await connectClient(px.url('oauth'), TOKEN, {
      headers: { 'user-agent': 'slow' },
    });
    await expect.poll(() => backend.done.length).toBe(3); // initialize, initialized, GET stream
    expect(backend.done.map((d) => d.status)).toEqual([200, 202, 200]);
    await whoami(client);
    expect(backend.done.length).toBe(4);
    const call = backend.done[3]!;
    expect(call).toMatchObject({ slug: 'oauth', client: 'client-a', status: 200, error: false });
    expect(call.upstreamMs).toBeGreaterThanOrEqual(140);
    expect(call.totalMs).toBeGreaterThanOrEqual(call.upstreamMs);
    expect(call.totalMs - call.upstreamMs).toBeLessThan(100);
    expect(Math.abs(call.at - Date.now())).toBeLessThan(5000);
    // A call Keyway itself refuses (the vendor is gone) is an error.
    await up.close();
    await expect(whoami(client)).rejects.toThrow();
    expect(backend.done.length).toBe(5);
    expect(backend.done[4]).toMatchObject({ status: 502, error: true });

    await client.close().catch(() => undefined);
  });
});
