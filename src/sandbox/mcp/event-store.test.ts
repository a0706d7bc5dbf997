import { describe, expect, it } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BoundedEventStore } from './event-store';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/message',
  params: { level: 'info', data: n },
});

async function replay(store: BoundedEventStore, after: string): Promise<unknown[]> {
  const sent: unknown[] = [];
  await store.replayEventsAfter(after, {
    send: (_id, message) => {
      sent.push((message as unknown as { params: { data: unknown } }).params.data);
      return Promise.resolve();
    },
  });
  return sent;
}

describe('BoundedEventStore', () => {
  it('replays the events of the same stream after the given id, skipping priming events', async () => {
    const store = new BoundedEventStore();
    const priming = await store.storeEvent('s1', {} as JSONRPCMessage);
    await store.storeEvent('s1', note(1));
    await store.storeEvent('s2', note(99));
    await store.storeEvent('s1', note(2));
    expect(await store.getStreamIdForEventId(priming)).toBe('s1');
    expect(await replay(store, priming)).toEqual([1, 2]);
  });

  it('forgets the oldest events beyond its bound, so resuming from them is refused', async () => {
    const store = new BoundedEventStore(Number.MAX_SAFE_INTEGER, 3);
    const first = await store.storeEvent('s1', note(1));
    for (let n = 2; n <= 5; n++) await store.storeEvent('s1', note(n));
    expect(await store.getStreamIdForEventId(first)).toBeUndefined();
    expect(await replay(store, first)).toEqual([]);
  });
});
