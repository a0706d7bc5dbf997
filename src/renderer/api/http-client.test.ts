import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeywayEvent } from '../../shared/contract';
import { KeywayError } from '../../shared/errors';
import { createHttpClient } from './http-client';
import { pickClient, tokenFromHash } from './pick-client';

const TOKEN = 'kwctl_test-token';

/** A loopback stand-in for `keyway serve`'s control API, speaking its exact wire format. */
async function controlServer(): Promise<{
  url: string;
  server: Server;
  streams: ServerResponse[];
  seen: Array<{ path: string; auth: string | undefined; body: string }>;
}> {
  const streams: ServerResponse[] = [];
  const seen: Array<{ path: string; auth: string | undefined; body: string }> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ error: { code: 'unauthorized', message: 'wrong control token' } }),
        );
        return;
      }
      if (req.url === '/api/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(': keyway events\n\n');
        streams.push(res);
        return;
      }
      res.writeHead(req.url === '/api/op/key.add' ? 400 : 200, {
        'Content-Type': 'application/json',
      });
      if (req.url === '/api/op/key.add') {
        res.end(
          JSON.stringify({
            error: { code: 'bad_input', message: 'key.add: field "ref": bad', field: 'ref' },
          }),
        );
      } else res.end(JSON.stringify({ result: { echo: JSON.parse(body) as unknown } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    streams,
    seen,
  };
}

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  servers = [];
});

describe('the browser transport (HTTP control API)', () => {
  it('posts each operation with the bearer token and returns its result', async () => {
    const srv = await controlServer();
    servers.push(srv.server);
    const client = createHttpClient({ baseUrl: srv.url, token: TOKEN });
    expect(client.shell).toBe('browser');
    const out = await client['key.list']({});
    expect(out).toEqual({ echo: {} });
    expect(srv.seen[0]).toMatchObject({ path: '/api/op/key.list', auth: `Bearer ${TOKEN}` });
    // Not a thenable: awaiting the client itself must not call an operation named "then".
    expect((client as unknown as { then?: unknown }).then).toBeUndefined();
  });

  it('rethrows the service error with its code, message and field', async () => {
    const srv = await controlServer();
    servers.push(srv.server);
    const client = createHttpClient({ baseUrl: srv.url, token: TOKEN });
    const err = await client['key.add']({ ref: 'x', secret: 's' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeywayError);
    expect(err).toMatchObject({ code: 'bad_input', field: 'ref' });
    const wrong = createHttpClient({ baseUrl: srv.url, token: 'nope' });
    await expect(wrong.status({})).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('says clearly when keyway serve is gone', async () => {
    const srv = await controlServer();
    const url = srv.url;
    await new Promise((r) => srv.server.close(r));
    const client = createHttpClient({ baseUrl: url, token: TOKEN });
    await expect(client.status({})).rejects.toThrow(/not answering at http:\/\/127\.0\.0\.1/);
  });

  it('streams events over fetch, reconnects after a drop and asks for a resync', async () => {
    const srv = await controlServer();
    servers.push(srv.server);
    const client = createHttpClient({ baseUrl: srv.url, token: TOKEN, retryMs: 20 });
    const got: KeywayEvent[] = [];
    let resyncs = 0;
    client.onResync(() => resyncs++);
    const off = client.onEvent((e) => got.push(e));
    await waitFor(() => srv.streams.length === 1);
    srv.streams[0]!.write('event: state.changed\ndata: {"what":"keys"}\n\n');
    srv.streams[0]!.write('event: not.ours\ndata: {}\n\n');
    await waitFor(() => got.length === 1);
    expect(got[0]).toEqual({ type: 'state.changed', payload: { what: 'keys' } });
    expect(srv.seen.find((s) => s.path === '/api/events')?.auth).toBe(`Bearer ${TOKEN}`);

    srv.streams[0]!.end();
    await waitFor(() => srv.streams.length === 2);
    await waitFor(() => resyncs === 1);
    srv.streams[1]!.write('event: key.due\ndata: {"key":"a/b","dueAt":"x","guided":false}\n\n');
    await waitFor(() => got.length === 2);
    // The last listener leaving closes the stream.
    off();
    await waitFor(() => srv.streams[1]!.closed);
  });
});

describe('picking the transport', () => {
  it('reads the control token from the URL fragment', () => {
    expect(tokenFromHash('#token=kwctl_abc')).toBe('kwctl_abc');
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
  });

  it('uses the preload bridge in the desktop app, the HTTP API with a token, else nothing', () => {
    const bridge = { onEvent: () => () => undefined } as unknown as NonNullable<Window['keyway']>;
    const loc = (hash: string) => ({ hash, origin: 'http://127.0.0.1:1' }) as Location;
    expect(pickClient({ keyway: bridge, location: loc('') })?.shell).toBe('desktop');
    expect(pickClient({ keyway: undefined, location: loc('#token=t') })?.shell).toBe('browser');
    expect(pickClient({ keyway: undefined, location: loc('') })).toBeNull();
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
