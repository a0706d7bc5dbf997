// The relay step over real loopback HTTP: what the vendor streams reaches the client byte for
// byte, never held whole; a client that stops reading holds the vendor back; a client or a
// vendor that breaks off mid-body leaves nothing behind.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  callProxy,
  released,
  rpc,
  useLoopback,
  type Loopback,
} from '../../../../../test/support/proxy-loopback';

const startLoopback = useLoopback();
let lb: Loopback | undefined;

const MiB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** Writes `total` bytes as the socket takes them; `written` counts what the vendor got out. */
function stream(res: ServerResponse, total: number, progress: { written: number }): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  const more = (): void => {
    while (progress.written < total) {
      progress.written += CHUNK.length;
      if (!res.write(CHUNK)) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Resolves once `read()` has not changed for `quietMs` (the stream stalled), or at `maxMs`. */
async function stalled(read: () => number, quietMs = 500, maxMs = 10_000): Promise<void> {
  const start = Date.now();
  let last = -1;
  let since = Date.now();
  while (Date.now() - start < maxMs) {
    const now = read();
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('relay: what the client gets', () => {
  it('passes the body byte for byte, keeps content headers, drops those acting on Keyway’s origin', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: [] } });
    lb = await startLoopback((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-request-id': 'abc',
        'set-cookie': 'vendor=1',
        'access-control-allow-origin': '*',
        'strict-transport-security': 'max-age=1',
        'www-authenticate': 'Bearer',
      });
      res.end(body);
    });
    const answer = await callProxy(lb, { body: rpc('tools/list') }).answer();
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe(body);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['x-request-id']).toBe('abc');
    for (const dropped of [
      'set-cookie',
      'access-control-allow-origin',
      'strict-transport-security',
      'www-authenticate',
    ])
      expect(answer.headers[dropped]).toBeUndefined();
    expect(await released(lb)).toBe(true);
  });

  it('a huge answer (64 MiB) arrives whole and intact', async () => {
    const total = 64 * MiB;
    const progress = { written: 0 };
    lb = await startLoopback((_req, res) => stream(res, total, progress));
    const res = await callProxy(lb, { body: rpc('resources/read') }).response;
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    expect(size).toBe(total);
    const expected = createHash('sha256');
    for (let i = 0; i < total / CHUNK.length; i++) expected.update(CHUNK);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
    expect(await released(lb)).toBe(true);
  });
});

describe('relay: backpressure and breaks', () => {
  it('a client that stops reading holds the vendor back; when it reads again, all arrives', async () => {
    const total = 128 * MiB;
    const progress = { written: 0 };
    lb = await startLoopback((_req, res) => stream(res, total, progress));
    const res = await callProxy(lb, { body: rpc('resources/read') }).response;
    res.pause();
    await stalled(() => progress.written);
    // Only socket buffers on both hops fill up (a few MiB each); the proxy never holds it whole.
    expect(progress.written).toBeLessThan(total / 4);
    let size = 0;
    res.on('data', (c: Buffer) => (size += c.length));
    res.resume();
    await new Promise((r) => res.once('end', r));
    expect(size).toBe(total);
    expect(await released(lb)).toBe(true);
  });

  it('a client that walks away mid-body: the vendor request is closed, the key let go', async () => {
    lb = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(CHUNK); // and nothing more: a long download
    });
    const call = callProxy(lb, { body: rpc('resources/read') });
    const res = await call.response;
    await new Promise((r) => res.once('data', r));
    call.abort();
    await lb.vendor.requestClosed(1);
    expect(await released(lb)).toBe(true);
    expect(lb.backend.done.at(-1)).toMatchObject({ status: 200 });
  });

  it('a vendor that resets mid-body: the client sees a broken answer, not a clean end', async () => {
    lb = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write(sha(CHUNK).repeat(10));
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const answer = await callProxy(lb, { body: rpc('tools/call') }).answer();
    expect(answer.status).toBe(200);
    expect(answer.complete).toBe(false);
    expect(answer.body.length).toBeLessThan(100_000);
    expect(await released(lb)).toBe(true);
  });

  it('an event stream ended by Keyway (the client revoked) answers the open request, then ends', async () => {
    lb = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\n');
    });
    const call = callProxy(lb, { body: rpc('tools/call', 7) });
    const res = await call.response;
    await new Promise((r) => res.once('data', r));
    const rest = call.answer();
    lb.proxy.proxy.endClient('claude');
    const answer = await rest;
    expect(answer.complete).toBe(true);
    expect(answer.body.toString()).toMatch(/"id":7,"error":\{/);
    await lb.vendor.requestClosed(1);
    expect(await released(lb)).toBe(true);
  });
});
