import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { vendorRequest } from './vendor-http';
import { VendorError, scrub, statusError } from './vendor-error';

const SECRET = 'sk_test_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const AUTH = { header: 'Authorization', prefix: 'Bearer ' };
const servers: Server[] = [];

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function failure(p: Promise<unknown>): Promise<VendorError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof VendorError)) throw new Error(`expected a VendorError, got ${String(e)}`);
  return e;
}

describe('vendorRequest', () => {
  it('sends the key on the account header and returns any status with its JSON body', async () => {
    let seen = '';
    const base = await serve((req, res) => {
      seen = req.headers.authorization ?? '';
      res.writeHead(418, { 'Content-Type': 'application/json' }).end('{"error":"teapot"}');
    });
    const res = await vendorRequest('qyvo', {
      method: 'GET',
      base: `${base}/`,
      path: '/api/v1/me',
      auth: AUTH,
      secret: SECRET,
    });
    expect(seen).toBe(`Bearer ${SECRET}`);
    expect(res).toEqual({ status: 418, body: { error: 'teapot' }, what: 'GET /api/v1/me' });
  });

  it('never follows a redirect, so the key cannot reach another origin', async () => {
    let elsewhere = 0;
    const other = await serve((_req, res) => {
      elsewhere++;
      res.end('{}');
    });
    const base = await serve((_req, res) =>
      res.writeHead(302, { Location: `${other}/steal` }).end(),
    );
    const res = await vendorRequest('qwoty', {
      method: 'GET',
      base,
      path: '/api/payment-terms',
      auth: AUTH,
      secret: SECRET,
    });
    expect(res.status).toBe(302);
    expect(elsewhere).toBe(0);
    expect(statusError('qwoty', 302, res.what).message).toMatch(/redirect .*never follows/);
  });

  it('reports a refused connection as a network error naming the host, not the key', async () => {
    const base = await serve(() => undefined);
    const closed = servers.pop();
    closed?.closeAllConnections();
    await new Promise((resolve) => closed?.close(resolve));
    const e = await failure(
      vendorRequest('quave', {
        method: 'GET',
        base,
        path: '/api/public/v1/mcp-keys',
        auth: AUTH,
        secret: SECRET,
        http: { retries: 1, retryBaseMs: 1 },
      }),
    );
    expect(e.kind).toBe('network');
    expect(e.message).toContain(new URL(base).host);
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.message).toContain('the key was not judged');
    expect(e.message).not.toContain(SECRET);
  });

  it('passes a caller cancellation through as-is', async () => {
    const base = await serve(() => undefined);
    const ac = new AbortController();
    const p = vendorRequest('qyvo', {
      method: 'GET',
      base,
      path: '/x',
      auth: AUTH,
      secret: SECRET,
      signal: ac.signal,
    });
    ac.abort(new Error('user cancelled'));
    await expect(p).rejects.toThrow('user cancelled');
  });
});

describe('scrub', () => {
  it('removes given secrets and long token-like runs from vendor text', () => {
    expect(scrub(`bad key ${SECRET}!`, [SECRET])).toBe('bad key [redacted]!');
    expect(scrub(`echo ${'a'.repeat(50)}`)).toBe('echo [redacted]');
    expect(scrub('x'.repeat(20) + ' ' + 'short words '.repeat(40)).length).toBeLessThanOrEqual(301);
  });
});
