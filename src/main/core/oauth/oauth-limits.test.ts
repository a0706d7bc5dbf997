import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedFetch, OAuthFetchError } from './oauth-fetch';
import { boundedScopes, MAX_SCOPES } from './oauth-scopes';

let server: Server;
let base: string;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/silent') return; // never answers
    if (req.url === '/drip') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const t = setInterval(() => res.write(' '), 100);
      timers.add(t);
      res.on('close', () => clearInterval(t));
      return;
    }
    if (req.url === '/big') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

// Generous for a loaded machine; the drip and the silence go on far longer.
const limits = { headersMs: 1500, totalMs: 3000, maxBodyBytes: 64 * 1024 };

describe('boundedFetch', () => {
  it('passes a normal answer through', async () => {
    const res = await boundedFetch(limits)(`${base}/ok`);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('fails a server that sends no headers, one that drips, and one that answers too much', async () => {
    const f = boundedFetch(limits);
    await expect(f(`${base}/silent`)).rejects.toThrow(/sent no answer within 1.5 s/);
    const started = performance.now();
    await expect(f(`${base}/drip`)).rejects.toThrow(/did not finish its answer within 3 s/);
    expect(performance.now() - started).toBeLessThan(8000);
    await expect(f(`${base}/big`)).rejects.toBeInstanceOf(OAuthFetchError);
    await expect(f(`${base}/big`)).rejects.toThrow(/more than 64 KiB/);
  });
});

describe('boundedScopes', () => {
  it('keeps well-formed scopes only, a bounded number of them', () => {
    expect(boundedScopes('openid  mcp:tools openid "quoted" \u001b[2J x\\y')).toEqual([
      'openid',
      'mcp:tools',
    ]);
    const many = Array.from({ length: 1000 }, (_, i) => `s${i}`).join(' ');
    expect(boundedScopes(many)).toHaveLength(MAX_SCOPES);
    expect(boundedScopes('a'.repeat(5_000_000))).toEqual([]);
  });
});
