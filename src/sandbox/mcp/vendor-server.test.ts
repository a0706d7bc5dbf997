import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ElicitRequest, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { activityUri } from './activity';
import type { ActivityEntry } from './activity';
import { rawOpenSession, sseReader } from './raw-mcp-http';
import type { SseEvent } from './raw-mcp-http';
import { eventually, startVendorHarness, textOf } from './vendor-harness';
import type { ConnectedClient, VendorHarness } from './vendor-harness';

const SECRET = 'spv_sandbox_tools_test_0123456789abcdef';
const OTHER = 'spv_sandbox_tools_other_0123456789abcdef';

async function recentActivity(c: ConnectedClient): Promise<ActivityEntry[]> {
  const read = await c.client.readResource({ uri: activityUri('Specivo') });
  const first = read.contents[0];
  return (JSON.parse(first && 'text' in first ? first.text : '{}') as { recent: ActivityEntry[] })
    .recent;
}

function messageOf(event: SseEvent | undefined): JSONRPCMessage | undefined {
  return event?.data ? (JSON.parse(event.data) as JSONRPCMessage) : undefined;
}

describe('sandbox vendor MCP server: tools, resources, logging', () => {
  let h: VendorHarness;

  beforeEach(async () => {
    h = await startVendorHarness('streamable', 'Specivo');
    h.keys.set(SECRET, { keyId: 'key-a', label: 'agent a' });
    h.keys.set(OTHER, { keyId: 'key-b', label: 'agent b' });
  });
  afterEach(() => h.close());

  it('slow reports progress per step and stops early when the client cancels', async () => {
    const c = await h.connect(SECRET);
    const seen: { progress: number; total?: number }[] = [];
    let third!: () => void;
    const reachedThird = new Promise<void>((resolve) => (third = resolve));
    const stop = new AbortController();
    const call = c.client.callTool(
      { name: 'slow', arguments: { steps: 50, delayMs: 20 } },
      undefined,
      {
        signal: stop.signal,
        onprogress: (p) => {
          seen.push({ progress: p.progress, total: p.total });
          if (seen.length === 3) third();
        },
      },
    );
    await reachedThird;
    stop.abort('the user pressed stop');
    await expect(call).rejects.toThrow();
    expect(seen.slice(0, 3)).toEqual([
      { progress: 1, total: 50 },
      { progress: 2, total: 50 },
      { progress: 3, total: 50 },
    ]);
    const entry = await eventually(
      async () => (await recentActivity(c)).find((e) => e.tool === 'slow'),
      'the cancelled slow call in the activity log',
    );
    expect(entry.outcome).toBe('cancelled');
    const stoppedAt = Number(/^stopped after (\d+) of 50 steps/.exec(entry.detail ?? '')?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(50);
  });

  it('slow runs to the end and says so', async () => {
    const c = await h.connect(SECRET);
    const result = await c.client.callTool({ name: 'slow', arguments: { steps: 3, delayMs: 1 } });
    expect(textOf(result)).toBe('completed 3 steps');
  });

  it('ask and sample put their questions to the client and return its answers', async () => {
    const c = await h.connect(SECRET, {
      client: { capabilities: { elicitation: {}, sampling: {} } },
    });
    const asked: ElicitRequest['params'][] = [];
    c.client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params);
      return { action: 'accept', content: { answer: 'staging' } };
    });
    c.client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      const first = request.params.messages[0]?.content;
      const prompt = first && 'text' in first ? first.text : '';
      return {
        role: 'assistant',
        model: 'test-model',
        content: { type: 'text', text: `model says: ${String(prompt)}` },
      };
    });
    const ask = await c.client.callTool({
      name: 'ask',
      arguments: { question: 'Which environment?' },
    });
    expect(JSON.parse(textOf(ask))).toEqual({ action: 'accept', answer: 'staging' });
    expect(asked[0]?.message).toBe('Which environment?');
    const sample = await c.client.callTool({ name: 'sample', arguments: { prompt: 'Say hi' } });
    expect(textOf(sample)).toBe('model says: Say hi');
  });

  it('ask and sample fail as tool errors when the client cannot answer', async () => {
    const c = await h.connect(SECRET);
    const ask = await c.client.callTool({ name: 'ask', arguments: {} });
    expect(ask.isError).toBe(true);
    expect(textOf(ask)).toMatch(/elicitation/i);
    const sample = await c.client.callTool({ name: 'sample', arguments: { prompt: 'x' } });
    expect(sample.isError).toBe(true);
  });

  it('bad arguments are a tool error that names the argument', async () => {
    const c = await h.connect(SECRET);
    const result = await c.client.callTool({ name: 'slow', arguments: { steps: 0 } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Argument "steps" must be between 1 and 1000, got 0');
  });

  it('big returns 5 MB of text intact', async () => {
    const c = await h.connect(SECRET);
    const bytes = 5 * 1024 * 1024;
    const body = textOf(await c.client.callTool({ name: 'big', arguments: { bytes } }));
    expect(body.length).toBe(bytes);
    // Numbered 10-byte lines: a lost, repeated or reordered chunk breaks the sequence.
    const lines = body.split('\n');
    const tail = lines.pop() ?? '';
    expect(lines.length).toBe(Math.floor(bytes / 10));
    const broken = lines.findIndex((line, i) => line !== String(i + 1).padStart(9, '0'));
    expect(broken).toBe(-1);
    expect(
      String(lines.length + 1)
        .padStart(9, '0')
        .startsWith(tail),
    ).toBe(true);
  });

  it('logging/setLevel filters the log notifications a call sends', async () => {
    const c = await h.connect(SECRET);
    const logs: string[] = [];
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(`${n.params.level}: ${String(n.params.data)}`);
    });
    // Logs travel on the call's own stream ahead of its result, so once the call returns every
    // log it sent has arrived.
    await c.client.setLoggingLevel('info');
    await c.client.callTool({ name: 'slow', arguments: { steps: 2, delayMs: 0 } });
    expect(logs).toEqual([]);
    await c.client.setLoggingLevel('debug');
    await c.client.callTool({ name: 'slow', arguments: { steps: 2, delayMs: 0 } });
    expect(logs).toEqual(['debug: slow: step 1 of 2 done', 'debug: slow: step 2 of 2 done']);
  });

  it('a subscriber is told when the activity resource changes', async () => {
    let streamOpen!: () => void;
    const opened = new Promise<void>((resolve) => (streamOpen = resolve));
    const watchGet: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      if (init?.method === 'GET' && response.ok) streamOpen();
      return response;
    };
    const watcher = await h.connect(SECRET, { fetch: watchGet });
    const updates: string[] = [];
    let updated!: () => void;
    const gotUpdate = new Promise<void>((resolve) => (updated = resolve));
    watcher.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
      updated();
    });
    await watcher.client.subscribeResource({ uri: activityUri('Specivo') });
    await opened; // updates travel on the session's GET stream
    const other = await h.connect(OTHER);
    await other.client.callTool({ name: 'echo', arguments: { text: 'hello' } });
    await gotUpdate;
    expect(updates).toContain(activityUri('Specivo'));
    const last = (await recentActivity(watcher)).at(-1);
    expect(last).toMatchObject({ tool: 'echo', keyId: 'key-b', label: 'agent b', outcome: 'ok' });
  });

  it('a client that lost a call’s stream resumes it with Last-Event-ID, missing nothing', async () => {
    const sessionId = await rawOpenSession(h.url, SECRET);
    const headers = {
      Authorization: `Bearer ${SECRET}`,
      'Mcp-Session-Id': sessionId,
      'MCP-Protocol-Version': '2025-11-25',
    };
    const hangUp = new AbortController();
    const post = await fetch(h.url, {
      method: 'POST',
      signal: hangUp.signal,
      headers: {
        ...headers,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'slow',
          arguments: { steps: 6, delayMs: 30 },
          _meta: { progressToken: 'p' },
        },
      }),
    });
    const first = sseReader(post.body!);
    const progress: number[] = [];
    let lastEventId = '';
    while (progress.length < 2) {
      const event = await first.next();
      if (!event) throw new Error('stream ended before two progress events');
      lastEventId = event.id ?? lastEventId;
      const message = messageOf(event) as { params?: { progress?: number } } | undefined;
      if (message?.params?.progress !== undefined) progress.push(message.params.progress);
    }
    expect(lastEventId).not.toBe('');
    hangUp.abort(); // the connection drops mid-call

    const resumed = await fetch(h.url, {
      headers: { ...headers, Accept: 'text/event-stream', 'Last-Event-ID': lastEventId },
    });
    expect(resumed.status).toBe(200);
    const second = sseReader(resumed.body!);
    let result: unknown;
    while (result === undefined) {
      const event = await second.next();
      if (!event) throw new Error('resumed stream ended before the result');
      const message = messageOf(event) as
        { id?: number; result?: unknown; params?: { progress?: number } } | undefined;
      if (message?.params?.progress !== undefined) progress.push(message.params.progress);
      if (message?.id === 1) result = message.result;
    }
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(textOf(result)).toBe('completed 6 steps');
  });
});
