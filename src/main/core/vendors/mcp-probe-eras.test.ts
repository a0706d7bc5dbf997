import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModernVendor } from '../../../sandbox/modern/modern-vendor';
import { startModernVendor } from '../../../sandbox/modern/modern-vendor';
import { probeMcp } from './mcp-probe';
import type { VendorEndpoint } from './vendor-adapter';
import { VendorError } from './vendor-error';

const endpoint = (mcpUrl: string): VendorEndpoint => ({
  apiUrl: mcpUrl,
  mcpUrl,
  auth: { header: 'Authorization', prefix: 'Bearer ' },
  http: { timeoutMs: 5000 },
});

describe('the MCP key check against a 2026-07-28-only server', () => {
  let vendor: ModernVendor;
  beforeAll(async () => (vendor = await startModernVendor('modern-only')));
  afterAll(() => vendor.close());

  it('proves a key with server/discover (an initialize would be refused)', async () => {
    const key = vendor.mint();
    await expect(probeMcp(endpoint(vendor.url), key)).resolves.toEqual({
      serverName: 'sandbox-modern',
      serverVersion: '1.0.0',
      protocolVersion: '2026-07-28',
    });
    expect(vendor.keysSeen.at(-1)).toBe(key);
  });

  it('reports a revoked key as refused, with the vendor’s words and no secret', async () => {
    const key = vendor.mint();
    vendor.revoke(key);
    const err = await probeMcp(endpoint(vendor.url), key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect((err as VendorError).kind).toBe('refused');
    expect((err as VendorError).message).toContain('401');
    expect((err as VendorError).message).not.toContain(key);
  });
});

describe('the MCP key check against a dual-era server', () => {
  let vendor: ModernVendor;
  beforeAll(async () => (vendor = await startModernVendor('dual')));
  afterAll(() => vendor.close());

  it('stays modern: discover answers, no initialize needed', async () => {
    const result = await probeMcp(endpoint(vendor.url), vendor.mint());
    expect(result.protocolVersion).toBe('2026-07-28');
  });
});
