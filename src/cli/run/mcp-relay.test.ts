import { describe, expect, it } from 'vitest';
import { fakeServer } from '../../../test/support/fake-stdio-server';
import { relayWithServer, tick } from '../../../test/support/mcp-relay-rig';

describe('McpRelay', () => {
  it('gives each request its own id, so two servers answering "1" never reach the client twice', async () => {
    const { relay, toClient, a } = relayWithServer();
    relay.fromClient(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { v: 1 } }),
    );
    await tick();
    a.answer({ id: a.received[0]!.id, result: { serverInfo: { name: 'a' } } });
    relay.fromClient(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    relay.fromClient(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'logging/setLevel',
        params: { level: 'debug' },
      }),
    );
    relay.fromClient(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'resources/subscribe',
        params: { uri: 'x://1' },
      }),
    );
    relay.fromClient(
      JSON.stringify({ jsonrpc: '2.0', id: 'slow', method: 'tools/call', params: {} }),
    );
    await tick();
    for (const m of a.received.filter(
      (x) => x.method === 'logging/setLevel' || x.method === 'resources/subscribe',
    ))
      a.answer({ id: m.id, result: {} });
    const slowOnA = a.received.find((m) => m.method === 'tools/call')!;

    const b = fakeServer();
    const switching = relay.switchTo(b.program);
    await tick();
    // The new server gets the session replayed before any client request.
    expect(b.received.map((m) => m.method)).toEqual(['initialize']);
    expect(b.received[0]!.params).toEqual({ v: 1 });
    b.answer({ id: b.received[0]!.id, result: {} });
    await tick();
    expect(b.received.map((m) => m.method)).toEqual([
      'initialize',
      'notifications/initialized',
      'logging/setLevel',
      'resources/subscribe',
    ]);
    for (const m of b.received.slice(2)) b.answer({ id: m.id, result: {} });
    const { retired } = await switching;

    // New requests go to the new server; the old one finishes the slow call.
    relay.fromClient(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: {} }));
    await tick();
    const onB = b.received.at(-1)!;
    expect(onB.method).toBe('tools/call');
    a.answer({ id: slowOnA.id, result: { from: 'a' } });
    b.answer({ id: onB.id, result: { from: 'b' } });
    await tick();
    expect(await retired).toBe(143);
    const answers = toClient.filter((m) => 'result' in m);
    // Each client id answered exactly once, by the server that ran it.
    expect(answers.map((m) => m.id)).toEqual([1, 2, 3, 'slow', 7]);
    expect(answers.find((m) => m.id === 'slow')!.result).toEqual({ from: 'a' });
    // The replayed requests' answers were Keyway's own: the client saw no extra message.
    expect(toClient).toHaveLength(5);
  });

  it('routes a cancellation to the server running that request, with its relay id', async () => {
    const { relay, a } = relayWithServer();
    relay.fromClient(JSON.stringify({ jsonrpc: '2.0', id: 'c1', method: 'tools/call' }));
    relay.fromClient(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 'c1' },
      }),
    );
    await tick();
    expect(a.received[1]!.params).toEqual({ requestId: a.received[0]!.id });
  });

  it("maps a server's own requests (sampling, roots) and sends the client's answer back to it", async () => {
    const { relay, toClient, a } = relayWithServer();
    a.answer({ id: 1, method: 'roots/list' });
    await tick();
    const asked = toClient[0]!;
    expect(asked.method).toBe('roots/list');
    relay.fromClient(JSON.stringify({ jsonrpc: '2.0', id: asked.id, result: { roots: [] } }));
    await tick();
    expect(a.received[0]).toEqual({ jsonrpc: '2.0', id: 1, result: { roots: [] } });
  });

  it('answers what a server left unanswered when it died, and reports its exit', async () => {
    let exitStatus = -1;
    const { relay, toClient, a } = relayWithServer((s) => (exitStatus = s));
    relay.fromClient(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call' }));
    await tick();
    a.exit(3);
    await tick();
    expect(toClient).toEqual([
      {
        jsonrpc: '2.0',
        id: 9,
        error: { code: -32603, message: 'the MCP server stopped before answering' },
      },
    ]);
    expect(exitStatus).toBe(3);
  });

  it('relays a JSON-RPC batch element by element: relay ids out, client ids back, one batch each way', async () => {
    const { relay, toClient, a } = relayWithServer();
    relay.fromClient(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call' }));
    await tick();
    const first = a.received[0]!;
    // The client reuses id 1 in a batch after its first call was answered, as it may.
    a.answer({ id: first.id, result: { n: 0 } });
    relay.fromClient(
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { n: 1 } },
        { jsonrpc: '2.0', method: 'notifications/progress', params: {} },
        { jsonrpc: '2.0', id: 'two', method: 'tools/call', params: { n: 2 } },
      ]),
    );
    await tick();
    const batch = a.received[1] as unknown as Array<Record<string, unknown>>;
    expect(Array.isArray(batch)).toBe(true);
    expect(batch.map((m) => m.method)).toEqual([
      'tools/call',
      'notifications/progress',
      'tools/call',
    ]);
    const relayIds = [batch[0]!.id, batch[2]!.id];
    // Every request got an id of its own, none the client's, none reused.
    expect(new Set([first.id, ...relayIds]).size).toBe(3);
    expect(relayIds).not.toContain(1);
    expect(relayIds).not.toContain('two');

    // The server answers the batch with a batch, and sends a request of its own in it.
    a.answer({ id: 0, method: 'unused' }); // a lone server request, mapped as before
    const answers = [
      { jsonrpc: '2.0', id: relayIds[1], result: { n: 2 } },
      { jsonrpc: '2.0', id: relayIds[0], result: { n: 1 } },
      { jsonrpc: '2.0', id: 424242, result: 'nobody asked' },
    ];
    a.program.child.stdout!.emit('data', Buffer.from(JSON.stringify(answers) + '\n'));
    await tick();
    expect(toClient.at(-1)).toEqual([
      { jsonrpc: '2.0', id: 'two', result: { n: 2 } },
      { jsonrpc: '2.0', id: 1, result: { n: 1 } },
    ]);
    // The answer to the server's own request, inside a client batch, goes back with its id.
    const asked = toClient.find((m) => (m as { method?: string }).method === 'unused') as Record<
      string,
      unknown
    >;
    relay.fromClient(JSON.stringify([{ jsonrpc: '2.0', id: asked.id, result: {} }]));
    await tick();
    expect(a.received.at(-1)).toEqual([{ jsonrpc: '2.0', id: 0, result: {} }]);
  });
});
