import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_VENDORS, startSandbox } from './index';
import type { Sandbox } from './index';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

const control = (origin: string, path: string, init: RequestInit = {}) =>
  fetch(`${origin}/__sandbox${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });

describe('startSandbox', () => {
  it('starts every vendor on its own 127.0.0.1 origin', () => {
    const origins = SANDBOX_VENDORS.map((v) => sb.vendors[v].origin);
    expect(new Set(origins).size).toBe(SANDBOX_VENDORS.length);
    for (const v of SANDBOX_VENDORS) {
      expect(sb.vendors[v].origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sb.vendors[v].mcpUrl).toBe(`${sb.vendors[v].origin}/mcp`);
      expect(sb.vendors[v].dashboardUrl.startsWith(sb.vendors[v].origin)).toBe(true);
    }
    expect(sb.vendors.quave.auth).toEqual({ header: 'Authorization', prefix: '' });
    expect(sb.vendors.custom.auth).toEqual({ header: 'X-Api-Key', prefix: '' });
    expect(sb.vendors.custom.legacySseUrl).toBe(`${sb.vendors.custom.origin}/legacy/sse`);
  });
});

describe('the dashboard over HTTP (/__sandbox)', () => {
  it('creates a key (plaintext once), lists it without secrets, and revokes it', async () => {
    const { origin } = sb.vendors.specivo;
    const created = await control(origin, '/keys', {
      method: 'POST',
      body: JSON.stringify({ name: 'ci-agent', scopes: ['mcp'] }),
    });
    expect(created.status).toBe(201);
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    expect(secret).toMatch(/^spv_/);
    const listing = await (await control(origin, '/keys')).text();
    expect(listing).not.toContain(secret);
    expect(JSON.parse(listing)).toContainEqual(
      expect.objectContaining({ id, name: 'ci-agent', scopes: ['mcp'], live: true }),
    );
    const live = async () =>
      (
        (await (
          await control(origin, '/live', { method: 'POST', body: JSON.stringify({ secret }) })
        ).json()) as {
          live: boolean;
        }
      ).live;
    expect(await live()).toBe(true);
    expect((await control(origin, `/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await live()).toBe(false);
    expect(sb.dashboard.isLive('specivo', secret)).toBe(false);
    expect((await control(origin, `/keys/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('rejects invalid Quave key options with the vendor’s validation message', async () => {
    const res = await control(sb.vendors.quave.origin, '/keys', {
      method: 'POST',
      body: JSON.stringify({ sessionDuration: 5 }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'sessionDuration must be a whole number of seconds from 300 to 86400',
    });
  });

  it('rejects key options of the wrong type', async () => {
    const res = await control(sb.vendors.qyvo.origin, '/keys', {
      method: 'POST',
      body: JSON.stringify({ scopes: 'mcp' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'scopes must be an array of strings' });
  });

  it('sets switches per vendor and validates them', async () => {
    const { origin, apiUrl } = sb.vendors.qwoty;
    const set = await control(origin, '/switches', {
      method: 'POST',
      body: JSON.stringify({ failNext: { status: 502, count: 1 } }),
    });
    expect(await set.json()).toMatchObject({ failNext: { status: 502, count: 1 }, down: false });
    expect((await fetch(`${apiUrl}/api/payment-terms`)).status).toBe(502);
    expect((await fetch(`${apiUrl}/api/payment-terms`)).status).toBe(401);
    const bad = await control(origin, '/switches', { method: 'POST', body: '{"down":"yes"}' });
    expect(bad.status).toBe(400);
    // Other vendors are untouched.
    expect(sb.switches('qyvo').failNext).toBeUndefined();
  });

  it('keeps the control routes working while the vendor is down', async () => {
    const { origin, apiUrl, mcpUrl } = sb.vendors.qyvo;
    await control(origin, '/switches', { method: 'POST', body: '{"down":true}' });
    expect((await fetch(`${apiUrl}/api/v1/me`)).status).toBe(503);
    expect((await fetch(mcpUrl, { method: 'POST', body: '{}' })).status).toBe(503);
    expect((await control(origin, '/keys')).status).toBe(200);
    await control(origin, '/switches', { method: 'POST', body: '{"down":false}' });
    expect((await fetch(`${apiUrl}/api/v1/me`)).status).toBe(401);
  });

  it('logs vendor requests (method, path, status) but not control calls', async () => {
    const { origin, apiUrl } = sb.vendors.qwoty;
    await control(origin, '/requests', { method: 'DELETE' });
    await fetch(`${apiUrl}/api/payment-terms`);
    await control(origin, '/keys');
    const log = (await (await control(origin, '/requests')).json()) as unknown[];
    expect(log).toEqual([
      expect.objectContaining({ method: 'GET', path: '/api/payment-terms', status: 401 }),
    ]);
  });

  it('refuses control calls from another origin’s page', async () => {
    const res = await control(sb.vendors.qyvo.origin, '/keys', {
      method: 'POST',
      headers: { Origin: 'http://evil.example' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(sb.dashboard.keys('qyvo')).toHaveLength(0);
  });
});

describe('the dashboard page a person uses', () => {
  it('shows a new key once, lists keys without secrets, and revokes', async () => {
    const url = sb.vendors.qwoty.dashboardUrl;
    const form = (body: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      }).then((r) => r.text());
    const page = await form({ action: 'create', name: 'n8n <prod>', scopes: 'quotes:read' });
    const secret = /data-testid="new-secret">([^<]+)</.exec(page)?.[1] ?? '';
    expect(secret).toMatch(/^qwt_prod_/);
    expect(page).toContain('n8n &#60;prod&#62;');
    const again = await (await fetch(url)).text();
    expect(again).toContain('n8n &#60;prod&#62;');
    expect(again).not.toContain(secret);
    const id = sb.dashboard.keys('qwoty').find((k) => k.name === 'n8n <prod>')?.id ?? '';
    expect(await form({ action: 'revoke', id })).toContain('Key revoked.');
    expect(sb.dashboard.isLive('qwoty', secret)).toBe(false);
  });
});
