import { describe, expect, it, vi } from 'vitest';
import { MAX_SERIES, OTHER_SERIES, TrafficHistory, TRAFFIC_SPAN_MS } from './traffic-history';
import { throttledSignal } from './traffic-signal';

const T0 = Date.parse('2026-11-23T12:00:00Z');
const sample = (over: Partial<Parameters<TrafficHistory['record']>[0]> = {}) => ({
  slug: 'demo',
  client: 'cursor',
  error: false,
  totalMs: 12,
  upstreamMs: 10,
  at: T0,
  ...over,
});

describe('TrafficHistory', () => {
  it('counts requests, errors and the added latency per connection and per client', () => {
    let now = T0;
    const h = new TrafficHistory(() => now);
    h.record(sample());
    h.record(sample({ error: true, totalMs: 30, upstreamMs: 26 }));
    h.record(sample({ slug: 'other', client: 'claude', at: T0 + 61_000 }));
    now = T0 + 120_000;
    const v = h.view(1);
    expect(v.bucketMs).toBe(60_000);
    const demo = v.connections.find((s) => s.name === 'demo');
    expect(demo).toMatchObject({ requests: 2, errors: 1, addedMs: 3 });
    expect(demo?.points).toEqual([{ at: T0, requests: 2, errors: 1, addedMs: 3 }]);
    expect(v.clients.map((c) => [c.name, c.requests])).toEqual([
      ['cursor', 2],
      ['claude', 1],
    ]);
  });

  it('counts the requests Keyway refused itself, by cause, as errors of the connection', () => {
    const h = new TrafficHistory(() => T0 + 60_000);
    h.record(sample());
    h.record(sample({ error: true, refused: 'paused' }));
    h.record(sample({ error: true, refused: 'paused' }));
    // A bad local token: Keyway cannot tell the client, so only the connection counts it.
    h.record(sample({ client: undefined, error: true, refused: 'token' }));
    h.record(sample({ error: true, refused: 'no-key' }));
    const v = h.view(5);
    expect(v.connections[0]).toMatchObject({
      name: 'demo',
      requests: 5,
      errors: 4,
      refused: { paused: 2, token: 1, 'no-key': 1 },
    });
    expect(v.clients).toEqual([
      expect.objectContaining({
        name: 'cursor',
        requests: 4,
        errors: 3,
        refused: { paused: 2, token: 0, 'no-key': 1 },
      }),
    ]);
  });

  it('merges minutes into 5-minute buckets aligned on the clock', () => {
    const h = new TrafficHistory(() => T0 + 10 * 60_000);
    h.record(sample({ at: T0 + 60_000 }));
    h.record(sample({ at: T0 + 4 * 60_000 }));
    h.record(sample({ at: T0 + 5 * 60_000 }));
    const points = h.view(5).connections[0]?.points;
    expect(points?.map((p) => [p.at - T0, p.requests])).toEqual([
      [0, 2],
      [300_000, 1],
    ]);
  });

  it('forgets what is older than 24 h', () => {
    let now = T0;
    const h = new TrafficHistory(() => now);
    h.record(sample());
    now = T0 + TRAFFIC_SPAN_MS - 60_000;
    expect(h.view(1).connections[0]?.requests).toBe(1);
    now = T0 + TRAFFIC_SPAN_MS + 60_000;
    expect(h.view(1).connections).toEqual([]);
    // The slot is reused for a new minute, not added to the old one.
    h.record(sample({ at: now }));
    expect(h.view(1).connections[0]?.requests).toBe(1);
  });

  it('stays bounded when callers invent names: newcomers fold into one series', () => {
    const h = new TrafficHistory(() => T0);
    for (let i = 0; i < MAX_SERIES + 50; i++) h.record(sample({ client: `c${i}` }));
    const clients = h.view(5).clients;
    expect(clients.length).toBe(MAX_SERIES + 1);
    expect(clients.find((c) => c.name === OTHER_SERIES)?.requests).toBe(50);
  });

  it('tells its listener after each record', () => {
    const onChange = vi.fn();
    const h = new TrafficHistory(() => T0, onChange);
    h.record(sample());
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});

describe('throttledSignal', () => {
  it('fires at once, then at most once per interval with the last change kept', () => {
    vi.useFakeTimers();
    try {
      const emit = vi.fn();
      const s = throttledSignal(emit, 1000);
      s.notify();
      expect(emit).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 100; i++) s.notify();
      expect(emit).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(999);
      expect(emit).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(1);
      expect(emit).toHaveBeenCalledTimes(2);
      vi.advanceTimersByTime(5000);
      expect(emit).toHaveBeenCalledTimes(2);
      s.notify();
      s.stop();
      expect(emit).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
