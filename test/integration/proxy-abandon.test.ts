// Clients give up: they close the connection mid-body, mid-chunk, before the vendor answers,
// mid-response and mid-SSE-event, or their fetch times out. Whatever the stage, the proxy must
// give back everything the request held: the session's slot (else 429 forever), the key's lease
// (else a rotation's drain waits its whole bound) and the traffic-history record (exactly once).
import { connect } from 'node:net';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestProxy, TestUpstream } from '../support/mcp-upstream';
import {
  connectClient,
  MemoryBackend,
  startProxy,
  startUpstream,
  textOf,
} from '../support/mcp-upstream';

const SECRET_1 = 'vendor-secret-one-0123456789';
const SECRET_2 = 'vendor-secret-two-0123456789';
const TOKEN = 'local-token-abandon-0123456789';
const VENDOR_DELAY_MS = 300;

let up: TestUpstream | undefined;
let px: TestProxy | undefined;

afterEach(async () => {
  await px?.close();
  await up?.close();
  px = up = undefined;
});

async function setup() {
  up = await startUpstream();
  up.keys.set(SECRET_1, { keyId: 'key-1', label: 'one' });
  up.keys.set(SECRET_2, { keyId: 'key-2', label: 'two' });
  const upstream = up;
  // A slowed vendor, and one that tears an SSE event in half and then says nothing more.
  upstream.intercept = (req, res, pass) => {
    const agent = req.headers['user-agent'];
    if (agent === 'slow-vendor') setTimeout(pass, VENDOR_DELAY_MS);
    else if (agent === 'torn-event') {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/pro');
    } else pass();
  };
  const backend = new MemoryBackend();
  backend.addRoute('qyvo', up.url, { versionId: 'v1', secret: SECRET_1 });
  backend.tokens.set(TOKEN, { client: 'client-a', slug: 'qyvo' });
  px = await startProxy(backend);
  return { up, px, backend };
}

interface Target {
  port: number;
  sessionId: string;
}

const head = (t: Target, extra: string[]): string =>
  [
    'POST /mcp/qyvo HTTP/1.1',
    `Host: 127.0.0.1:${t.port}`,
    `Authorization: Bearer ${TOKEN}`,
    'Content-Type: application/json',
    'Accept: application/json, text/event-stream',
    `Mcp-Session-Id: ${t.sessionId}`,
    'Mcp-Protocol-Version: 2025-06-18',
    ...extra,
    '',
    '',
  ].join('\r\n');

/** Writes raw bytes, then closes the connection (after `holdMs`, or once the answer began). */
function rawAbandon(
  t: Target,
  bytes: string | Buffer,
  close: { afterMs: number } | 'on-first-byte',
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(t.port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      if (close === 'on-first-byte') socket.destroy();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', () => undefined);
    socket.write(bytes);
    if (close !== 'on-first-byte') setTimeout(() => socket.destroy(), close.afterMs);
  });
}

const BIG = Buffer.alloc(100_000, 0x20);

const rpc = (method: string, params: object, id = 1): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });

/** The five stages, each abandoned 40 times: 200 abandoned requests on one session. */
async function abandonEverywhere(t: Target): Promise<Record<string, number>> {
  const answered: Record<string, number> = {};
  const note = (stage: string, got: string): void => {
    if (got.startsWith('HTTP/1.1 ')) answered[stage] = (answered[stage] ?? 0) + 1;
  };
  for (let i = 0; i < 40; i++) {
    const small = rpc('tools/call', { name: 'echo', arguments: { text: 'x'.repeat(1500) } });
    // Mid-body: a small body (held for replay) or a large one (streamed on to the vendor).
    const midBody =
      i % 2 === 0
        ? head(t, [`Content-Length: ${small.length}`]) + small.slice(0, 500)
        : Buffer.concat([Buffer.from(head(t, ['Content-Length: 200000'])), BIG]);
    note('mid-body', await rawAbandon(t, midBody, { afterMs: 30 }));
    // Mid-chunk: chunked encoding, the connection closes inside a chunk.
    const chunk = `${(2000).toString(16)}\r\n${small.slice(0, 300)}`;
    note(
      'mid-chunk',
      await rawAbandon(t, head(t, ['Transfer-Encoding: chunked']) + chunk, { afterMs: 20 }),
    );
    // Before the vendor answers: the vendor takes 300 ms, the client leaves after 40.
    const echo = rpc('tools/call', { name: 'echo', arguments: { text: 'hi' } });
    note(
      'before-answer',
      await rawAbandon(
        t,
        head(t, ['User-Agent: slow-vendor', `Content-Length: ${echo.length}`]) + echo,
        {
          afterMs: 40,
        },
      ),
    );
    // Mid-response: a progress stream, dropped at its first bytes.
    const slow = rpc('tools/call', {
      name: 'slow',
      arguments: { steps: 20, delayMs: 20 },
      _meta: { progressToken: `p${i}` },
    });
    note(
      'mid-response',
      await rawAbandon(t, head(t, [`Content-Length: ${slow.length}`]) + slow, 'on-first-byte'),
    );
    // Mid-SSE-event: the vendor sent half an event; the client leaves there.
    note(
      'mid-event',
      await rawAbandon(
        t,
        head(t, ['User-Agent: torn-event', `Content-Length: ${echo.length}`]) + echo,
        'on-first-byte',
      ),
    );
  }
  return answered;
}

/** One plain POST in the session; resolves with the HTTP status. */
function post(t: Target, body: string, agent = 'test'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: t.port,
        path: '/mcp/qyvo',
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': t.sessionId,
          'mcp-protocol-version': '2025-06-18',
          'user-agent': agent,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a user would check after the storm: normal answers, a full queue, a quick drain. */
async function expectRecovered(
  t: Target,
  s: {
    px: TestProxy;
    backend: MemoryBackend;
    client: Awaited<ReturnType<typeof connectClient>>['client'];
  },
): Promise<void> {
  expect(textOf(await s.client.callTool({ name: 'echo', arguments: { text: 'still here' } }))).toBe(
    'still here',
  );
  // In flight: 0 besides the client's own GET stream, so 63 slow calls fit at once (limit 64).
  const echo = rpc('tools/call', { name: 'echo', arguments: { text: 'q' } });
  const statuses = await Promise.all(
    Array.from({ length: 63 }, () => post(t, echo, 'slow-vendor')),
  );
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  // A rotation of the session's key drains at once: nothing still holds the old key.
  s.backend.keys.set('qyvo', { versionId: 'v2', secret: SECRET_2 });
  const t0 = performance.now();
  const drained = await s.px.proxy.drain('v1', 5000);
  const drainMs = performance.now() - t0;
  expect(drained).toEqual({ drained: true, inFlight: 0 });
  expect(drainMs).toBeLessThan(100);
  expect(textOf(await s.client.callTool({ name: 'echo', arguments: { text: 'after' } }))).toBe(
    'after',
  );
}

describe('requests a client abandons', () => {
  it('at every stage, 200 times on one session: nothing is left held', async () => {
    const { px, backend } = await setup();
    const { client, transport } = await connectClient(px.url('qyvo'), TOKEN);
    const t: Target = { port: px.port, sessionId: transport.sessionId ?? '' };
    expect(t.sessionId).not.toBe('');
    // initialize, notifications/initialized and the client's GET stream.
    await expect.poll(() => backend.done.length).toBe(3);
    const before = backend.done.length;
    const answered = await abandonEverywhere(t);
    // The response stages really did get an answer started before the client left.
    expect(answered['mid-response']).toBe(40);
    expect(answered['mid-event']).toBe(40);
    expect(answered['before-answer'] ?? 0).toBe(0);
    // Once per request, abandoned ones included (status 0 when nothing had been answered).
    await expect.poll(() => backend.done.length - before, { timeout: 5000 }).toBe(200);
    const mine = backend.done.slice(before);
    expect(mine.filter((d) => d.status === 0).length).toBe(120);
    expect(mine.filter((d) => d.status === 200).length).toBe(80);
    expect(mine.every((d) => d.client === 'client-a' && d.slug === 'qyvo')).toBe(true);
    await expectRecovered(t, { px, backend, client });
    await client.close();
  }, 120_000);

  it('by a real SDK client whose fetch gives up after 100 ms, 80 times', async () => {
    const { px, backend } = await setup();
    let short = false;
    const impatient: typeof fetch = (url, init) => {
      const isPost = init?.method === 'POST';
      const signal =
        short && isPost
          ? AbortSignal.any([AbortSignal.timeout(100), ...(init?.signal ? [init.signal] : [])])
          : init?.signal;
      return fetch(url, { ...init, signal });
    };
    const { client, transport } = await connectClient(px.url('qyvo'), TOKEN, {
      headers: { 'user-agent': 'slow-vendor' },
      fetch: impatient,
    });
    await expect.poll(() => backend.done.length).toBe(3);
    const before = backend.done.length;
    short = true;
    let timedOut = 0;
    for (let i = 0; i < 80; i++) {
      await client.callTool({ name: 'echo', arguments: { text: 'late' } }).catch(() => timedOut++);
    }
    expect(timedOut).toBe(80);
    await expect.poll(() => backend.done.length - before, { timeout: 5000 }).toBe(80);
    expect(backend.done.slice(before).every((d) => d.status === 0)).toBe(true);
    short = false;
    const t: Target = { port: px.port, sessionId: transport.sessionId ?? '' };
    await expectRecovered(t, { px, backend, client });
    await client.close();
  }, 120_000);
});
