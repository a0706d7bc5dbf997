import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VendorError, probeMcp, vendorAdapter } from '../../src/main/core/vendors';
import type { VendorEndpoint, VendorHttpOptions } from '../../src/main/core/vendors';
import { createMcpKey, deleteMcpKey, listMcpKeys } from '../../src/main/core/vendors/quave-api';
import { updateMcpKey } from '../support/quave-api-client';
import { SANDBOX_VENDORS, sandboxEndpoint, startSandbox } from '../../src/sandbox';
import type { Sandbox, SandboxVendor } from '../../src/sandbox';

let sb: Sandbox;
const FAST: VendorHttpOptions = { timeoutMs: 2000, retries: 2, retryBaseMs: 5 };
const ep = (v: SandboxVendor, http: VendorHttpOptions = FAST): VendorEndpoint =>
  sandboxEndpoint(sb, v, { http });
const key = (v: SandboxVendor) =>
  sb.dashboard.createKey(v, v === 'quave' ? { kind: 'user-token', user: `net-${v}` } : {}).secret;
const count = (v: SandboxVendor, method: string, path: string) =>
  sb.requests(v).filter((r) => r.method === method && r.path === path).length;

async function failure(p: Promise<unknown>): Promise<VendorError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof VendorError)) throw new Error(`expected a VendorError, got ${String(e)}`);
  return e;
}

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

describe('timeouts', () => {
  it('a REST call that hangs times out with a timeout error, not a refusal', async () => {
    const secret = key('qyvo');
    sb.setSwitches('qyvo', { timeoutNext: 1 });
    const e = await failure(
      vendorAdapter('qyvo').verify(ep('qyvo', { timeoutMs: 300, retries: 0 }), secret),
    );
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(
      /did not answer GET \/api\/v1\/me .* within 0\.3 s; the key was not judged/,
    );
  });
  it('an idempotent call that hung once is retried and succeeds', async () => {
    const secret = key('qyvo');
    sb.clearRequests('qyvo');
    sb.setSwitches('qyvo', { timeoutNext: 1 });
    await vendorAdapter('qyvo').verify(
      ep('qyvo', { timeoutMs: 300, retries: 1, retryBaseMs: 5 }),
      secret,
    );
    expect(count('qyvo', 'GET', '/api/v1/me')).toBe(2);
  });
  it('an MCP initialize that hangs times out', async () => {
    const secret = key('specivo');
    sb.setSwitches('specivo', { timeoutNext: 1 });
    const e = await failure(
      probeMcp(ep('specivo', { timeoutMs: 300 }), secret, undefined, 'specivo'),
    );
    expect(e.kind).toBe('timeout');
  });
  it('slowness beyond the timeout is a timeout too', async () => {
    const secret = key('qwoty');
    sb.setSwitches('qwoty', { latencyMs: 500 });
    try {
      const e = await failure(
        vendorAdapter('qwoty').verify(ep('qwoty', { timeoutMs: 100, retries: 0 }), secret),
      );
      expect(e.kind).toBe('timeout');
    } finally {
      sb.setSwitches('qwoty', { latencyMs: 0 });
    }
  });
  it('a caller’s cancellation is passed through, not reported as the vendor’s failure', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled by user'));
    await expect(probeMcp(ep('specivo'), key('specivo'), ac.signal, 'specivo')).rejects.toThrow(
      'cancelled by user',
    );
  });
});

describe('retries: only idempotent calls, counted at the sandbox', () => {
  it('GET is retried through 503s and succeeds', async () => {
    const cred = key('quave');
    sb.clearRequests('quave');
    sb.setSwitches('quave', { failNext: { status: 503, count: 2 } });
    await expect(listMcpKeys(ep('quave'), cred)).resolves.toEqual([]);
    expect(count('quave', 'GET', '/api/public/v1/mcp-keys')).toBe(3);
  });
  it('GET gives up after the bounded retries and reports unavailable', async () => {
    const cred = key('quave');
    sb.clearRequests('quave');
    sb.setSwitches('quave', { failNext: { status: 502, count: 5 } });
    const e = await failure(listMcpKeys(ep('quave'), cred));
    sb.setSwitches('quave', { failNext: { status: 502, count: 0 } });
    expect(e).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(count('quave', 'GET', '/api/public/v1/mcp-keys')).toBe(3);
  });
  it('DELETE is retried', async () => {
    const cred = key('quave');
    const { key: k } = await createMcpKey(ep('quave'), cred, { name: 'to-delete' });
    sb.clearRequests('quave');
    sb.setSwitches('quave', { failNext: { status: 504, count: 1 } });
    await deleteMcpKey(ep('quave'), cred, k.keyId);
    expect(count('quave', 'DELETE', '/api/public/v1/mcp-key')).toBe(2);
  });
  it('POST (mint) is never retried: one request, unavailable, no key created', async () => {
    const cred = key('quave');
    const before = sb.dashboard.keys('quave').length;
    sb.clearRequests('quave');
    sb.setSwitches('quave', { failNext: { status: 503, count: 1 } });
    const e = await failure(
      vendorAdapter('quave').mint!(ep('quave'), cred, null, {
        name: 'once',
        scopes: [],
        options: {},
      }),
    );
    expect(e).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(count('quave', 'POST', '/api/public/v1/mcp-key')).toBe(1);
    expect(sb.dashboard.keys('quave')).toHaveLength(before);
  });
  it('PATCH is never retried', async () => {
    const cred = key('quave');
    const { key: k } = await createMcpKey(ep('quave'), cred, { name: 'patch-me' });
    sb.clearRequests('quave');
    sb.setSwitches('quave', { failNext: { status: 503, count: 1 } });
    await failure(updateMcpKey(ep('quave'), cred, { keyId: k.keyId, name: 'patched' }));
    expect(count('quave', 'PATCH', '/api/public/v1/mcp-key')).toBe(1);
  });
});

describe('a vendor’s 5xx, downtime or absence never reads as an invalid key', () => {
  it.each(SANDBOX_VENDORS)('%s: a 500 on verify is unavailable', async (v) => {
    const secret = key(v);
    sb.setSwitches(v, { failNext: { status: 500, count: 3 } });
    const e = await failure(vendorAdapter(v).verify(ep(v, { ...FAST, retries: 0 }), secret));
    sb.setSwitches(v, { failNext: { status: 500, count: 0 } });
    expect(e.kind).toBe('unavailable');
    expect(e.message).toMatch(/unavailable \(500 on/);
  });
  it.each(SANDBOX_VENDORS)(
    '%s: down (503 for everything) is unavailable, then recovers',
    async (v) => {
      const secret = key(v);
      sb.setSwitches(v, { down: true });
      const e = await failure(vendorAdapter(v).verify(ep(v, { ...FAST, retries: 1 }), secret));
      sb.setSwitches(v, { down: false });
      expect(e).toMatchObject({ kind: 'unavailable', status: 503 });
      await expect(vendorAdapter(v).verify(ep(v), secret)).resolves.toBeTruthy();
    },
  );
  it('an unreachable vendor is a network error naming its host', async () => {
    const gone = await startSandbox();
    const dead = sandboxEndpoint(gone, 'qyvo', { http: { retries: 0 } });
    const deadMcp = sandboxEndpoint(gone, 'specivo');
    await gone.close();
    const e = await failure(vendorAdapter('qyvo').verify(dead, 'a'.repeat(64)));
    expect(e.kind).toBe('network');
    expect(e.message).toContain(new URL(dead.apiUrl).host);
    const m = await failure(probeMcp(deadMcp, 'spv_x', undefined, 'specivo'));
    expect(m.kind).toBe('network');
  });
});

describe('no secret in any error message', () => {
  it('holds for every failure above and for a vendor that echoes the key back', async () => {
    const secrets = SANDBOX_VENDORS.map((v) => [v, key(v)] as const);
    const errors: VendorError[] = [];
    for (const [v, secret] of secrets) {
      sb.dashboard.revokeKey(v, secret);
      errors.push(await failure(vendorAdapter(v).verify(ep(v), secret)));
      errors.push(await failure(probeMcp(ep(v), secret, undefined, v)));
      sb.setSwitches(v, { failNext: { status: 500, count: 1 } });
      errors.push(await failure(vendorAdapter(v).verify(ep(v, { ...FAST, retries: 0 }), secret)));
    }
    const echoSecret = `qwt_prod_${'e'.repeat(64)}`;
    const echo = createServer((req, res) => {
      const sent = req.headers.authorization ?? '';
      res.writeHead(req.url?.startsWith('/mcp') ? 403 : 401, {
        'Content-Type': 'application/json',
      });
      res.end(
        JSON.stringify({ success: false, error: `Token ${sent} is not valid`, message: sent }),
      );
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const echoEp = {
      apiUrl: origin,
      mcpUrl: `${origin}/mcp`,
      auth: vendorAdapter('qwoty').defaultAuth,
    };
    try {
      errors.push(await failure(vendorAdapter('qwoty').verify(echoEp, echoSecret)));
      errors.push(await failure(probeMcp(echoEp, echoSecret, undefined, 'qwoty')));
      errors.push(
        await failure(
          listMcpKeys({ ...echoEp, auth: { header: 'Authorization', prefix: '' } }, echoSecret),
        ),
      );
    } finally {
      echo.closeAllConnections();
      await new Promise((r) => echo.close(r));
    }
    expect(errors.length).toBe(secrets.length * 3 + 3);
    for (const e of errors) {
      for (const s of [...secrets.map(([, s]) => s), echoSecret]) {
        expect(e.message).not.toContain(s);
        expect(e.message).not.toContain(s.slice(0, 24));
      }
    }
    // The echoed message is still shown, with the key cut out.
    expect(errors.at(-3)?.message).toMatch(/Token Bearer \[redacted\] is not valid/);
  });
});
