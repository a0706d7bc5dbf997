import { describe, expect, it } from 'vitest';
import { timeUntil } from './format';
import { parseRotationPeriod, periodText } from './rotation-period';

describe('parseRotationPeriod', () => {
  it('takes whole days from 1 to 3650', () => {
    expect(parseRotationPeriod('1', false)).toEqual({ ok: true, rotateEvery: 1 });
    expect(parseRotationPeriod(' 7 ', false)).toEqual({ ok: true, rotateEvery: 7 });
    expect(parseRotationPeriod('3650', false)).toEqual({ ok: true, rotateEvery: 3650 });
  });

  it('refuses 0, 3651, fractions, signs and an empty field with a reason', () => {
    for (const bad of ['0', '3651', '1.5', '-3', '1e2', 'abc', ''])
      expect(parseRotationPeriod(bad, false).ok, bad).toBe(false);
    expect(parseRotationPeriod('0', false)).toEqual({
      ok: false,
      message: 'Enter a number of days from 1 to 3650.',
    });
  });

  it('means no schedule when Never is chosen, whatever is typed', () => {
    expect(parseRotationPeriod('0', true)).toEqual({ ok: true, rotateEvery: null });
  });

  it('says the period in words', () => {
    expect(periodText(7)).toBe('every 7 days');
    expect(periodText(1)).toBe('every 1 day');
    expect(periodText(null)).toBe('never');
  });
});

describe('timeUntil', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('reads a 7-day policy set seconds after the key was made as 7 days', () => {
    const due = new Date(now.getTime() + 7 * 86_400_000 - 5_000).toISOString();
    expect(timeUntil(due, now)).toBe('in 7 days');
  });
  it('keeps hours and minutes under a day', () => {
    expect(timeUntil(new Date(now.getTime() + 90 * 60_000).toISOString(), now)).toBe('in 1 hour');
    expect(timeUntil(new Date(now.getTime() + 5 * 60_000).toISOString(), now)).toBe('in 5 minutes');
  });
});
