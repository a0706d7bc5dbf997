import { describe, expect, it } from 'vitest';
import type { ProxyRoute } from '../proxy-backend';
import {
  clientResponseHeaders,
  KeyOriginRefused,
  upstreamRequestHeaders,
  withKey,
} from './upstream-headers';

const route = (prefix: string, header = 'Authorization'): ProxyRoute => ({
  slug: 's',
  upstream: new URL('https://vendor.example/mcp'),
  transport: 'streamable-http',
  auth: { header, prefix },
  credential: { kind: 'api-key' },
});
const KEY = { versionId: 'v1', secret: 'vendor-secret', origin: 'https://vendor.example' };

describe('upstreamRequestHeaders', () => {
  const incoming = {
    authorization: 'Bearer local-token',
    cookie: 'sid=1',
    origin: 'http://127.0.0.1:8931',
    referer: 'http://127.0.0.1:8931/x',
    'x-forwarded-for': '10.0.0.1',
    'proxy-authorization': 'Basic x',
    host: '127.0.0.1:8931',
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'mcp-protocol-version': '2025-06-18',
    'mcp-session-id': 'client-facing-id',
    'last-event-id': 'e5',
    'mcp-future-header': 'yes',
  };

  it('passes only MCP headers through and puts the vendor key on', () => {
    expect(upstreamRequestHeaders(incoming, route('Bearer '), KEY, 'vendor-session')).toEqual({
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      'mcp-protocol-version': '2025-06-18',
      'mcp-session-id': 'vendor-session',
      'last-event-id': 'e5',
      'mcp-future-header': 'yes',
      authorization: 'Bearer vendor-secret',
    });
  });

  it("uses the vendor's header and prefix (Quave: raw key; custom: any header)", () => {
    expect(upstreamRequestHeaders(incoming, route(''), KEY, undefined).authorization).toBe(
      'vendor-secret',
    );
    const custom = upstreamRequestHeaders(incoming, route('', 'X-Api-Key'), KEY, undefined);
    expect(custom['x-api-key']).toBe('vendor-secret');
    expect(custom.authorization).toBeUndefined();
    expect(custom['mcp-session-id']).toBeUndefined();
  });
});

describe('clientResponseHeaders', () => {
  it("drops the vendor's cookies, auth challenges, redirects and hop headers; maps the session id", () => {
    const out = clientResponseHeaders(
      {
        'content-type': 'text/event-stream',
        'set-cookie': ['a=1'],
        'www-authenticate': 'Bearer resource_metadata="https://vendor.example/.well-known"',
        location: 'https://elsewhere.example',
        connection: 'keep-alive',
        'mcp-session-id': 'vendor-session',
        'cache-control': 'no-cache',
      },
      'client-facing-id',
    );
    expect(out).toEqual({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'mcp-session-id': 'client-facing-id',
    });
  });

  it("drops the vendor's CORS headers and what would act on Keyway's own origin", () => {
    const out = clientResponseHeaders(
      {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
        'access-control-allow-credentials': 'true',
        'access-control-allow-headers': 'authorization, mcp-session-id',
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-expose-headers': 'mcp-session-id',
        'access-control-max-age': '86400',
        'timing-allow-origin': '*',
        'clear-site-data': '"*"',
        refresh: '0; url=https://elsewhere.example',
        'content-security-policy': "default-src 'none'",
      },
      undefined,
    );
    expect(out).toEqual({
      'content-type': 'application/json',
      'content-security-policy': "default-src 'none'",
    });
  });
});

describe('withKey', () => {
  it("refuses to put a key on a request to any origin but the key's own", () => {
    const elsewhere = { ...route('Bearer '), upstream: new URL('https://other.example/mcp') };
    expect(() => upstreamRequestHeaders({}, elsewhere, KEY, undefined)).toThrow(KeyOriginRefused);
    const samePort = { ...route('Bearer '), upstream: new URL('https://vendor.example:444/mcp') };
    expect(() => withKey({}, samePort, KEY)).toThrow(
      /the key's account is at https:\/\/vendor\.example/,
    );
  });
});
