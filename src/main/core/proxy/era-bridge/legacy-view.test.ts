import { describe, expect, it } from 'vitest';
import {
  agreedVersion,
  initializeResult,
  legacyNotification,
  legacyResult,
  speaksModern,
} from './legacy-view';

describe('legacy view of a modern server', () => {
  const discover = {
    resultType: 'complete',
    supportedVersions: ['2026-07-28'],
    capabilities: { tools: { listChanged: true } },
    instructions: 'Use echo.',
    _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'srv', version: '2' } },
  };

  it('answers initialize from server/discover at the version the client asked for', () => {
    expect(initializeResult(discover, agreedVersion('2025-06-18'))).toEqual({
      protocolVersion: '2025-06-18',
      capabilities: { tools: { listChanged: true } },
      serverInfo: { name: 'srv', version: '2' },
      instructions: 'Use echo.',
    });
    expect(agreedVersion('2024-01-01')).toBe('2025-11-25');
    expect(speaksModern(discover)).toBe(true);
    expect(speaksModern({ supportedVersions: ['2025-11-25'] })).toBe(false);
    expect(speaksModern(undefined)).toBe(false);
  });

  it('drops resultType from results and the subscription id from notifications', () => {
    expect(legacyResult({ resultType: 'complete', content: [], ttlMs: 5 })).toEqual({
      content: [],
      ttlMs: 5,
    });
    expect(
      legacyNotification({
        method: 'notifications/resources/updated',
        params: { uri: 'a', _meta: { 'io.modelcontextprotocol/subscriptionId': 'l1' } },
      }),
    ).toEqual({ method: 'notifications/resources/updated', params: { uri: 'a' } });
    expect(
      legacyNotification({ method: 'notifications/subscriptions/acknowledged', params: {} }),
    ).toBeUndefined();
  });
});
