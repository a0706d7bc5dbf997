import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMcp, vendorAdapter } from '../../src/main/core/vendors';
import type { VendorEndpoint } from '../../src/main/core/vendors';
import { sandboxEndpoint, startSandbox } from '../../src/sandbox';
import type { Sandbox } from '../../src/sandbox';

const qyvo = vendorAdapter('qyvo');
let sb: Sandbox;
let ep: VendorEndpoint;

beforeAll(async () => {
  sb = await startSandbox();
  ep = sandboxEndpoint(sb, 'qyvo', { http: { retries: 0 } });
});
afterAll(() => sb.close());

describe('Qyvo against its document', () => {
  it('the dashboard issues 60+ hex tokens with the mcp scope that the adapter accepts', () => {
    const { secret } = sb.dashboard.createKey('qyvo');
    expect(secret).toMatch(/^[0-9a-f]{60,}$/);
    expect(qyvo.checkFormat(secret)).toEqual({ ok: true, warnings: [] });
    expect(sb.dashboard.keys('qyvo').at(-1)?.scopes).toEqual(['mcp']);
    expect(JSON.stringify(sb.dashboard.keys('qyvo'))).not.toContain(secret);
  });

  it('verify = GET /api/v1/me with a Bearer header: the user and tenant', async () => {
    const { secret } = sb.dashboard.createKey('qyvo', { user: 'grace', workspace: 'Initech' });
    await expect(qyvo.verify(ep, secret)).resolves.toEqual({
      identity: 'grace@example.com (tenant Initech)',
      warnings: [],
    });
    const me = sb.requests('qyvo').at(-1);
    expect(me).toMatchObject({ method: 'GET', path: '/api/v1/me', status: 200 });
  });

  it('the same token works on the MCP server at /mcp', async () => {
    const { secret } = sb.dashboard.createKey('qyvo');
    await expect(probeMcp(ep, secret, undefined, 'qyvo')).resolves.toMatchObject({
      protocolVersion: expect.any(String) as unknown,
    });
  });

  describe('401 Unauthenticated', () => {
    const refused = {
      kind: 'refused',
      status: 401,
      message: expect.stringMatching(
        /401 Unauthenticated.*missing.*misspelled or revoked.*no mcp scope/,
      ) as unknown,
    };
    it('header missing', async () => {
      const { secret } = sb.dashboard.createKey('qyvo');
      const noHeader = { ...ep, auth: { header: 'X-Not-Authorization', prefix: 'Bearer ' } };
      await expect(qyvo.verify(noHeader, secret)).rejects.toMatchObject(refused);
    });
    it('token misspelled', async () => {
      const { secret } = sb.dashboard.createKey('qyvo');
      // Change the last character for sure (a token ending in "0" would stay the same).
      const misspelled = `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`;
      await expect(qyvo.verify(ep, misspelled)).rejects.toMatchObject(refused);
    });
    it('token revoked: at once, on REST and MCP', async () => {
      const { id, secret } = sb.dashboard.createKey('qyvo');
      await qyvo.verify(ep, secret);
      expect(sb.dashboard.revokeKey('qyvo', id)).toBe(true);
      await expect(qyvo.verify(ep, secret)).rejects.toMatchObject(refused);
      await expect(probeMcp(ep, secret, undefined, 'qyvo')).rejects.toMatchObject({
        kind: 'refused',
        status: 401,
        message: expect.stringMatching(/Unauthenticated.*lacks the mcp scope/) as unknown,
      });
    });
    it('token without the mcp scope', async () => {
      const { secret } = sb.dashboard.createKey('qyvo', { scopes: [] });
      await expect(qyvo.verify(ep, secret)).rejects.toMatchObject(refused);
      await expect(probeMcp(ep, secret, undefined, 'qyvo')).rejects.toMatchObject({ status: 401 });
    });
  });

  it('404 Personal access client not found: a server-side install issue, not the token', async () => {
    const { secret } = sb.dashboard.createKey('qyvo');
    sb.setSwitches('qyvo', { failNext: { status: 404, count: 1 } });
    const err = await qyvo.verify(ep, secret).catch((e: unknown) => e);
    expect(err).toMatchObject({
      kind: 'not-found',
      status: 404,
      message: expect.stringMatching(
        /personal access client not found: a server-side install issue at Qyvo — contact support/i,
      ) as unknown,
    });
    await expect(qyvo.verify(ep, secret)).resolves.toBeTruthy();
  });

  it('422 No workspace configured: the user behind this token has no workspace', async () => {
    const { secret } = sb.dashboard.createKey('qyvo', { workspace: null });
    await expect(qyvo.verify(ep, secret)).rejects.toMatchObject({
      kind: 'no-workspace',
      status: 422,
      message: expect.stringMatching(/the user behind this token has no workspace/) as unknown,
    });
    await expect(probeMcp(ep, secret, undefined, 'qyvo')).rejects.toMatchObject({
      kind: 'no-workspace',
      status: 422,
    });
    const raw = await fetch(`${ep.apiUrl}/api/v1/me`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(await raw.json()).toEqual({ message: 'No workspace configured for this account.' });
  });

  it('revocation fails a request in flight on the MCP server', async () => {
    const { id, secret } = sb.dashboard.createKey('qyvo');
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(ep.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${secret}` } },
      }),
    );
    try {
      let progressed!: () => void;
      const started = new Promise<void>((r) => (progressed = r));
      const call = client.callTool(
        { name: 'slow', arguments: { steps: 100, delayMs: 50 } },
        undefined,
        {
          onprogress: () => progressed(),
        },
      );
      await started;
      sb.dashboard.revokeKey('qyvo', id);
      await expect(call).rejects.toThrow(/revoked/);
    } finally {
      await client.close();
    }
  });

  it('guides the user to the sandbox’s own Settings → API Tokens page', async () => {
    const guided = qyvo.guidedFor?.(ep);
    expect(guided?.dashboardUrl).toBe(sb.vendors.qyvo.dashboardUrl);
    expect(guided?.createSteps.at(-1)).toMatch(/90 seconds/);
    const page = await fetch(guided?.dashboardUrl ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Settings → API Tokens');
  });
});
