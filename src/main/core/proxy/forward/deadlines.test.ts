import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadlines';

describe('Deadlines', () => {
  afterEach(() => vi.useRealTimers());

  it('fires a deadline once it has passed, and never one that was cleared', () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines();
    const fired: string[] = [];
    deadlines.add(1000, () => fired.push('late'));
    const clear = deadlines.add(1000, () => fired.push('answered'));
    clear();
    vi.advanceTimersByTime(900);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(400);
    expect(fired).toEqual(['late']);
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual(['late']);
  });

  it('stops its sweep when nothing is pending (no timer left behind)', () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines();
    deadlines.add(300, () => undefined)();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(300);
    expect(vi.getTimerCount()).toBe(0);
    deadlines.add(300, () => undefined);
    deadlines.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });
});
