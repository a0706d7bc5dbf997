import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawRequest, sseReader } from './raw-mcp-http';
import { startVendorHarness, textOf } from './vendor-harness';
import type { ConnectedClient, VendorHarness } from './vendor-harness';

const ONE = 'quave_legacy_key_one';
const TWO = 'quave_legacy_key_two';

async function whoami(c: ConnectedClient): Promise<{ keyId: string; sessionId: string }> {
  return JSON.parse(textOf(await c.client.callTool({ name: 'whoami' }))) as {
    keyId: string;
    sessionId: string;
  };
}

describe('sandbox MCP endpoint (legacy HTTP+SSE)', () => {
  let h: VendorHarness;

  beforeEach(async () => {
    h = await startVendorHarness('legacy', 'Quave');
    h.keys.set(ONE, { keyId: 'mcp-key-1', label: 'legacy agent one' });
    h.keys.set(TWO, { keyId: 'mcp-key-2', label: 'legacy agent two' });
  });
  afterEach(() => h.close());

  it('serves the SDK’s SSEClientTransport: tools, resources and prompts', async () => {
    const c = await h.connectLegacy(ONE);
    const who = await whoami(c);
    expect(who).toMatchObject({ keyId: 'mcp-key-1', label: 'legacy agent one', vendor: 'Quave' });
    expect(who.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const tools = await c.client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['whoami', 'echo', 'slow', 'ask', 'sample', 'big']),
    );
    const text = await c.client.readResource({ uri: 'test://static-text' });
    expect(text.contents[0]).toMatchObject({ mimeType: 'text/plain' });
    const prompt = await c.client.getPrompt({
      name: 'test_prompt_with_arguments',
      arguments: { arg1: 'a', arg2: 'b' },
    });
    expect(JSON.stringify(prompt.messages)).toContain("arg1='a', arg2='b'");
  });

  it('a plain session takes messages from another key; a bound one answers 404', async () => {
    const c = await h.connectLegacy(ONE);
    const { sessionId } = await whoami(c);
    const post = (secret: string) =>
      rawRequest(`${h.url}/messages?sessionId=${sessionId}`, {
        headers: { Authorization: `Bearer ${secret}` },
        body: { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
      });
    expect((await post(TWO)).status).toBe(202);
    h.bound.value = true;
    const refused = await post(TWO);
    expect(refused.status).toBe(404);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { message: 'Session not found' } });
    expect((await post(ONE)).status).toBe(202);
  });

  it('revoking the key fails its in-flight call, and the key is refused after', async () => {
    const c = await h.connectLegacy(ONE);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const call = c.client.callTool(
      { name: 'slow', arguments: { steps: 200, delayMs: 50 } },
      undefined,
      {
        onprogress: () => started(),
      },
    );
    await running;
    h.revoke(ONE);
    await expect(call).rejects.toThrow(/revoked/);
    const again = await rawRequest(`${h.url}/sse`, {
      method: 'GET',
      headers: { Authorization: `Bearer ${ONE}` },
    });
    expect(again.status).toBe(401);
  });

  it('revoking the key ends the event stream it opened, and leaves other keys’ streams alone', async () => {
    const stream = await fetch(`${h.url}/sse`, { headers: { Authorization: `Bearer ${ONE}` } });
    const events = sseReader(stream.body!);
    expect((await events.next())?.event).toBe('endpoint');
    const other = await h.connectLegacy(TWO);
    h.revoke(ONE);
    const outcome = await Promise.race([
      events.next().then(
        (event) => (event === undefined ? 'ended' : `got ${event.event ?? 'message'}`),
        () => 'ended',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000)),
    ]);
    expect(outcome).toBe('ended');
    expect(textOf(await other.client.callTool({ name: 'echo', arguments: { text: 'ok' } }))).toBe(
      'ok',
    );
  });

  it('refuses a foreign Host and unknown paths', async () => {
    const foreign = await rawRequest(`${h.url}/sse`, {
      method: 'GET',
      headers: { Authorization: `Bearer ${ONE}`, Host: 'evil.example.com' },
    });
    expect(foreign.status).toBe(403);
    const unknown = await rawRequest(`${h.url}/elsewhere`, {
      method: 'GET',
      headers: { Authorization: `Bearer ${ONE}` },
    });
    expect(unknown.status).toBe(404);
    const noSession = await rawRequest(`${h.url}/messages?sessionId=nope`, {
      headers: { Authorization: `Bearer ${ONE}` },
      body: { jsonrpc: '2.0', id: 1, method: 'ping' },
    });
    expect(noSession.status).toBe(404);
  });
});
