// What a stranger or a probing client meets at Keyway's loopback port: one guard (Host, Origin)
// judged alike by the control API and the proxy; OAuth discovery probes answered with a plain
// 404, never the web UI's page; a malformed URL answered 400, with nothing of it in the log.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackHosts } from '../../src/main/core/http/request-guards';
import { startServe, tempDataDir } from '../support/keyway-process';
import type { ServeProcess } from '../support/keyway-process';
import { MemoryBackend, startProxy } from '../support/mcp-upstream';
import type { TestProxy } from '../support/mcp-upstream';

let serve: ServeProcess;
let px: TestProxy;
let servePort = 0;

beforeAll(async () => {
  serve = await startServe({ dataDir: await tempDataDir() });
  servePort = Number(new URL(serve.url).port);
  const backend = new MemoryBackend();
  backend.addRoute('qyvo', 'http://127.0.0.1:9/mcp', { versionId: 'v1', secret: 'never-sent' });
  // The same hosts `keyway serve` answers to.
  px = await startProxy(backend, { hosts: loopbackHosts });
});

afterAll(async () => {
  await px.close();
  await serve.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: fetch will not let us set Host, nor send a malformed path. */
function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('one guard, judged alike by the control API and the proxy', () => {
  const matrix = (port: number): [string, Record<string, string>, 'accepted' | 'refused'][] => [
    ['own address', { host: `127.0.0.1:${port}` }, 'accepted'],
    ['localhost', { host: `localhost:${port}` }, 'accepted'],
    ['localhost, upper case', { host: `LOCALHOST:${port}` }, 'accepted'],
    ['IPv6 loopback', { host: `[::1]:${port}` }, 'accepted'],
    ['foreign Host', { host: 'evil.example' }, 'refused'],
    ['foreign Host with our port', { host: `evil.example:${port}` }, 'refused'],
    ['our address, another port', { host: '127.0.0.1:1' }, 'refused'],
    [
      'own page Origin',
      { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` },
      'accepted',
    ],
    [
      'localhost Origin',
      { host: `127.0.0.1:${port}`, origin: `http://localhost:${port}` },
      'accepted',
    ],
    ['web page Origin', { host: `127.0.0.1:${port}`, origin: 'https://evil.example' }, 'refused'],
    ['opaque Origin', { host: `127.0.0.1:${port}`, origin: 'null' }, 'refused'],
    ['file Origin', { host: `127.0.0.1:${port}`, origin: 'file://' }, 'refused'],
    ['another local port', { host: `127.0.0.1:${port}`, origin: 'http://127.0.0.1:1' }, 'refused'],
  ];
  // Refused by the guard is 403, from every surface; anything else got past it.
  const decision = (status: number): 'accepted' | 'refused' =>
    status === 403 ? 'refused' : 'accepted';

  const targets = (): { name: string; port: number; method: string; path: string }[] => [
    { name: 'control API', port: servePort, method: 'POST', path: '/api/op/status' },
    { name: 'proxy in keyway serve', port: servePort, method: 'POST', path: '/mcp/qyvo' },
    { name: 'proxy on its own', port: px.port, method: 'POST', path: '/mcp/qyvo' },
  ];

  it('every case gets the same decision from each', async () => {
    for (const target of targets()) {
      for (const [name, headers, expected] of matrix(target.port)) {
        const answer = await raw(target.port, target.method, target.path, {
          ...headers,
          authorization: 'Bearer not-a-valid-token',
          'content-type': 'application/json',
        });
        expect(decision(answer.status), `${target.name}: ${name} → ${answer.status}`).toBe(
          expected,
        );
        if (expected === 'accepted') expect([401, 404]).toContain(answer.status);
      }
    }
  });

  it("the proxy's 401 names no OAuth resource metadata", async () => {
    const answer = await raw(px.port, 'POST', '/mcp/qyvo', { host: `127.0.0.1:${px.port}` });
    expect(answer.status).toBe(401);
    expect(String(answer.headers['www-authenticate'])).toBe('Bearer realm="keyway"');
    expect(JSON.stringify(answer.headers)).not.toContain('resource_metadata');
  });
});

describe('discovery probes and unknown paths', () => {
  const probes = [
    '/.well-known/oauth-protected-resource',
    '/.well-known/oauth-protected-resource/mcp/qyvo',
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/mcp/qyvo',
    '/.well-known/openid-configuration',
    '/mcp/qyvo/.well-known/oauth-protected-resource',
    '/mcp/qyvo/.well-known/openid-configuration',
    '/register',
    '/authorize',
    '/some/unknown/path',
    '/assets/missing.js',
  ];

  it('are a plain 404, never the web UI', async () => {
    for (const path of probes) {
      const answer = await raw(servePort, 'GET', path, { host: `127.0.0.1:${servePort}` });
      expect(answer.status, path).toBe(404);
      expect(String(answer.headers['content-type']), path).not.toContain('html');
      expect(answer.body.toLowerCase(), path).not.toContain('<html');
    }
  });

  it('while the web UI itself is still served at /', async () => {
    const page = await raw(servePort, 'GET', '/', { host: `127.0.0.1:${servePort}` });
    // The UI bundle is built by `npm run build`; without it / says so (and still is no 404 page).
    expect([200, 404]).toContain(page.status);
    if (page.status === 200) expect(page.body.toLowerCase()).toContain('<html');
  });
});

describe('a malformed percent-encoding', () => {
  it('is a 400, and nothing of it reaches the log', async () => {
    const host = { host: `127.0.0.1:${servePort}` };
    for (const [method, path] of [
      ['GET', '/%E0%A4%A'],
      ['POST', '/mcp/%E0%A4%A'],
      ['GET', '/mcp/%E0%A4%A/'],
      ['GET', '/assets/%ZZ.js'],
    ] as const) {
      const answer = await raw(servePort, method, path, host);
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.body).not.toContain('%E0');
    }
    const { stdout, stderr } = serve.output();
    expect(stdout + stderr).not.toMatch(/malformed|request failed|%E0|%ZZ/i);
  });
});
