import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMcp, vendorAdapter } from '../../src/main/core/vendors';
import { sandboxEndpoint, startSandbox } from '../../src/sandbox';
import type { Sandbox } from '../../src/sandbox';

const custom = vendorAdapter('custom');
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

describe('Custom MCP server', () => {
  it('verifies with an MCP initialize on the account’s header (X-Api-Key, no prefix)', async () => {
    const ep = sandboxEndpoint(sb, 'custom');
    expect(ep.auth).toEqual({ header: 'X-Api-Key', prefix: '' });
    const { secret } = sb.dashboard.createKey('custom', { scopes: ['team:blue', 'anything'] });
    const r = await custom.verify(ep, secret);
    expect(r.identity).toMatch(/\S+ \S+/);
    expect(sb.dashboard.keys('custom').at(-1)?.scopes).toEqual(['team:blue', 'anything']);
  });

  it('is refused when the header name or prefix is not what the server expects', async () => {
    const { secret } = sb.dashboard.createKey('custom');
    const wrongHeader = { ...sandboxEndpoint(sb, 'custom'), auth: custom.defaultAuth };
    await expect(custom.verify(wrongHeader, secret)).rejects.toMatchObject({
      kind: 'refused',
      status: 401,
      message: expect.stringMatching(/header name or prefix/) as unknown,
    });
    const prefixed = {
      ...sandboxEndpoint(sb, 'custom'),
      auth: { header: 'X-Api-Key', prefix: 'Token ' },
    };
    await expect(custom.verify(prefixed, secret)).rejects.toMatchObject({ kind: 'refused' });
  });

  it('reaches the legacy HTTP+SSE endpoint at /legacy/sse', async () => {
    const ep = sandboxEndpoint(sb, 'custom', { transport: 'sse' });
    expect(ep.mcpUrl).toBe(`${sb.vendors.custom.origin}/legacy/sse`);
    const { id, secret } = sb.dashboard.createKey('custom');
    await expect(probeMcp(ep, secret)).resolves.toMatchObject({
      serverName: expect.any(String) as unknown,
    });
    sb.dashboard.revokeKey('custom', id);
    await expect(probeMcp(ep, secret)).rejects.toMatchObject({ kind: 'refused', status: 401 });
  });

  it('a wrong MCP URL is named as such, not as a bad key', async () => {
    const { secret } = sb.dashboard.createKey('custom');
    const ep = { ...sandboxEndpoint(sb, 'custom'), mcpUrl: `${sb.vendors.custom.origin}/nowhere` };
    await expect(custom.verify(ep, secret)).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringMatching(/no MCP server at \/nowhere/) as unknown,
    });
  });

  it('takes another header scheme when the sandbox is started with one', async () => {
    const other = await startSandbox({
      customAuth: { header: 'Authorization', prefix: 'Bearer ' },
    });
    try {
      const { secret } = other.dashboard.createKey('custom');
      const ep = sandboxEndpoint(other, 'custom');
      expect(ep.auth).toEqual({ header: 'Authorization', prefix: 'Bearer ' });
      await expect(custom.verify(ep, secret)).resolves.toBeTruthy();
    } finally {
      await other.close();
    }
  });
});
