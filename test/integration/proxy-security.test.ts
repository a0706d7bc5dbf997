// The proxy refuses what it must, each time with a clear status and message, and nothing of the
// client (its local token, cookies, Origin, Referer) ever reaches the vendor.
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestProxy, TestUpstream } from '../support/mcp-upstream';
import {
  connectClient,
  MemoryBackend,
  startProxy,
  startUpstream,
  textOf,
} from '../support/mcp-upstream';

const TOKEN_A = 'local-token-alice-0123456789abcdef';
const TOKEN_B = 'local-token-bob-0123456789abcdef';
const TOKEN_OTHER_SLUG = 'local-token-carol-0123456789abcdef';
let up: TestUpstream;
let px: TestProxy;
let backend: MemoryBackend;

beforeAll(async () => {
  up = await startUpstream();
  up.keys.set('vendor-secret-sec', { keyId: 'key-sec', label: 'sec' });
  backend = new MemoryBackend();
  backend.addRoute('qyvo', up.url, { versionId: 'v1', secret: 'vendor-secret-sec' });
  backend.addRoute('other', up.url, { versionId: 'v1', secret: 'vendor-secret-sec' });
  backend.addRoute('moved', up.redirectUrl, { versionId: 'v1', secret: 'vendor-secret-sec' });
  backend.tokens.set(TOKEN_A, { client: 'alice', slug: 'qyvo' });
  backend.tokens.set(TOKEN_B, { client: 'bob', slug: 'qyvo' });
  backend.tokens.set(TOKEN_OTHER_SLUG, { client: 'carol', slug: 'other' });
  backend.tokens.set('token-moved-0123456789', { client: 'dave', slug: 'moved' });
  backend.addRoute(
    'legacy',
    up.legacyUrl,
    { versionId: 'v1', secret: 'vendor-secret-sec' },
    { transport: 'sse' },
  );
  backend.tokens.set(`${TOKEN_A}-legacy`, { client: 'alice-legacy', slug: 'legacy' });
  backend.tokens.set(`${TOKEN_B}-legacy`, { client: 'bob-legacy', slug: 'legacy' });
  px = await startProxy(backend, { maxBodyBytes: 256 * 1024, maxQueuePerSession: 2 });
});

afterAll(async () => {
  // Whatever each test did, the vendor never saw a local token, a cookie, an Origin or a Referer.
  expect(up.seen.length).toBeGreaterThan(0);
  for (const seen of up.seen) {
    const all = JSON.stringify(seen.headers);
    for (const token of [TOKEN_A, TOKEN_B, TOKEN_OTHER_SLUG])
      expect(all).not.toContain(token.slice(0, 20));
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers.origin).toBeUndefined();
    expect(seen.headers.referer).toBeUndefined();
  }
  await px.close();
  await up.close();
});

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
});

/** A hand-made request, so Host, Origin and the body can be anything a browser or attacker sends. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<RawAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: px.port,
        method,
        path,
        headers: {
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolveAnswer({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const vendorSawNothing = async (action: () => Promise<RawAnswer>): Promise<RawAnswer> => {
  const before = up.seen.length;
  const answer = await action();
  expect(up.seen.length).toBe(before);
  return answer;
};

function errorMessage(answer: RawAnswer): string {
  return (JSON.parse(answer.body) as { error: { message: string } }).error.message;
}

describe('local token', () => {
  it('missing → 401 with WWW-Authenticate and a JSON-RPC error, vendor untouched', async () => {
    const answer = await vendorSawNothing(() => raw('POST', '/mcp/qyvo', {}, INITIALIZE));
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="keyway"/);
    expect(errorMessage(answer)).toMatch(/needs a local client token/);
  });

  it('wrong, or meant for another connection → 401, vendor untouched', async () => {
    for (const token of ['not-a-real-token', TOKEN_OTHER_SLUG]) {
      const answer = await vendorSawNothing(() =>
        raw('POST', '/mcp/qyvo', { authorization: `Bearer ${token}` }, INITIALIZE),
      );
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(errorMessage(answer)).toMatch(/not valid for Keyway connection "qyvo"/);
    }
  });

  it('an SDK client without a token fails to connect with the reason', async () => {
    await expect(connectClient(px.url('qyvo'), undefined)).rejects.toThrow(
      /needs a local client token/,
    );
  });
});

describe('sessions', () => {
  it("another client's session id → 404, as if it did not exist", async () => {
    const { client, transport } = await connectClient(px.url('qyvo'), TOKEN_A);
    const stolen = transport.sessionId ?? '';
    expect(stolen).not.toBe('');
    const answer = await vendorSawNothing(() =>
      raw(
        'POST',
        '/mcp/qyvo',
        { authorization: `Bearer ${TOKEN_B}`, 'mcp-session-id': stolen },
        '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
      ),
    );
    expect(answer.status).toBe(404);
    expect(errorMessage(answer)).toBe('Session not found');
    expect(JSON.stringify(up.seen.map((s) => s.headers['mcp-session-id']))).not.toContain(stolen);
    await client.close();
  });

  it('more requests in flight in one session than allowed → 429', async () => {
    const { client } = await connectClient(px.url('qyvo'), TOKEN_A);
    const slow = () => client.callTool({ name: 'slow', arguments: { steps: 5, delayMs: 40 } });
    // The client's GET stream is one of the two; one call fits, the next is refused.
    await expect.poll(() => up.seen.some((s) => s.method === 'GET')).toBe(true);
    const results = await Promise.allSettled([slow(), slow()]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/429|requests in flight/);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    await client.close();
  });
});

describe('Host and Origin (the DNS-rebinding defence)', () => {
  it('a browser page origin → 403, vendor untouched', async () => {
    const answer = await vendorSawNothing(() =>
      raw(
        'POST',
        '/mcp/qyvo',
        { authorization: `Bearer ${TOKEN_A}`, origin: 'https://evil.example' },
        INITIALIZE,
      ),
    );
    expect(answer.status).toBe(403);
    expect(errorMessage(answer)).toMatch(/web page origin "https:\/\/evil.example" are refused/);
  });

  it('a foreign Host → 403, vendor untouched', async () => {
    const answer = await vendorSawNothing(() =>
      raw(
        'POST',
        '/mcp/qyvo',
        { authorization: `Bearer ${TOKEN_A}`, host: 'evil.example' },
        INITIALIZE,
      ),
    );
    expect(answer.status).toBe(403);
    expect(errorMessage(answer)).toMatch(/Host "evil.example" is not this Keyway proxy/);
  });

  it("the proxy's own origin and localhost are accepted", async () => {
    const answer = await raw(
      'POST',
      '/mcp/qyvo',
      {
        authorization: `Bearer ${TOKEN_A}`,
        host: `localhost:${px.port}`,
        origin: `http://localhost:${px.port}`,
        cookie: 'sid=1',
        referer: 'http://localhost/x',
      },
      INITIALIZE,
    );
    expect(answer.status).toBe(200);
  });
});

describe('limits and methods', () => {
  it('an oversized body → 413 with the limit, declared or streamed', async () => {
    const big = Buffer.alloc(300 * 1024, 'x');
    const declared = await vendorSawNothing(() =>
      raw('POST', '/mcp/qyvo', { authorization: `Bearer ${TOKEN_A}` }, big),
    );
    expect(declared.status).toBe(413);
    expect(errorMessage(declared)).toBe(
      "The request body is larger than the Keyway proxy's limit of 262144 bytes",
    );
    const chunked = await raw(
      'POST',
      '/mcp/qyvo',
      { authorization: `Bearer ${TOKEN_A}`, 'transfer-encoding': 'chunked' },
      big,
    );
    expect(chunked.status).toBe(413);
  });

  it('an unknown connection → 404, an unsupported method → 405', async () => {
    const unknown = await raw(
      'POST',
      '/mcp/nope',
      { authorization: `Bearer ${TOKEN_A}` },
      INITIALIZE,
    );
    expect(unknown.status).toBe(404);
    expect(errorMessage(unknown)).toBe('No Keyway connection named "nope"');
    const put = await raw('PUT', '/mcp/qyvo', { authorization: `Bearer ${TOKEN_A}` }, INITIALIZE);
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST, DELETE');
  });

  it('a connection whose key cannot be read → 503 with the reason, vendor untouched', async () => {
    backend.addRoute('keyless', up.url, { versionId: 'v0', secret: 'unused' });
    backend.keys.delete('keyless');
    backend.tokens.set('token-keyless-0123456789', { client: 'erin', slug: 'keyless' });
    const answer = await vendorSawNothing(() =>
      raw('POST', '/mcp/keyless', { authorization: 'Bearer token-keyless-0123456789' }, INITIALIZE),
    );
    expect(answer.status).toBe(503);
    expect(errorMessage(answer)).toBe(
      'Keyway has no usable key for connection "keyless": no key for keyless',
    );
  });

  it('a vendor redirect is not followed and not passed on', async () => {
    const answer = await raw(
      'POST',
      '/mcp/moved',
      { authorization: 'Bearer token-moved-0123456789' },
      INITIALIZE,
    );
    expect(answer.status).toBe(502);
    expect(answer.headers.location).toBeUndefined();
    expect(errorMessage(answer)).toMatch(
      /answered with a redirect \(HTTP 307\); Keyway does not follow redirects/,
    );
  });
});

describe.each([
  ['qyvo', ''],
  ['legacy', '-legacy'],
])('revoking a client (%s upstream)', (slug, suffix) => {
  it('ends its calls at once with the reason; its token stops working; others carry on', async () => {
    const [tokenA, tokenB, nameA] = [
      `${TOKEN_A}${suffix}`,
      `${TOKEN_B}${suffix}`,
      `alice${suffix}`,
    ];
    const alice = await connectClient(px.url(slug), tokenA);
    const bob = await connectClient(px.url(slug), tokenB);
    let progressed = 0;
    const call = alice.client.callTool(
      { name: 'slow', arguments: { steps: 100, delayMs: 50 } },
      undefined,
      {
        onprogress: () => progressed++,
        timeout: 60_000,
      },
    );
    const settled = call.then(
      () => 'completed',
      (err: Error) => err.message,
    );
    await expect.poll(() => progressed).toBeGreaterThan(0);
    const aliceSession = alice.transport.sessionId;
    backend.tokens.delete(tokenA);
    const cutAt = Date.now();
    px.proxy.endClient(nameA);
    expect(await settled).toMatch(
      new RegExp(`Keyway ended this request: the client "${nameA}" was revoked`),
    );
    expect(Date.now() - cutAt).toBeLessThan(5000);
    expect(backend.sessionEvents).toContainEqual({
      type: 'disconnected',
      slug,
      client: nameA,
      sessionId: aliceSession,
    });
    await expect(alice.client.listTools()).rejects.toThrow(/401|not valid/);
    expect(
      textOf(await bob.client.callTool({ name: 'echo', arguments: { text: 'still here' } })),
    ).toBe('still here');
    await Promise.allSettled([alice.client.close(), bob.client.close()]);
  });
});
