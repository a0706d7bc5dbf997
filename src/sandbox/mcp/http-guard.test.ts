import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { refuseForeignHost } from './http-guard';

function req(headers: Record<string, string>, localPort = 4100): IncomingMessage {
  return { headers, socket: { localPort } } as unknown as IncomingMessage;
}

describe('refuseForeignHost (DNS-rebinding defence)', () => {
  it('accepts the loopback names of the port the request arrived on, by default', () => {
    for (const host of ['127.0.0.1:4100', 'localhost:4100', '[::1]:4100', 'LOCALHOST:4100']) {
      expect(refuseForeignHost(req({ host }), undefined)).toBeUndefined();
    }
  });

  it('refuses another host, another port, or no Host at all', () => {
    expect(refuseForeignHost(req({ host: 'evil.example.com' }), undefined)).toBe(
      'Forbidden: Host header "evil.example.com" is not an allowed host',
    );
    expect(refuseForeignHost(req({ host: '127.0.0.1:4101' }), undefined)).toMatch(
      /not an allowed host/,
    );
    expect(refuseForeignHost(req({}), undefined)).toMatch(/Host header "" is not an allowed host/);
  });

  it('checks an Origin, when sent, against the same hosts', () => {
    const host = '127.0.0.1:4100';
    expect(
      refuseForeignHost(req({ host, origin: 'http://127.0.0.1:4100' }), undefined),
    ).toBeUndefined();
    expect(refuseForeignHost(req({ host, origin: 'http://evil.example.com' }), undefined)).toBe(
      'Forbidden: Origin "http://evil.example.com" is not an allowed origin',
    );
    expect(refuseForeignHost(req({ host, origin: 'null' }), undefined)).toMatch(
      /not an allowed origin/,
    );
  });

  it('uses the configured hosts instead of the default when given', () => {
    const allowed = ['127.0.0.1:5000'];
    expect(refuseForeignHost(req({ host: '127.0.0.1:5000' }), allowed)).toBeUndefined();
    expect(refuseForeignHost(req({ host: '127.0.0.1:4100' }), allowed)).toMatch(
      /not an allowed host/,
    );
  });
});
