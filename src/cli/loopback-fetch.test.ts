import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { controlCaller } from '../shared/control-http';
import { KeywayError } from '../shared/errors';
import { loopbackFetch } from './loopback-fetch';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the CLI’s loopback caller of the control API', () => {
  it('posts the JSON input with the token and returns the result or the error Keyway sent', async () => {
    const seen: { auth?: string; body: string; path?: string }[] = [];
    const base = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body, path: req.url });
        if (req.url === '/api/op/key.list') res.end(JSON.stringify({ result: [{ ref: 'a/b' }] }));
        else
          res
            .writeHead(404)
            .end(JSON.stringify({ error: { code: 'not_found', message: 'no key "x/y"' } }));
      });
    });
    const call = controlCaller({ baseUrl: base, token: 'kwctl_t', fetch: loopbackFetch });
    expect(await call('key.list', {})).toEqual([{ ref: 'a/b' }]);
    await expect(call('key.remove', { ref: 'x/y' })).rejects.toThrow('no key "x/y"');
    expect(seen[0]).toEqual({ auth: 'Bearer kwctl_t', body: '{}', path: '/api/op/key.list' });
    expect(JSON.parse(seen[1]!.body)).toEqual({ ref: 'x/y' });
  });

  it('gives up on a Keyway that never answers, and names one that is not there', async () => {
    let open = 0;
    const base = await listen(() => void open++); // accepts, never answers
    const call = controlCaller({
      baseUrl: base,
      token: 't',
      fetch: loopbackFetch,
      timeoutMs: 200,
      unreachable: (url, err) =>
        new KeywayError('vendor_unavailable', `cannot reach Keyway at ${url}: ${err.name}`),
    });
    await expect(call('key.list', {})).rejects.toThrow(
      /cannot reach Keyway at .*: (Abort|Timeout)/,
    );
    expect(open).toBe(1);
    const port = (server!.address() as AddressInfo).port;
    server!.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = undefined;
    const gone = controlCaller({
      baseUrl: `http://127.0.0.1:${port}`,
      token: 't',
      fetch: loopbackFetch,
    });
    await expect(gone('key.list', {})).rejects.toThrow(/ECONNREFUSED/);
  });

  it('an answer that is not JSON is named, not parsed into nonsense', async () => {
    const base = await listen((_req, res) => res.writeHead(502).end('<html>bad gateway</html>'));
    const call = controlCaller({ baseUrl: base, token: 't', fetch: loopbackFetch });
    await expect(call('key.list', {})).rejects.toThrow(
      'Keyway answered key.list with HTTP 502, not JSON',
    );
  });
});
