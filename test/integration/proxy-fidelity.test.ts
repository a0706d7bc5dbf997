// The proxy is faithful: real SDK clients talk to the sandbox vendor through it and get every
// MCP feature a direct connection gives them, with the vendor key put on by the proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { activityUri, WATCHED_URI } from '../../src/sandbox/mcp/index';
import type { ActivityEntry } from '../../src/sandbox/mcp/index';
import type { TestProxy, TestUpstream } from '../support/mcp-upstream';
import {
  connectClient,
  MemoryBackend,
  startProxy,
  startUpstream,
  textOf,
} from '../support/mcp-upstream';

let up: TestUpstream;
let px: TestProxy;
const TOKEN = 'local-token-fidelity-0123456789';

beforeAll(async () => {
  up = await startUpstream();
  up.keys.set('vendor-secret-A', { keyId: 'key-A', label: 'agent A' });
  const backend = new MemoryBackend();
  backend.addRoute('qyvo', up.url, { versionId: 'v1', secret: 'vendor-secret-A' });
  backend.addRoute(
    'legacy',
    up.legacyUrl,
    { versionId: 'v1', secret: 'vendor-secret-A' },
    { transport: 'sse' },
  );
  backend.tokens.set(TOKEN, { client: 'claude', slug: 'qyvo' });
  backend.tokens.set(`${TOKEN}-legacy`, { client: 'cursor', slug: 'legacy' });
  px = await startProxy(backend);
});

afterAll(async () => {
  await px.close();
  await up.close();
});

const withAnswers = {
  client: { capabilities: { elicitation: {}, sampling: {} } },
};

async function answeringClient(slug: string, token: string) {
  const connected = await connectClient(px.url(slug), token, withAnswers);
  connected.client.setRequestHandler(ElicitRequestSchema, (req) => ({
    action: 'accept',
    content: { answer: `staging (asked: ${req.params.message})` },
  }));
  connected.client.setRequestHandler(CreateMessageRequestSchema, (req) => {
    const first = req.params.messages[0]?.content;
    const prompt = first && 'text' in first ? String(first.text) : '';
    return {
      model: 'test-model',
      role: 'assistant',
      content: { type: 'text', text: `model says: ${prompt}` },
    };
  });
  return connected;
}

async function lastActivity(
  client: Awaited<ReturnType<typeof connectClient>>['client'],
): Promise<ActivityEntry | undefined> {
  const read = await client.readResource({ uri: activityUri('Qyvo') });
  const first = read.contents[0];
  const snapshot = JSON.parse(first && 'text' in first ? first.text : '{}') as {
    recent: ActivityEntry[];
  };
  return snapshot.recent.at(-1);
}

describe.each(['qyvo', 'legacy'])('through the proxy (%s upstream)', (slug) => {
  const token = slug === 'legacy' ? `${TOKEN}-legacy` : TOKEN;

  it('calls a tool with the vendor key the proxy put on', async () => {
    const { client } = await connectClient(px.url(slug), token);
    const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
      keyId: string;
    };
    expect(who.keyId).toBe('key-A');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'héllo ✓' } }))).toBe(
      'héllo ✓',
    );
    // A body too large to hold for a retry (over 64 KiB) streams through instead.
    const large = 'ü'.repeat(100_000);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: large } }))).toBe(large);
    const legacyTraffic = up.seen.some((r) => r.path.startsWith('/legacy/messages?sessionId='));
    expect(legacyTraffic).toBe(slug === 'legacy');
    await client.close();
  });

  it('delivers progress notifications in order', async () => {
    const { client } = await connectClient(px.url(slug), token);
    const seen: number[] = [];
    const result = await client.callTool(
      { name: 'slow', arguments: { steps: 5, delayMs: 10 } },
      undefined,
      {
        onprogress: (p) => seen.push(p.progress),
      },
    );
    expect(textOf(result)).toBe('completed 5 steps');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    await client.close();
  });

  it('passes a cancellation through: the vendor stops the tool', async () => {
    const { client } = await connectClient(px.url(slug), token);
    const controller = new AbortController();
    let progressed = 0;
    const call = client.callTool(
      { name: 'slow', arguments: { steps: 200, delayMs: 20 } },
      undefined,
      {
        signal: controller.signal,
        onprogress: () => {
          if (++progressed === 2) controller.abort('user pressed stop');
        },
      },
    );
    await expect(call).rejects.toThrow(/user pressed stop|abort/i);
    await expect
      .poll(async () => (await lastActivity(client))?.outcome, { timeout: 5000 })
      .toBe('cancelled');
    const entry = await lastActivity(client);
    expect(entry?.tool).toBe('slow');
    expect(entry?.detail).toMatch(/stopped after \d+ of 200 steps/);
    await client.close();
  });

  it('lets the client answer elicitation and sampling requests from the vendor', async () => {
    const { client } = await answeringClient(slug, token);
    const asked = JSON.parse(
      textOf(await client.callTool({ name: 'ask', arguments: { question: 'Which env?' } })),
    ) as {
      action: string;
      answer: string;
    };
    expect(asked).toEqual({ action: 'accept', answer: 'staging (asked: Which env?)' });
    const sampled = await client.callTool({ name: 'sample', arguments: { prompt: 'say hi' } });
    expect(textOf(sampled)).toBe('model says: say hi');
    await client.close();
  });

  it('delivers resource updates to a subscribed client', async () => {
    const { client } = await connectClient(px.url(slug), token);
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
    });
    await client.subscribeResource({ uri: WATCHED_URI });
    await client.callTool({ name: 'echo', arguments: { text: 'change it' } });
    await expect.poll(() => updates.includes(WATCHED_URI), { timeout: 5000 }).toBe(true);
    await client.close();
  });
});

describe('Streamable HTTP specifics', () => {
  it('resumes a dropped SSE response with Last-Event-ID and loses no event', async () => {
    let cut = false;
    // Drops the tools/call response stream after its second event, like a flaky network would.
    const dropOnce: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      const isCall = typeof init?.body === 'string' && init.body.includes('"tools/call"');
      if (
        cut ||
        !isCall ||
        !res.body ||
        !res.headers.get('content-type')?.includes('text/event-stream')
      )
        return res;
      cut = true;
      const reader = res.body.getReader();
      let events = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) return controller.close();
          controller.enqueue(value);
          events += new TextDecoder().decode(value).split('\n\n').length - 1;
          if (events >= 2) {
            await reader.cancel();
            controller.error(new Error('network dropped'));
          }
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const { StreamableHTTPClientTransport } =
      await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const transport = new StreamableHTTPClientTransport(new URL(px.url('qyvo')), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      fetch: dropOnce,
      reconnectionOptions: {
        initialReconnectionDelay: 50,
        maxReconnectionDelay: 200,
        reconnectionDelayGrowFactor: 1,
        maxRetries: 5,
      },
    });
    const client = new Client({ name: 'resume-test', version: '1.0.0' });
    await client.connect(transport);
    const before = up.seen.length;
    const seen: number[] = [];
    const result = await client.callTool(
      { name: 'slow', arguments: { steps: 6, delayMs: 60 } },
      undefined,
      {
        onprogress: (p) => seen.push(p.progress),
      },
    );
    expect(cut).toBe(true);
    expect(textOf(result)).toBe('completed 6 steps');
    expect([...new Set(seen)]).toEqual([1, 2, 3, 4, 5, 6]);
    const resumed = up.seen
      .slice(before)
      .filter((r) => r.method === 'GET' && r.headers['last-event-id']);
    expect(resumed.length).toBeGreaterThan(0);
    await client.close();
  });

  it('puts a Quave-style raw key on and nothing of the client', async () => {
    const raw = await startUpstream('raw');
    raw.keys.set('quave-raw-key', { keyId: 'quave-1', label: 'quave' });
    const backend = new MemoryBackend();
    backend.addRoute(
      'quave',
      raw.url,
      { versionId: 'q1', secret: 'quave-raw-key' },
      { auth: { header: 'Authorization', prefix: '' } },
    );
    backend.tokens.set('tok-quave-123456', { client: 'codex', slug: 'quave' });
    const quaveProxy = await startProxy(backend);
    try {
      const { client } = await connectClient(quaveProxy.url('quave'), 'tok-quave-123456', {
        headers: { Cookie: 'session=browser-cookie', 'X-Forwarded-For': '10.0.0.1' },
      });
      const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
        keyId: string;
      };
      expect(who.keyId).toBe('quave-1');
      await client.close();
      expect(raw.seen.length).toBeGreaterThan(0);
      for (const r of raw.seen) {
        expect(r.headers.authorization).toBe('quave-raw-key');
        expect(r.headers.cookie).toBeUndefined();
        expect(r.headers['x-forwarded-for']).toBeUndefined();
        expect(JSON.stringify(r.headers)).not.toContain('tok-quave-123456');
      }
    } finally {
      await quaveProxy.close();
      await raw.close();
    }
  });
});
