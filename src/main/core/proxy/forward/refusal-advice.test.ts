import { describe, expect, it } from 'vitest';
import type { ProxyRoute } from '../proxy-backend';
import { vendorRefusal } from './forward';
import type { UpstreamResponse } from './upstream-http';

const route = (credential: ProxyRoute['credential']): ProxyRoute => ({
  slug: 'docs',
  upstream: new URL('https://vendor.example/mcp'),
  transport: 'streamable-http',
  auth: { header: 'Authorization', prefix: 'Bearer ' },
  credential,
});
// vendorRefusal reads only the status and the headers.
const answer = (status: number, headers: Record<string, string> = {}) =>
  ({ status, headers }) as unknown as UpstreamResponse;

describe('vendorRefusal: what a client is told when the vendor refuses for good', () => {
  it('an API key: rotate or replace it', () => {
    const r = vendorRefusal(route({ kind: 'api-key' }), answer(401));
    expect(r?.status).toBe(502);
    expect(r?.message).toMatch(/refused the key Keyway holds for connection "docs" \(HTTP 401\)/);
    expect(r?.message).toMatch(/rotate or replace the key in Keyway/);
  });

  it('an OAuth access token: log in again, naming the account', () => {
    const r = vendorRefusal(route({ kind: 'oauth', account: 'acme' }), answer(401));
    expect(r?.message).toMatch(/refused the OAuth access token Keyway holds/);
    expect(r?.message).toMatch(/log in again: keyway account login acme/);
    expect(r?.message).not.toMatch(/rotate/);
  });

  it('a redirect is refused, anything else passes', () => {
    const moved = answer(302, { location: 'https://elsewhere.example/' });
    expect(vendorRefusal(route({ kind: 'api-key' }), moved)?.message).toMatch(/redirect/);
    expect(vendorRefusal(route({ kind: 'api-key' }), answer(200))).toBeUndefined();
  });
});
