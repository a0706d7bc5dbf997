import { describe, expect, it } from 'vitest';
import { fakeServer } from '../../../test/support/fake-stdio-server';
import { relayWithServer, tick } from '../../../test/support/mcp-relay-rig';

const META = {
  _meta: {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
  },
};
const subOf = (m: Record<string, unknown>): unknown =>
  (m.params as { _meta?: Record<string, unknown> } | undefined)?._meta?.[
    'io.modelcontextprotocol/subscriptionId'
  ];
const notify = (method: string, sub: unknown, extra: object = {}) => ({
  method,
  params: { ...extra, _meta: { 'io.modelcontextprotocol/subscriptionId': sub } },
});

describe('McpRelay with a 2026-07-28 server (no initialize)', () => {
  it('hot-swaps with nothing to replay, and moves an open listen stream without a gap', async () => {
    const { relay, toClient, a } = relayWithServer();
    const listen = {
      jsonrpc: '2.0',
      id: 'L',
      method: 'subscriptions/listen',
      params: { ...META, notifications: { toolsListChanged: true } },
    };
    relay.fromClient(JSON.stringify(listen));
    relay.fromClient(
      JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { ...META } }),
    );
    await tick();
    const [listenOnA, callOnA] = a.received;
    a.answer(notify('notifications/subscriptions/acknowledged', listenOnA!.id));
    a.answer(notify('notifications/tools/list_changed', listenOnA!.id, { n: 1 }));
    await tick();
    // The client sees its own id as the subscription id, not the relay's.
    expect(toClient.map(subOf)).toEqual(['L', 'L']);

    const b = fakeServer();
    const switching = relay.switchTo(b.program);
    await tick();
    // No initialize: the only thing re-opened is the listen stream, under a new relay id.
    expect(b.received.map((m) => m.method)).toEqual(['subscriptions/listen']);
    expect(b.received[0]!.params).toEqual(listen.params);
    // Until the new stream is acknowledged, the old one still delivers.
    a.answer(notify('notifications/tools/list_changed', listenOnA!.id, { n: 2 }));
    await tick();
    expect(a.received.map((m) => m.method)).toEqual(['subscriptions/listen', 'tools/call']);
    b.answer(notify('notifications/subscriptions/acknowledged', b.received[0]!.id));
    const { retired } = await switching;
    await tick();
    // Then the old stream is cancelled, and the new one delivers under the client's id.
    expect(a.received.at(-1)).toMatchObject({
      method: 'notifications/cancelled',
      params: { requestId: listenOnA!.id },
    });
    b.answer(notify('notifications/tools/list_changed', b.received[0]!.id, { n: 3 }));
    a.answer({ id: callOnA!.id, result: { from: 'a' } });
    await tick();
    expect(await retired).toBe(143);
    const changes = toClient.filter((m) => m.method === 'notifications/tools/list_changed');
    expect(changes.map((m) => (m.params as { n: number }).n)).toEqual([1, 2, 3]);
    expect(changes.map(subOf)).toEqual(['L', 'L', 'L']);
    // One acknowledgment only (the first server's), and the call finished on the old server.
    expect(toClient.filter((m) => m.method?.toString().endsWith('acknowledged'))).toHaveLength(1);
    expect(toClient.find((m) => m.id === 9)).toMatchObject({ result: { from: 'a' } });

    // Cancelling the listen reaches the new server with its relay id.
    relay.fromClient(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 'L' },
      }),
    );
    await tick();
    expect(b.received.at(-1)).toMatchObject({ params: { requestId: b.received[0]!.id } });
  });
});
