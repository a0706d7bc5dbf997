// SIGTERM while a tool call is still at a slow upstream: the AI client gets an answer naming the
// shutdown (not a reset connection) before serve exits.
import { describe, expect, it } from 'vitest';
import { startServe, tempDataDir } from '../support/keyway-process';
import { sandboxOrigin, type ReadyLine } from '../support/sandbox-admin';

const post = (url: string, token: string, body: unknown, session?: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-06-18',
      ...(session ? { 'Mcp-Session-Id': session } : {}),
    },
    body: JSON.stringify(body),
  });

describe('keyway serve shutdown', () => {
  it('answers an in-flight proxied call with a JSON-RPC error naming the shutdown', async () => {
    const dataDir = await tempDataDir('keyway-shutdown-');
    const serve = await startServe({ dataDir, args: ['--sandbox'] });
    const ready = JSON.parse(serve.output().stdout.split('\n')[0]!) as ReadyLine;
    const demo = ready.sandbox!.demo!;
    const init = await post(demo.url, demo.token, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    });
    expect(init.status).toBe(200);
    const session = init.headers.get('mcp-session-id') ?? undefined;
    await init.text();
    // The sandbox Quave holds the next request until the client gives up: a slow tool.
    const sw = await fetch(
      `${sandboxOrigin(ready.sandbox!.vendors.quave.apiUrl)}/__sandbox/switches`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ timeoutNext: 1 }),
      },
    );
    expect(sw.ok).toBe(true);
    const call = post(
      demo.url,
      demo.token,
      { jsonrpc: '2.0', id: 7, method: 'tools/list' },
      session,
    ).then(
      async (r) => ({ status: r.status, text: await r.text() }),
      (err: Error) => ({ status: 0, text: `network error: ${err.message}` }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const exit = serve.stop('SIGTERM');
    const answer = await call;
    expect(answer.text).toMatch(/shutting down/);
    expect(answer.text).toMatch(/"jsonrpc":"2.0"/);
    expect(answer.status).toBe(503);
    // Not yet: the answer carries id null, not the request's id (the refusal does not know it).
    expect(await exit).toBe(0);
  });
});
