import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamAgents } from './upstream-http';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
});

describe('vendor connections', () => {
  it('an idle vendor connection that gave no keep-alive hint is still used 5 s later', async () => {
    // Like nginx: keeps idle connections for a long time and sends no "Keep-Alive: timeout=".
    let connections = 0;
    const server = createServer((req, res) => {
      (res as unknown as { _keepAliveTimeout: number })._keepAliveTimeout = 0;
      res.end('ok');
    });
    server.keepAliveTimeout = 65_000;
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const agents = new UpstreamAgents();
    cleanups.push(() => agents.destroy());
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async () => {
      const res = await agents.dispatcher.request({ origin, path: '/', method: 'GET' });
      expect(res.headers['keep-alive']).toBeUndefined();
      await res.body.text();
    };
    await call();
    await new Promise((r) => setTimeout(r, 5000)); // past undici's own 4 s default
    await call();
    expect(connections).toBe(1);
  }, 20_000);
});
