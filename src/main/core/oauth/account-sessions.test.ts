import { describe, expect, it } from 'vitest';
import { AccountSessions } from './account-sessions';

const policy = { baseRetryMs: 1_000, maxRetryMs: 8_000, maxStepUps: 3, stepUpWindowMs: 60_000 };

function machine() {
  let now = 1_000_000;
  const sessions = new AccountSessions(policy, () => now);
  return { sessions, advanceClock: (ms: number) => void (now += ms) };
}

describe('AccountSessions', () => {
  it('a logout makes work started before it stale, for that account only', () => {
    const { sessions } = machine();
    const refreshStartedIn = sessions.generation('a');
    const other = sessions.generation('b');
    sessions.advance('a');
    expect(sessions.isCurrent('a', refreshStartedIn)).toBe(false);
    expect(sessions.isCurrent('b', other)).toBe(true);
  });

  it('runs one section of an account at a time, in order, even when one fails', async () => {
    const { sessions } = machine();
    const order: string[] = [];
    let release!: () => void;
    const first = sessions.exclusive('a', async () => {
      order.push('first:start');
      await new Promise<void>((r) => (release = r));
      order.push('first:end');
      throw new Error('boom');
    });
    const second = sessions.exclusive('a', async () => void order.push('second'));
    const otherAccount = sessions.exclusive('b', async () => void order.push('b'));
    await otherAccount;
    expect(order).toEqual(['first:start', 'b']);
    release();
    await expect(first).rejects.toThrow('boom');
    await second;
    expect(order).toEqual(['first:start', 'b', 'first:end', 'second']);
  });

  it('backs off exponentially, capped, and audits only the 1st, 2nd, 4th, 8th… failure', () => {
    const { sessions, advanceClock } = machine();
    const seen = Array.from({ length: 9 }, () => sessions.refreshFailed('a'));
    expect(seen.map((f) => f.retryInMs)).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000, 8000,
    ]);
    expect(seen.filter((f) => f.audit).map((f) => f.failures)).toEqual([1, 2, 4, 8]);
    expect(sessions.mayRefresh('a')).toBe(false);
    advanceClock(8000);
    expect(sessions.mayRefresh('a')).toBe(true);
    sessions.refreshSucceeded('a');
    expect(sessions.isFailing('a')).toBe(false);
    expect(sessions.refreshFailed('a').retryInMs).toBe(1000);
  });

  it('a new login (or logout) ends the back-off: a refresh may start at once', () => {
    const { sessions } = machine();
    sessions.refreshFailed('a');
    sessions.refreshFailed('a');
    expect(sessions.mayRefresh('a')).toBe(false);
    expect(sessions.isFailing('a')).toBe(true);
    sessions.advance('a');
    expect(sessions.mayRefresh('a')).toBe(true);
    expect(sessions.isFailing('a')).toBe(false);
    expect(sessions.refreshFailed('a').failures).toBe(1);
  });

  it('a removed account is forgotten whole: generation, back-off and step-up budget', () => {
    const { sessions } = machine();
    sessions.advance('a');
    sessions.refreshFailed('a');
    sessions.allowStepUp('a', 'v1');
    sessions.forget('a');
    expect(sessions.generation('a')).toBe(0);
    expect(sessions.isFailing('a')).toBe(false);
    expect(sessions.allowStepUp('a', 'v1')).toBe(true);
  });

  it('a step-up counts once per token version and the budget frees up after its window', () => {
    const { sessions, advanceClock } = machine();
    // Three concurrent 403s for one token: one step-up, not the whole budget.
    expect([1, 2, 3].map(() => sessions.allowStepUp('a', 'v1'))).toEqual([true, false, false]);
    expect(sessions.allowStepUp('a', 'v2')).toBe(true);
    expect(sessions.allowStepUp('a', 'v3')).toBe(true);
    expect(sessions.allowStepUp('a', 'v4')).toBe(false);
    expect(sessions.allowStepUp('b', 'w1')).toBe(true);
    advanceClock(60_000);
    expect(sessions.allowStepUp('a', 'v4')).toBe(true);
  });
});
