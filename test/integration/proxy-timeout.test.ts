// A vendor that takes the request and never answers: the client gets a timely 504 that says so,
// the vendor request is ended, and the proxy holds nothing for it afterwards (the key's lease is
// free, so a rotation drains at once). A vendor that answers its headers and then streams slowly
// is not cut: only the wait for headers is bounded.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestProxy, TestUpstream } from '../support/mcp-upstream';
import { MemoryBackend, startProxy, startUpstream } from '../support/mcp-upstream';

let up: TestUpstream | undefined;
let px: TestProxy | undefined;

afterEach(async () => {
  await px?.close();
  await up?.close();
  px = up = undefined;
});

const TOKEN = 'local-token-timeout-0123456789';
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  },
});

async function setup(timeoutMs: number) {
  up = await startUpstream();
  up.keys.set('vendor-key-timeout', { keyId: 'key-1', label: 'key' });
  const backend = new MemoryBackend();
  backend.addRoute('slow', up.url, { versionId: 'v1', secret: 'vendor-key-timeout' });
  backend.tokens.set(TOKEN, { client: 'client-a', slug: 'slow' });
  px = await startProxy(backend, { upstreamTimeoutMs: timeoutMs });
  return { up, px };
}

const post = (px: TestProxy) =>
  fetch(px.url('slow'), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: INITIALIZE,
  });

describe('a vendor that does not answer', () => {
  it('gets the client a 504 within the limit, and leaves nothing held', async () => {
    const { up, px } = await setup(300);
    const hung: ServerResponse[] = [];
    up.intercept = (_req, res) => void hung.push(res); // takes the request, never answers
    const t0 = performance.now();
    const answer = await post(px);
    const waited = performance.now() - t0;
    expect(answer.status).toBe(504);
    const body = (await answer.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/did not answer within 300 ms/);
    // The shared sweep runs every 250 ms at most: the answer comes between the limit and that.
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1500);
    // The vendor's side of the request was ended, and the key is not held by it any more.
    await expect.poll(() => hung[0]?.destroyed ?? hung[0]?.socket?.destroyed).toBe(true);
    await expect(px.proxy.drain('v1', 50)).resolves.toMatchObject({ drained: true, inFlight: 0 });
  });

  it('is not cut once its headers came, however slow its events', async () => {
    const { up, px } = await setup(200);
    up.intercept = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      const event = `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} })}\n\n`;
      setTimeout(() => res.end(event), 600); // three times the limit
    };
    const answer = await post(px);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('"result":{}');
  });
});
