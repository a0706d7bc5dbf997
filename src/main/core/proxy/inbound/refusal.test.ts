import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { bearerToken } from '../../http/request-guards';
import { guardRefusal as checkHostAndOrigin } from './refusal';

const req = (headers: Record<string, string>): IncomingMessage =>
  ({ headers }) as unknown as IncomingMessage;
const ALLOWED = ['127.0.0.1:8931', 'localhost:8931', '[::1]'];

describe('checkHostAndOrigin', () => {
  it("accepts the proxy's own hosts, case-insensitively, and a port-less entry on any port", () => {
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:8931' }), ALLOWED)).toBeUndefined();
    expect(checkHostAndOrigin(req({ host: 'LOCALHOST:8931' }), ALLOWED)).toBeUndefined();
    expect(checkHostAndOrigin(req({ host: '[::1]:4000' }), ALLOWED)).toBeUndefined();
  });

  it('refuses another Host with 403, and a missing one', () => {
    expect(checkHostAndOrigin(req({ host: 'evil.example:8931' }), ALLOWED)?.status).toBe(403);
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:9999' }), ALLOWED)?.status).toBe(403);
    expect(checkHostAndOrigin(req({}), ALLOWED)?.status).toBe(403);
  });

  it("refuses a browser origin with 403, but not the proxy's own", () => {
    const own = req({ host: '127.0.0.1:8931', origin: 'http://127.0.0.1:8931' });
    expect(checkHostAndOrigin(own, ALLOWED)).toBeUndefined();
    for (const origin of ['https://evil.example', 'null', 'file://', 'http://127.0.0.1:1234']) {
      const refusal = checkHostAndOrigin(req({ host: '127.0.0.1:8931', origin }), ALLOWED);
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toContain(origin);
    }
  });
});

describe('bearerToken', () => {
  it('extracts a Bearer token and nothing else', () => {
    expect(bearerToken(req({ authorization: 'Bearer abc.def' }))).toBe('abc.def');
    expect(bearerToken(req({ authorization: 'bearer  abc ' }))).toBe('abc');
    expect(bearerToken(req({ authorization: 'Basic abc' }))).toBeUndefined();
    expect(bearerToken(req({ authorization: 'Bearer a b' }))).toBeUndefined();
    expect(bearerToken(req({}))).toBeUndefined();
  });
});
