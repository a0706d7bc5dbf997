import { describe, expect, it } from 'vitest';
import { vendorAdapter } from '.';
import { placedVendors } from './vendor-places';

const SANDBOX = 'http://127.0.0.1:4100';
const vendors = placedVendors(vendorAdapter, {
  specivo: {
    apiUrl: SANDBOX,
    mcpUrl: `${SANDBOX}/mcp`,
    dashboardUrl: `${SANDBOX}/my/api-keys/`,
    auth: { header: 'Authorization', prefix: 'Bearer ' },
  },
  qwoty: {
    apiUrl: 'http://127.0.0.1:4200',
    mcpUrl: 'http://127.0.0.1:4200/mcp',
    dashboardUrl: null,
    auth: { header: 'Authorization', prefix: 'Bearer ' },
  },
});
const ep = (origin: string) => ({
  apiUrl: origin,
  mcpUrl: `${origin}/mcp`,
  auth: { header: 'Authorization', prefix: 'Bearer ' },
});

describe('vendors at this instance’s own places (the sandbox)', () => {
  it('defaults to the place and names its page, marked as the sandbox’s', () => {
    const specivo = vendors('specivo');
    expect(specivo.defaults).toEqual({ apiUrl: SANDBOX, mcpUrl: `${SANDBOX}/mcp` });
    expect(specivo.guided).toMatchObject({
      dashboardUrl: `${SANDBOX}/my/api-keys/`,
      sandbox: true,
    });
    expect(specivo.guidedFor?.(ep(SANDBOX))?.dashboardUrl).toBe(`${SANDBOX}/my/api-keys/`);
  });

  it('leaves an account elsewhere with the page on its own host, not the sandbox’s', () => {
    const guided = vendors('specivo').guidedFor?.(ep('https://specivo.com'));
    expect(guided?.dashboardUrl).toBe('https://specivo.com/my/api-keys/');
    expect(guided?.sandbox).toBeUndefined();
  });

  it('a place without a page gives none, never the real vendor’s', () => {
    expect(vendors('qwoty').guidedFor?.(ep('http://127.0.0.1:4200'))).toMatchObject({
      dashboardUrl: null,
      sandbox: true,
    });
  });

  it('a vendor with no place is the adapter itself', () => {
    expect(vendors('qyvo')).toBe(vendorAdapter('qyvo'));
  });
});
