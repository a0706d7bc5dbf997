// The header-adding hop the conformance runs use must be invisible except for the headers it
// adds: otherwise a conformance result would describe the hop, not the server behind it.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from '../../src/sandbox/mcp/loopback';
import type { LoopbackServer } from '../../src/sandbox/mcp/loopback';
import { startHeaderHop } from '../support/conformance';
import type { HeaderHop } from '../support/conformance';

interface Seen {
  rawHeaders: string[];
  body: Buffer;
  closedEarly: boolean;
}

function send(
  url: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ res: IncomingMessage; abort: () => void }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        headers,
        agent: false,
      },
      (res) => resolve({ res, abort: () => req.destroy() }),
    );
    req.on('error', reject);
    if (body) {
      // Two writes without a Content-Length: the body goes chunked.
      req.write(body.subarray(0, 3));
      req.end(body.subarray(3));
    } else req.end();
  });
}

describe('startHeaderHop', () => {
  let target: LoopbackServer;
  let hop: HeaderHop;
  const seen: Seen[] = [];
  let onRequest: (req: IncomingMessage, res: ServerResponse, record: Seen) => void;

  async function start(): Promise<void> {
    target = await listenOnLoopback(async (req, res) => {
      const record: Seen = {
        rawHeaders: req.rawHeaders,
        body: Buffer.alloc(0),
        closedEarly: false,
      };
      seen.push(record);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      record.body = Buffer.concat(chunks);
      res.on('close', () => (record.closedEarly = !res.writableFinished));
      onRequest(req, res, record);
    });
    hop = await startHeaderHop(target.url('/mcp?x=1'), { Authorization: 'Bearer added' });
  }

  afterEach(async () => {
    seen.length = 0;
    await hop.close();
    await target.close();
  });

  it('adds its headers and forwards everything else as sent, Host and Origin included', async () => {
    onRequest = (_req, res) => res.writeHead(201, { 'X-Upstream': 'yes' }).end('done');
    await start();
    expect(hop.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp\?x=1$/);
    const body = Buffer.from([0x7b, 0xff, 0x00, 0xfe, 0x7d]); // not UTF-8: bytes must survive
    const { res } = await send(
      hop.url,
      {
        Host: 'evil.example.com',
        Origin: 'http://evil.example.com',
        authorization: 'Bearer client',
        'X-Case-Kept': 'v',
      },
      body,
    );
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-upstream']).toBe('yes');
    const got = seen[0]!;
    const pairs: [string, string][] = [];
    for (let i = 0; i < got.rawHeaders.length; i += 2)
      pairs.push([got.rawHeaders[i]!, got.rawHeaders[i + 1]!]);
    expect(pairs).toContainEqual(['Host', 'evil.example.com']);
    expect(pairs).toContainEqual(['Origin', 'http://evil.example.com']);
    expect(pairs).toContainEqual(['X-Case-Kept', 'v']);
    expect(pairs.filter(([name]) => name.toLowerCase() === 'authorization')).toEqual([
      ['Authorization', 'Bearer added'],
    ]);
    expect(got.body.equals(body)).toBe(true);
  });

  it('streams the answer as it is written, and a client hang-up reaches the server', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    onRequest = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('id: 1\ndata: first\n\n');
      void released.then(() => res.end('id: 2\ndata: never\n\n'));
    };
    await start();
    const { res, abort } = await send(hop.url, { Host: new URL(hop.url).host });
    const first = await new Promise<string>((resolve) =>
      res.once('data', (d: Buffer) => resolve(d.toString())),
    );
    expect(first).toBe('id: 1\ndata: first\n\n'); // arrived while the server still holds the stream
    abort();
    await expect.poll(() => seen[0]?.closedEarly, { timeout: 5_000 }).toBe(true);
    release();
  });
});
