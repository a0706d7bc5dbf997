import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activityUri } from './activity';
import type { ActivityEntry } from './activity';
import { rawOpenSession, rawRequest } from './raw-mcp-http';
import { eventually, startVendorHarness, textOf } from './vendor-harness';
import type { VendorHarness } from './vendor-harness';

const ONE = 'qyvo_secret_one_0123456789abcdef0123456789abcdef0123456789abcdef';
const TWO = 'qyvo_secret_two_0123456789abcdef0123456789abcdef0123456789abcdef';

function inSession(secret: string, sessionId: string): Record<string, string> {
  return {
    Authorization: `Bearer ${secret}`,
    'Mcp-Session-Id': sessionId,
    'MCP-Protocol-Version': '2025-11-25',
  };
}

const whoamiCall = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'whoami' } };

describe('sandbox MCP endpoint (Streamable HTTP): keys and sessions', () => {
  let h: VendorHarness;

  beforeEach(async () => {
    h = await startVendorHarness('streamable', 'Qyvo');
    h.keys.set(ONE, { keyId: 'key-1', label: 'agent one' });
    h.keys.set(TWO, { keyId: 'key-2', label: 'agent two' });
  });
  afterEach(() => h.close());

  it('whoami names the key and the session that served the call', async () => {
    const a = await h.connect(ONE);
    const who = JSON.parse(textOf(await a.client.callTool({ name: 'whoami' }))) as unknown;
    expect(who).toEqual({
      vendor: 'Qyvo',
      keyId: 'key-1',
      label: 'agent one',
      sessionId: a.sessionId,
    });
    expect(a.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a missing or unknown key with the vendor’s answer, before any session exists', async () => {
    const res = await rawRequest(h.url, {
      headers: { Authorization: 'Bearer not-a-key' },
      body: { jsonrpc: '2.0', id: 0, method: 'ping' },
    });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.parse(res.body)).toEqual({ message: 'Unauthenticated.' });
  });

  it('a plain session accepts a request made with another key, and says which key served it', async () => {
    const a = await h.connect(ONE);
    const b = await h.connect(TWO, { sessionId: a.sessionId });
    const who = JSON.parse(textOf(await b.client.callTool({ name: 'whoami' }))) as {
      keyId: string;
      sessionId: string;
    };
    expect(who.keyId).toBe('key-2');
    expect(who.sessionId).toBe(a.sessionId);
  });

  it('a bound session answers another key with 404 and a JSON-RPC error, and keeps serving its own', async () => {
    h.bound.value = true;
    const a = await h.connect(ONE);
    const refused = await rawRequest(h.url, {
      headers: inSession(TWO, a.sessionId ?? ''),
      body: whoamiCall,
    });
    expect(refused.status).toBe(404);
    expect(JSON.parse(refused.body)).toMatchObject({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Session not found' },
    });
    const who = JSON.parse(textOf(await a.client.callTool({ name: 'whoami' }))) as {
      keyId: string;
    };
    expect(who.keyId).toBe('key-1');
  });

  it('an unknown session id is 404; a request without one that is not initialize is 400', async () => {
    const unknown = await rawRequest(h.url, {
      headers: inSession(ONE, '00000000-0000-0000-0000-000000000000'),
      body: whoamiCall,
    });
    expect(unknown.status).toBe(404);
    const noSession = await rawRequest(h.url, {
      headers: { Authorization: `Bearer ${ONE}` },
      body: whoamiCall,
    });
    expect(noSession.status).toBe(400);
    expect(JSON.parse(noSession.body)).toMatchObject({ error: { code: -32000 } });
  });

  it('refuses a foreign Host or Origin (DNS rebinding) with 403, and accepts its own', async () => {
    const port = h.loopback.port;
    const ask = (headers: Record<string, string>) =>
      rawRequest(h.url, {
        headers: { Authorization: `Bearer ${ONE}`, ...headers },
        body: { jsonrpc: '2.0', id: 0, method: 'ping' },
      });
    expect((await ask({ Host: 'evil.example.com' })).status).toBe(403);
    expect(
      (await ask({ Host: `127.0.0.1:${port}`, Origin: 'http://evil.example.com' })).status,
    ).toBe(403);
    expect((await ask({ Host: `localhost:${port}`, Origin: 'null' })).status).toBe(403);
    // Past the host check, an unauthenticated ping without a session is a plain 400.
    expect(
      (await ask({ Host: `localhost:${port}`, Origin: `http://localhost:${port}` })).status,
    ).toBe(400);
  });

  it('revoking a key fails its in-flight call at once, stops the work, and refuses the key after', async () => {
    const a = await h.connect(ONE);
    let progressed = 0;
    let firstProgress!: () => void;
    const started = new Promise<void>((resolve) => (firstProgress = resolve));
    const startedAt = Date.now();
    const call = a.client.callTool(
      { name: 'slow', arguments: { steps: 200, delayMs: 50 } },
      undefined,
      {
        onprogress: () => {
          progressed++;
          firstProgress();
        },
      },
    );
    await started;
    h.revoke(ONE);
    await expect(call).rejects.toThrow(/revoked/);
    // 200 steps of 50 ms would take 10 s: failing "at once" means long before that.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(progressed).toBeLessThan(200);

    const after = await rawRequest(h.url, {
      headers: inSession(ONE, a.sessionId ?? ''),
      body: whoamiCall,
    });
    expect(after.status).toBe(401);

    const b = await h.connect(TWO);
    const slowEntry = await eventually(async () => {
      const read = await b.client.readResource({ uri: activityUri('Qyvo') });
      const first = read.contents[0];
      const snapshot = JSON.parse(first && 'text' in first ? first.text : '{}') as {
        recent: ActivityEntry[];
      };
      return snapshot.recent.find((entry) => entry.tool === 'slow');
    }, 'the slow call in the activity log');
    expect(slowEntry).toMatchObject({ keyId: 'key-1', outcome: 'cancelled' });
    expect(slowEntry.detail).toMatch(/^stopped after \d+ of 200 steps: .*revoked/);
  });

  it('revoking a key ends its open notification stream, and leaves other keys’ streams alone', async () => {
    const sessionId = await rawOpenSession(h.url, ONE);
    const stream = await fetch(h.url, {
      headers: { ...inSession(ONE, sessionId), Accept: 'text/event-stream' },
    });
    expect(stream.status).toBe(200);
    const other = await h.connect(TWO);
    const reader = stream.body!.getReader();
    const ended = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return 'ended';
      } catch {
        return 'ended';
      }
    })();
    h.revoke(ONE);
    const outcome = await Promise.race([
      ended,
      new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000)),
    ]);
    expect(outcome).toBe('ended');
    expect(textOf(await other.client.callTool({ name: 'echo', arguments: { text: 'ok' } }))).toBe(
      'ok',
    );
  });

  it('a bound session opened by a revoked key is gone for good', async () => {
    h.bound.value = true;
    const sessionId = await rawOpenSession(h.url, ONE);
    h.revoke(ONE);
    h.keys.set(ONE, { keyId: 'key-1', label: 'agent one' }); // even if the key came back
    const res = await eventually(async () => {
      const answer = await rawRequest(h.url, {
        headers: inSession(ONE, sessionId),
        body: whoamiCall,
      });
      return answer.status === 404 ? answer : undefined;
    }, 'the session to close');
    expect(JSON.parse(res.body)).toMatchObject({ error: { message: 'Session not found' } });
  });
});
