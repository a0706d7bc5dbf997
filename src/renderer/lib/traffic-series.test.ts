import { describe, expect, it } from 'vitest';
import { hourlyBars, refusedText, trafficSummary } from './traffic-series';

const HOUR = 3_600_000;
// The history's window: 24 h plus the running minute ([from, to), to = the next whole minute).
const TO = Date.parse('2026-11-23T12:31:00Z');

describe('hourlyBars', () => {
  it('gives 24 bars whose last one holds the current minute (it used to be a 25th, off the box)', () => {
    const bars = hourlyBars(
      [
        { at: TO - 60_000, requests: 3, errors: 1, addedMs: 2 },
        { at: TO - 24 * HOUR, requests: 5, errors: 0, addedMs: null },
        { at: TO - 24 * HOUR - 60_000, requests: 9, errors: 0, addedMs: null },
      ],
      TO,
    );
    expect(bars).toHaveLength(24);
    expect(bars[23]).toMatchObject({ at: TO - HOUR, requests: 3, errors: 1 });
    expect(bars[0]).toMatchObject({ at: TO - 24 * HOUR, requests: 5 });
    expect(bars.reduce((n, b) => n + b.requests, 0)).toBe(8);
  });
});

describe('refusals in words', () => {
  it('names each cause with its count, and nothing when Keyway refused nothing', () => {
    expect(refusedText({ paused: 10, token: 2, 'no-key': 0 })).toBe(
      '10 proxy paused, 2 bad local token',
    );
    expect(refusedText({ paused: 0, token: 0, 'no-key': 0 })).toBeNull();
    expect(
      trafficSummary({
        requests: 93,
        errors: 64,
        addedMs: null,
        refused: { paused: 60, token: 0, 'no-key': 3 },
      }),
    ).toBe(
      '93 requests, 64 errors in the last 24 hours (refused by Keyway: 60 proxy paused, 3 no usable key)',
    );
  });
});
