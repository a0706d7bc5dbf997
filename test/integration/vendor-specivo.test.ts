import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMcp, vendorAdapter } from '../../src/main/core/vendors';
import type { VendorEndpoint } from '../../src/main/core/vendors';
import { sandboxEndpoint, startSandbox } from '../../src/sandbox';
import type { Sandbox } from '../../src/sandbox';

const specivo = vendorAdapter('specivo');
let sb: Sandbox;
let ep: VendorEndpoint;

beforeAll(async () => {
  sb = await startSandbox();
  ep = sandboxEndpoint(sb, 'specivo');
});
afterAll(() => sb.close());

describe('Specivo against its document', () => {
  it('keys start with spv_, are shown once and stored hashed', async () => {
    const { secret } = sb.dashboard.createKey('specivo', { name: 'claude-code' });
    expect(secret).toMatch(/^spv_/);
    expect(specivo.checkFormat(secret)).toEqual({ ok: true, warnings: [] });
    const listing = await (await fetch(`${sb.vendors.specivo.origin}/__sandbox/keys`)).text();
    expect(listing).toContain('claude-code');
    expect(listing).not.toContain(secret);
  });

  it('verify = an MCP initialize with the mcp-scoped key', async () => {
    const { secret } = sb.dashboard.createKey('specivo');
    const r = await specivo.verify(ep, secret);
    expect(r).toEqual({
      identity: expect.stringMatching(/^Specivo key \(MCP server .+\)$/) as unknown,
      warnings: [],
    });
    expect(sb.requests('specivo').some((q) => q.method === 'POST' && q.path === '/mcp')).toBe(true);
  });

  it('a key without mcp: warned at creation, verifies (it authenticates), but the MCP probe is refused', async () => {
    expect(specivo.scopeWarnings([])).toHaveLength(1);
    const { secret } = sb.dashboard.createKey('specivo', { scopes: [] });
    const r = await specivo.verify(ep, secret);
    expect(r.identity).toBe('Specivo key (authenticated)');
    expect(r.warnings[0]).toMatch(/authenticates, but Specivo’s MCP server refuses it/);
    await expect(probeMcp(ep, secret, undefined, 'specivo')).rejects.toMatchObject({
      kind: 'refused',
      status: 403,
      message: expect.stringMatching(
        /403 “This API key does not have the mcp scope\.”.*authenticates, but it lacks the mcp scope/,
      ) as unknown,
    });
  });

  it('a wrong key is refused with 401', async () => {
    await expect(specivo.verify(ep, 'spv_not-a-real-key')).rejects.toMatchObject({
      kind: 'refused',
      status: 401,
      message: expect.stringMatching(/401 “Invalid API key\.”.*wrong or revoked/) as unknown,
    });
  });

  it('revoking takes effect immediately: the next request fails', async () => {
    const { id, secret } = sb.dashboard.createKey('specivo');
    await expect(probeMcp(ep, secret, undefined, 'specivo')).resolves.toBeTruthy();
    expect(sb.dashboard.revokeKey('specivo', id)).toBe(true);
    expect(sb.dashboard.isLive('specivo', secret)).toBe(false);
    await expect(specivo.verify(ep, secret)).rejects.toMatchObject({
      kind: 'refused',
      status: 401,
    });
  });

  it('guides to /my/api-keys/ with the service-account advice and the mcp scope', async () => {
    const guided = specivo.guidedFor?.(ep);
    expect(guided?.dashboardUrl).toBe(sb.vendors.specivo.dashboardUrl);
    expect(guided?.dashboardUrl?.endsWith('/my/api-keys/')).toBe(true);
    expect(guided?.createSteps.join('\n')).toMatch(
      /Agent role[\s\S]*select the mcp scope[\s\S]*shown only once/,
    );
    expect(await (await fetch(guided?.dashboardUrl ?? '')).text()).toContain('API keys');
  });
});
