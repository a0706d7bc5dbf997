import { describe, expect, it } from 'vitest';
import {
  asClientSubscription,
  ListenOverlap,
  refetchNotifications,
  refetchOnSubscription,
  subscriptionIdOf,
} from './listen-splice';

const SUB = 'io.modelcontextprotocol/subscriptionId';

describe('asClientSubscription', () => {
  it("puts the client's subscription id on a notification and on the closing answer", () => {
    const n = {
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: { _meta: { [SUB]: 7, x: 1 } },
    };
    expect(asClientSubscription(n, 'listen:0')).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: { _meta: { [SUB]: 'listen:0', x: 1 } },
    });
    const end = { jsonrpc: '2.0', id: 7, result: { resultType: 'complete', _meta: { [SUB]: 7 } } };
    expect(asClientSubscription(end, 'listen:0')).toMatchObject({ id: 'listen:0' });
    expect(subscriptionIdOf(n)).toBe(7);
  });

  it('leaves a message that already carries it, or carries none, as it is', () => {
    const same = {
      method: 'notifications/resources/updated',
      params: { uri: 'a', _meta: { [SUB]: 1 } },
    };
    expect(asClientSubscription(same, 1)).toBe(same);
    const none = { method: 'notifications/resources/updated', params: { uri: 'a' } };
    expect(asClientSubscription(none, 1)).toBe(none);
    // A number id and its string are different ids.
    expect(subscriptionIdOf(asClientSubscription(same, '1'))).toBe('1');
  });
});

describe('ListenOverlap', () => {
  it('passes each message on once, whichever stream brings it first', () => {
    const o = new ListenOverlap();
    const passed: string[] = [];
    const feed = (side: 'old' | 'new', m: string) =>
      o.admit(side, m) && passed.push(`${side}:${m}`);
    feed('old', 'a'); // sent before the new stream existed: only the old one has it
    feed('new', 'b');
    feed('old', 'b');
    feed('old', 'c');
    feed('new', 'c');
    feed('new', 'd');
    expect(passed).toEqual(['old:a', 'new:b', 'old:c', 'new:d']);
    // The old stream has not carried 'd' yet: it is behind.
    expect(o.oldBehind).toBe(1);
    feed('old', 'd');
    expect(o.oldBehind).toBe(0);
    expect(passed).toHaveLength(4);
  });

  it('passes a change sent twice on twice (pairs one to one)', () => {
    const o = new ListenOverlap();
    const got = [
      o.admit('new', 'x'),
      o.admit('new', 'x'),
      o.admit('old', 'x'),
      o.admit('old', 'x'),
      o.admit('old', 'x'),
    ];
    expect(got).toEqual([true, true, false, false, true]);
  });

  it('stays bounded: past its memory a late duplicate may pass, a message is never lost', () => {
    const o = new ListenOverlap();
    for (let i = 0; i < 2000; i++) expect(o.admit('new', `m${i}`)).toBe(true);
    expect(o.oldBehind).toBe(512);
    expect(o.admit('old', 'm0')).toBe(true);
    expect(o.admit('old', 'm1999')).toBe(false);
  });
});

describe('refetch notifications', () => {
  it('asks the client to refetch everything a filter covers', () => {
    expect(
      refetchNotifications({ toolsListChanged: true, resourceSubscriptions: ['a', 'b'] }).map(
        (n) => `${n.method} ${typeof n.params?.uri === 'string' ? n.params.uri : ''}`,
      ),
    ).toEqual([
      'notifications/tools/list_changed ',
      'notifications/resources/updated a',
      'notifications/resources/updated b',
    ]);
  });

  it("carries the client's subscription id on a modern stream", () => {
    const out = refetchOnSubscription(
      { promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: ['u', 3] },
      'listen:2',
    );
    expect(out).toEqual([
      {
        jsonrpc: '2.0',
        method: 'notifications/prompts/list_changed',
        params: { _meta: { [SUB]: 'listen:2' } },
      },
      {
        jsonrpc: '2.0',
        method: 'notifications/resources/list_changed',
        params: { _meta: { [SUB]: 'listen:2' } },
      },
      {
        jsonrpc: '2.0',
        method: 'notifications/resources/updated',
        params: { uri: 'u', _meta: { [SUB]: 'listen:2' } },
      },
    ]);
    expect(refetchOnSubscription(undefined, 1)).toEqual([]);
  });
});
