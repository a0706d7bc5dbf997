import { describe, expect, it } from 'vitest';
import { META } from './era';
import { SessionReplay } from './session-replay';

const modern = (id: number, method: string, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method,
  params: {
    ...params,
    _meta: {
      [META.protocolVersion]: '2026-07-28',
      [META.clientInfo]: { name: 'c', version: '1' },
      [META.clientCapabilities]: { sampling: {} },
      other: 'not protocol state',
    },
  },
});

describe('SessionReplay, legacy era', () => {
  it('replays initialize, initialized, the level and the live subscriptions, in order', () => {
    const replay = new SessionReplay();
    expect(replay.era).toBeUndefined();
    replay.note([
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c' } },
      },
    ]);
    replay.note([{ jsonrpc: '2.0', method: 'notifications/initialized' }]);
    replay.note([
      { jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'debug' } },
    ]);
    replay.note([
      { jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: 'a://1' } },
      { jsonrpc: '2.0', id: 3, method: 'resources/subscribe', params: { uri: 'a://2' } },
    ]);
    replay.note([{ id: 4, method: 'resources/unsubscribe', params: { uri: 'a://1' } }]);
    expect(replay.era).toBe('legacy');
    expect(replay.protocolVersion).toBe('2025-11-25');
    expect(replay.steps()).toEqual([
      {
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c' } },
        notification: false,
      },
      { method: 'notifications/initialized', notification: true },
      { method: 'logging/setLevel', params: { level: 'debug' }, notification: false },
      { method: 'resources/subscribe', params: { uri: 'a://2' }, notification: false },
    ]);
  });

  it('changes its fingerprint when what it replays changes', () => {
    const replay = new SessionReplay();
    const before = replay.fingerprint();
    replay.note([{ id: 1, method: 'logging/setLevel', params: { level: 'info' } }]);
    expect(replay.fingerprint()).not.toBe(before);
  });
});

describe('SessionReplay, modern era', () => {
  it('has no steps: the protocol state travels in each request’s _meta', () => {
    const replay = new SessionReplay();
    replay.note([modern(1, 'tools/list')]);
    expect(replay.era).toBe('modern');
    expect(replay.protocolVersion).toBe('2026-07-28');
    expect(replay.steps()).toEqual([]);
    expect(replay.modernMeta).toEqual({
      [META.protocolVersion]: '2026-07-28',
      [META.clientInfo]: { name: 'c', version: '1' },
      [META.clientCapabilities]: { sampling: {} },
    });
  });

  it('keeps the open listen streams until they are cancelled or end', () => {
    const replay = new SessionReplay();
    replay.note([modern(5, 'subscriptions/listen', { notifications: { toolsListChanged: true } })]);
    replay.note([
      modern(6, 'subscriptions/listen', { notifications: { promptsListChanged: true } }),
    ]);
    replay.note([modern(7, 'subscriptions/listen', {})]);
    expect([...replay.listens.values()].map((m) => m.id)).toEqual([5, 6, 7]);
    replay.note([{ method: 'notifications/cancelled', params: { requestId: 5 } }]);
    replay.endListen(6);
    // "7" is not 7: a string id is another request.
    replay.endListen('7');
    expect([...replay.listens.values()].map((m) => m.id)).toEqual([7]);
  });
});
