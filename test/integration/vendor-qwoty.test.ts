import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMcp, vendorAdapter } from '../../src/main/core/vendors';
import type { VendorEndpoint } from '../../src/main/core/vendors';
import { sandboxEndpoint, startSandbox } from '../../src/sandbox';
import type { Sandbox } from '../../src/sandbox';

const qwoty = vendorAdapter('qwoty');
let sb: Sandbox;
let ep: VendorEndpoint;

beforeAll(async () => {
  sb = await startSandbox();
  ep = sandboxEndpoint(sb, 'qwoty', { http: { retries: 0 } });
});
afterAll(() => sb.close());

describe('Qwoty against its document', () => {
  it('the dashboard issues qwt_prod_ tokens of 64–128 characters', () => {
    const { secret } = sb.dashboard.createKey('qwoty');
    expect(secret).toMatch(/^qwt_prod_/);
    expect(secret.length).toBeGreaterThanOrEqual(64);
    expect(secret.length).toBeLessThanOrEqual(128);
    expect(qwoty.checkFormat(secret)).toEqual({ ok: true, warnings: [] });
  });

  it('verify = GET /api/payment-terms with Bearer: the token’s workspace data', async () => {
    const { secret } = sb.dashboard.createKey('qwoty');
    await expect(qwoty.verify(ep, secret)).resolves.toEqual({
      identity: 'Qwoty workspace token (3 payment terms in its workspace)',
      warnings: [],
      // The 200 proves the token may read payment terms (a 403 would say it may not).
      proven: ['payment-terms:read'],
    });
    // Each token is scoped to one workspace.
    const other = sb.dashboard.createKey('qwoty', { workspace: 'Globex' }).secret;
    expect((await qwoty.verify(ep, other)).identity).toMatch(/\(0 payment terms/);
  });

  it('401 Unauthorized, missing token: the {success:false,error} body is surfaced', async () => {
    const { secret } = sb.dashboard.createKey('qwoty');
    const noHeader = { ...ep, auth: { header: 'X-Token', prefix: 'Bearer ' } };
    await expect(qwoty.verify(noHeader, secret)).rejects.toMatchObject({
      kind: 'refused',
      status: 401,
      message: expect.stringContaining('401 Unauthorized: “Missing API token”') as unknown,
    });
  });

  it('401 Unauthorized, invalid or revoked token', async () => {
    const { id, secret } = sb.dashboard.createKey('qwoty');
    await expect(qwoty.verify(ep, `qwt_prod_${'0'.repeat(64)}`)).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('“Invalid API token”') as unknown,
    });
    sb.dashboard.revokeKey('qwoty', id);
    await expect(qwoty.verify(ep, secret)).rejects.toMatchObject({ kind: 'refused', status: 401 });
    await expect(probeMcp(ep, secret, undefined, 'qwoty')).rejects.toMatchObject({
      kind: 'refused',
    });
  });

  it('403 Forbidden: a valid token without the permission verifies, with Qwoty’s words as a warning', async () => {
    const { secret } = sb.dashboard.createKey('qwoty', { scopes: ['quotes:read'] });
    const r = await qwoty.verify(ep, secret);
    expect(r.identity).toBe('Qwoty workspace token');
    expect(r.warnings).toEqual([
      expect.stringContaining(
        `403 Forbidden: “Token doesn't have permission for this operation”`,
      ) as unknown,
    ]);
    const raw = await fetch(`${ep.apiUrl}/api/payment-terms`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(raw.status).toBe(403);
    expect(await raw.json()).toEqual({
      success: false,
      error: "Token doesn't have permission for this operation",
    });
  });

  it('a rate limit (429) is the vendor’s trouble, not the key’s', async () => {
    const { secret } = sb.dashboard.createKey('qwoty');
    sb.setSwitches('qwoty', { failNext: { status: 429, count: 1 } });
    await expect(qwoty.verify(ep, secret)).rejects.toMatchObject({
      kind: 'unavailable',
      status: 429,
      message: expect.stringMatching(/rate limiting/) as unknown,
    });
  });

  it('the token works on Qwoty’s MCP server', async () => {
    const { secret } = sb.dashboard.createKey('qwoty', { scopes: ['quotes:read'] });
    await expect(probeMcp(ep, secret, undefined, 'qwoty')).resolves.toBeTruthy();
  });

  it('guides to Settings → Developer → API Tokens on the account host', async () => {
    const guided = qwoty.guidedFor?.(ep);
    expect(guided?.dashboardUrl).toBe(sb.vendors.qwoty.dashboardUrl);
    expect((await fetch(guided?.dashboardUrl ?? '')).status).toBe(200);
  });
});
