// The forward step over real loopback HTTP: a raw vendor on 127.0.0.1 answers by hand, the real
// proxy sits in front, and each test checks what the client (and the vendor) would see.
import { describe, expect, it } from 'vitest';
import {
  callProxy,
  liveTimers,
  released,
  rpc,
  SECRET,
  SLUG,
  useLoopback,
  TOKEN,
  type Loopback,
  type VendorHandler,
} from '../../../../../test/support/proxy-loopback';

const startLoopback = useLoopback();
let lb: Loopback | undefined;

const json =
  (status: number, body: object, headers: Record<string, string> = {}): VendorHandler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const message = (body: Buffer): string =>
  (JSON.parse(body.toString()) as { error: { message: string } }).error.message;

/** 401 unless the request carries `Bearer <secret>`. */
const acceptsOnly =
  (secret: string): VendorHandler =>
  (req, res, body) =>
    req.headers.authorization === `Bearer ${secret}`
      ? json(200, { jsonrpc: '2.0', id: 1, result: { echoed: body.length } })(req, res, body)
      : json(401, { message: 'Unauthenticated.' }, { 'www-authenticate': 'Bearer' })(
          req,
          res,
          body,
        );

describe('forward: the key goes on, nothing else of the client does', () => {
  it('sends the vendor key in place of the local token and drops what the vendor must not see', async () => {
    lb = await startLoopback(acceptsOnly(SECRET));
    const answer = await callProxy(lb, {
      body: rpc('tools/list'),
      headers: {
        cookie: 'session=of-the-ui',
        referer: 'http://127.0.0.1/ui',
        'x-forwarded-for': '10.0.0.1',
        'mcp-protocol-version': '2025-11-25',
      },
    }).answer();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toMatchObject({
      result: { echoed: rpc('tools/list').length },
    });
    const [seen] = lb.vendor.seen;
    expect(seen?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(seen?.headers['mcp-protocol-version']).toBe('2025-11-25');
    expect(seen?.headers.cookie).toBeUndefined();
    expect(seen?.headers.referer).toBeUndefined();
    expect(seen?.headers['x-forwarded-for']).toBeUndefined();
    expect(JSON.stringify(seen?.headers)).not.toContain(TOKEN);
    expect(seen?.body.toString()).toBe(rpc('tools/list'));
    expect(await released(lb)).toBe(true);
  });

  it('a key whose origin is not the route’s own is never sent', async () => {
    lb = await startLoopback(acceptsOnly(SECRET));
    lb.backend.keys.set(SLUG, {
      versionId: 'v1',
      secret: SECRET,
      origin: 'https://elsewhere.test',
    });
    const answer = await callProxy(lb, { body: rpc('tools/list') }).answer();
    expect(answer.status).toBe(502);
    expect(lb.vendor.seen).toHaveLength(0);
    expect(answer.body.toString()).not.toContain(SECRET);
  });
});

describe('forward: refusals', () => {
  it('a 401 to a key a rotation already replaced is resent with the new key, unseen by the client', async () => {
    lb = await startLoopback((req, res, body) => {
      // The swap lands while the first request is out.
      lb!.backend.keys.set(SLUG, { versionId: 'v2', secret: 'vendor-secret-v2' });
      acceptsOnly('vendor-secret-v2')(req, res, body);
    });
    const answer = await callProxy(lb, { body: rpc('tools/list') }).answer();
    expect(answer.status).toBe(200);
    expect(lb.vendor.seen.map((s) => s.headers.authorization)).toEqual([
      `Bearer ${SECRET}`,
      'Bearer vendor-secret-v2',
    ]);
    expect(lb.backend.refused).toEqual([]);
    expect(await released(lb, 'v1')).toBe(true);
    expect(await released(lb, 'v2')).toBe(true);
  });

  it('a 401 to the current API key: 502 saying to rotate, the backend told, the secret not quoted', async () => {
    lb = await startLoopback(acceptsOnly('some-other-key'));
    const answer = await callProxy(lb, { body: rpc('tools/list') }).answer();
    expect(answer.status).toBe(502);
    const text = message(answer.body);
    expect(text).toContain('rotate or replace the key in Keyway');
    expect(text).not.toContain(SECRET);
    expect(answer.headers['www-authenticate']).toBeUndefined();
    expect(lb.backend.refused).toEqual([{ slug: SLUG, versionId: 'v1', status: 401 }]);
    expect(lb.vendor.seen).toHaveLength(1);
  });

  it('an OAuth token is renewed once and the request resent with the renewed one', async () => {
    lb = await startLoopback(acceptsOnly('renewed-token'), {
      route: { credential: { kind: 'oauth', account: 'acme' } },
    });
    let renewals = 0;
    lb.backend.renew = async () => {
      renewals++;
      lb!.backend.keys.set(SLUG, { versionId: 'v2', secret: 'renewed-token' });
      return true;
    };
    const answer = await callProxy(lb, { body: rpc('tools/list') }).answer();
    expect(answer.status).toBe(200);
    expect(renewals).toBe(1);
    expect(lb.vendor.seen.map((s) => s.headers.authorization)).toEqual([
      `Bearer ${SECRET}`,
      'Bearer renewed-token',
    ]);
  });

  it('a renewal that fails outright is a refusal: 502 saying to log in, the backend told', async () => {
    lb = await startLoopback(acceptsOnly('never'), {
      route: { credential: { kind: 'oauth', account: 'acme' } },
    });
    lb.backend.renew = () => Promise.reject(new Error('the keychain is locked'));
    const answer = await callProxy(lb, { body: rpc('tools/list') }).answer();
    expect(answer.status).toBe(502);
    expect(message(answer.body)).toContain('log in again: keyway account login acme');
    expect(lb.backend.refused).toEqual([{ slug: SLUG, versionId: 'v1', status: 401 }]);
  });

  it('a redirect is not followed with the key on it, nor passed to the client', async () => {
    lb = await startLoopback((_req, res) => {
      res.writeHead(307, { location: 'http://127.0.0.2:9/steal' }).end();
    });
    const answer = await callProxy(lb, { body: rpc('tools/list') }).answer();
    expect(answer.status).toBe(502);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.body.toString()).toContain('redirect (HTTP 307)');
    expect(lb.vendor.seen).toHaveLength(1);
  });

  it('no usable key: 503 with the reason, and the vendor sees nothing', async () => {
    lb = await startLoopback(acceptsOnly(SECRET));
    lb.backend.keys.delete(SLUG);
    const answer = await callProxy(lb, { body: rpc('tools/list') }).answer();
    expect(answer.status).toBe(503);
    expect(message(answer.body)).toBe(
      `Keyway has no usable key for connection "${SLUG}": no key for ${SLUG}`,
    );
    expect(lb.vendor.seen).toHaveLength(0);
  });
});

describe('forward: a vendor that hangs, a client that leaves', () => {
  it('no headers within the upstream timeout: 504, the vendor socket closed, no timer left', async () => {
    const timersBefore = liveTimers();
    lb = await startLoopback(() => undefined, { upstreamTimeoutMs: 300 });
    const answer = await callProxy(lb, { body: rpc('tools/call') }).answer();
    expect(answer.status).toBe(504);
    await lb.vendor.requestClosed(1);
    expect(await released(lb)).toBe(true);
    await lb.close();
    lb = undefined;
    expect(liveTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('a client that walks away before the answer: the vendor request is closed, the key let go', async () => {
    lb = await startLoopback(() => undefined);
    const call = callProxy(lb, { body: rpc('tools/call') });
    call.response.catch(() => undefined); // the client itself ends it below
    while (lb.vendor.seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    call.abort();
    await lb.vendor.requestClosed(1);
    expect(await released(lb)).toBe(true);
    expect(lb.backend.done.at(-1)).toMatchObject({ slug: SLUG, client: 'claude', status: 0 });
  });
});
