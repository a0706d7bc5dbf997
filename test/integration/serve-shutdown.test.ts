// SIGTERM while tool calls are still at the vendor: each AI client gets an answer naming the
// shutdown (not a reset connection) before serve exits, and that answer carries the id of the
// request it answers (JSON-RPC: `id: null` only when the id cannot be known), whether the call was
// waiting for the vendor's first byte (answered as JSON), already streaming (answered on its SSE
// stream), or part of a JSON-RPC batch (2025-03-26 allows them; answered with one error per id).
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, tempDataDir } from '../support/keyway-process';
import { sandboxOrigin, type ReadyLine } from '../support/sandbox-admin';

const post = (url: string, token: string, body: unknown, version: string, session?: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': version,
      ...(session ? { 'Mcp-Session-Id': session } : {}),
    },
    body: JSON.stringify(body),
  });

/** Opens a session at the demo connection, as an SDK client does (initialize, initialized). */
async function openSession(url: string, token: string, version: string): Promise<string> {
  const init = await post(
    url,
    token,
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: version,
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    },
    version,
  );
  expect(init.status).toBe(200);
  const session = init.headers.get('mcp-session-id');
  await init.text();
  expect(session).toBeTruthy();
  const done = await post(
    url,
    token,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    version,
    session!,
  );
  await done.text();
  return session!;
}

interface Answer {
  status: number;
  type: string;
  text: string;
}
const settle = (r: Promise<Response>): Promise<Answer> =>
  r.then(
    async (res) => ({
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      text: await res.text(),
    }),
    (err: Error) => ({ status: 0, type: '', text: `network error: ${err.message}` }),
  );

/** The JSON-RPC messages in an SSE body (its `data:` lines). */
const sseMessages = (text: string): Array<Record<string, unknown>> =>
  text
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => JSON.parse(l.slice(5)) as Record<string, unknown>);

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('keyway serve shutdown', () => {
  it('answers each in-flight proxied call by its id with a JSON-RPC error naming the shutdown', async () => {
    const dataDir = await tempDataDir('keyway-shutdown-');
    dirs.push(dataDir);
    const serve = await startServe({ dataDir, args: ['--sandbox'] });
    const ready = JSON.parse(serve.output().stdout.split('\n')[0]!) as ReadyLine;
    const demo = ready.sandbox!.demo!;
    const modern = await openSession(demo.url, demo.token, '2025-06-18');
    const batching = await openSession(demo.url, demo.token, '2025-03-26');

    // A long tool call whose answer is already an open event stream when serve stops.
    const streaming = await post(
      demo.url,
      demo.token,
      {
        jsonrpc: '2.0',
        id: 'slow-1',
        method: 'tools/call',
        params: { name: 'slow', arguments: { steps: 60, delayMs: 500 } },
      },
      '2025-06-18',
      modern,
    );
    expect(streaming.headers.get('content-type')).toMatch(/text\/event-stream/);
    const streamed = settle(Promise.resolve(streaming));

    // Then the sandbox Quave holds the next two requests until the client gives up: calls
    // still waiting for the vendor's first byte.
    const sw = await fetch(
      `${sandboxOrigin(ready.sandbox!.vendors.quave.apiUrl)}/__sandbox/switches`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ timeoutNext: 2 }),
      },
    );
    expect(sw.ok).toBe(true);
    const single = settle(
      post(
        demo.url,
        demo.token,
        { jsonrpc: '2.0', id: 7, method: 'tools/list' },
        '2025-06-18',
        modern,
      ),
    );
    const batch = settle(
      post(
        demo.url,
        demo.token,
        [
          { jsonrpc: '2.0', id: 21, method: 'tools/list' },
          { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
          { jsonrpc: '2.0', id: 'p-22', method: 'ping' },
        ],
        '2025-03-26',
        batching,
      ),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const exit = serve.stop('SIGTERM');

    const one = await single;
    expect(one.status).toBe(503);
    expect(one.type).toMatch(/application\/json/);
    expect(JSON.parse(one.text)).toMatchObject({
      jsonrpc: '2.0',
      id: 7,
      error: { message: expect.stringMatching(/shutting down/) as unknown },
    });

    const many = await batch;
    expect(many.status).toBe(503);
    const answers = JSON.parse(many.text) as Array<Record<string, unknown>>;
    expect(Array.isArray(answers)).toBe(true);
    expect(answers.map((a) => a.id)).toEqual([21, 'p-22']);
    for (const a of answers) expect(JSON.stringify(a.error)).toMatch(/shutting down/);

    const stream = await streamed;
    expect(stream.status).toBe(200);
    const last = sseMessages(stream.text).at(-1);
    expect(last).toMatchObject({
      jsonrpc: '2.0',
      id: 'slow-1',
      error: { message: expect.stringMatching(/shutting down/) as unknown },
    });
    expect(await exit).toBe(0);
  }, 60_000);
});
