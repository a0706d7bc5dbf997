// The era bridge: real SDK v1 clients (2025 protocol only) reach a real SDK v2 server that speaks
// only 2026-07-28, through the Keyway proxy over loopback HTTP.
import { afterEach, expect, it } from 'vitest';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { TestProxy } from '../support/mcp-upstream';
import { connectClient, MemoryBackend, startProxy, textOf } from '../support/mcp-upstream';
import type { ModernOnlyServer } from '../support/modern-only-server';
import { startModernOnlyServer } from '../support/modern-only-server';

let server: ModernOnlyServer | undefined;
let px: TestProxy | undefined;

afterEach(async () => {
  await px?.close();
  await server?.close();
  px = undefined;
  server = undefined;
});

async function setup(clients = 1) {
  server = await startModernOnlyServer();
  const backend = new MemoryBackend();
  backend.addRoute('modern', server.url, { versionId: 'v1', secret: 'key-one' });
  for (let i = 0; i < clients; i++)
    backend.tokens.set(`token-${i}-abcdefgh`, { client: `client-${i}`, slug: 'modern' });
  px = await startProxy(backend);
  return { server, px, backend };
}

/** A 2025 client that can sample and be asked for input, as Claude Desktop or Cursor are. */
async function legacyClient(url: string, token: string, name = 'Ada') {
  const c = await connectClient(url, token, {
    client: { capabilities: { sampling: {}, elicitation: {} } },
  });
  c.client.setRequestHandler(CreateMessageRequestSchema, (req) => {
    const first = req.params.messages[0]?.content;
    const text = first && 'text' in first ? first.text : '';
    return {
      role: 'assistant',
      content: { type: 'text', text: `answer to ${String(text)}` },
      model: 'test-model',
    };
  });
  c.client.setRequestHandler(ElicitRequestSchema, () => ({
    action: 'accept',
    content: { name },
  }));
  return c;
}

it('serves a 2025 client at a 2026-07-28-only server: initialize, tools, sampling, elicitation, ping', async () => {
  const { server, px } = await setup();
  const { client } = await legacyClient(px.url('modern'), 'token-0-abcdefgh');
  expect(client.getServerVersion()?.name).toBe('modern-only');
  expect(client.getServerCapabilities()?.tools).toBeDefined();
  const tools = await client.listTools();
  expect(tools.tools.map((t) => t.name).sort()).toEqual(['ask_model', 'ask_user', 'echo']);
  expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe(
    'echo: hi',
  );
  expect(
    textOf(await client.callTool({ name: 'ask_model', arguments: { question: 'capital?' } })),
  ).toBe('model said: answer to capital?');
  expect(textOf(await client.callTool({ name: 'ask_user', arguments: {} }))).toBe('hello Ada');
  await client.ping();
  await client.setLoggingLevel('debug');
  const read = await client.readResource({ uri: 'note://current' });
  expect(read.contents[0]).toMatchObject({ text: 'note 0' });
  // Every request reached the server with the key, never with the client's token.
  expect(server.seenAuth.length).toBeGreaterThan(0);
  expect(new Set(server.seenAuth)).toEqual(new Set(['Bearer key-one']));
  await client.close();
});

it('turns a resource subscription into a listen stream and relays its notifications', async () => {
  const { server, px } = await setup();
  const { client } = await legacyClient(px.url('modern'), 'token-0-abcdefgh');
  let updates = 0;
  let toolChanges = 0;
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, () => void updates++);
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void toolChanges++);
  await client.subscribeResource({ uri: 'note://current' });
  await until(() => {
    server.touch();
    return updates > 0 && toolChanges > 0;
  });
  await client.close();
});

it('holds 50 sessions at once, each with sampling and elicitation rounds, none lost', async () => {
  const { px } = await setup(50);
  const sessions = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      legacyClient(px.url('modern'), `token-${i}-abcdefgh`, `user-${i}`),
    ),
  );
  const results = await Promise.all(
    sessions.map(async ({ client }, i) => [
      textOf(await client.callTool({ name: 'ask_model', arguments: { question: `q${i}` } })),
      textOf(await client.callTool({ name: 'ask_user', arguments: {} })),
    ]),
  );
  results.forEach(([model, user], i) => {
    expect(model).toBe(`model said: answer to q${i}`);
    expect(user).toBe(`hello user-${i}`);
  });
  await Promise.all(sessions.map(({ client }) => client.close()));
});

it('keeps a bridged session working across a key swap, its listen stream moved to the new key', async () => {
  const { server, px, backend } = await setup();
  const { client } = await legacyClient(px.url('modern'), 'token-0-abcdefgh');
  let updates = 0;
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, () => void updates++);
  await client.subscribeResource({ uri: 'note://current' });
  await until(() => {
    server.touch();
    return updates > 0;
  });
  let failed = 0;
  let calls = 0;
  let stop = false;
  const load = (async () => {
    while (!stop) {
      try {
        await client.callTool({ name: 'ask_model', arguments: { question: 'x' } });
        calls++;
      } catch {
        failed++;
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  // The resource changes every 20 ms all through the swap: each change must reach the client.
  const counted = updates;
  let touches = 0;
  const toucher = setInterval(() => {
    server.touch();
    touches++;
  }, 20);
  backend.keys.set('modern', { versionId: 'v2', secret: 'key-two' });
  const t0 = Date.now();
  const drained = await px.proxy.drain('v1', 30_000);
  const drainMs = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 200));
  clearInterval(toucher);
  expect(drained).toEqual({ drained: true, inFlight: 0 });
  expect(drainMs).toBeLessThan(5_000);
  await until(() => updates - counted >= touches);
  const seenBefore = server.seenAuth.length;
  const before = updates;
  await until(() => {
    server.touch();
    return updates > before;
  });
  stop = true;
  await load;
  expect(failed).toBe(0);
  expect(calls).toBeGreaterThan(0);
  // After the drain nothing went out with the old key.
  expect(server.seenAuth.slice(seenBefore).every((a) => a === 'Bearer key-two')).toBe(true);
  await client.close();
});

it('forgets a session at DELETE and tells the backend', async () => {
  const { px, backend } = await setup();
  const { client, transport } = await legacyClient(px.url('modern'), 'token-0-abcdefgh');
  const id = transport.sessionId;
  expect(id).toBeTruthy();
  await transport.terminateSession();
  expect(backend.sessionEvents.filter((e) => e.sessionId === id).map((e) => e.type)).toEqual([
    'connected',
    'disconnected',
  ]);
  const res = await fetch(px.url('modern'), {
    method: 'POST',
    headers: {
      authorization: 'Bearer token-0-abcdefgh',
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': String(id),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
  });
  expect(res.status).toBe(404);
  await client.close();
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
