import { describe, expect, it, vi } from 'vitest';
import type { Account, Key, KeyVersion } from '../../../shared/domain';
import type { RotationContext } from './rotation-context';
import type { RotationEngine } from './rotation-engine';
import { dueAt, RotationScheduler } from './rotation-scheduler';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (days: number): string => new Date(T0 + days * DAY).toISOString();

function version(id: string, created: string, more: Partial<KeyVersion> = {}): KeyVersion {
  return {
    id,
    vendorKeyId: null,
    fingerprint: 'abcdef01',
    last4: 'wxyz',
    created,
    expires: null,
    state: 'active',
    ...more,
  };
}

function key(rotateEvery: number | null, versions: KeyVersion[]): Key {
  return {
    ref: 'acct/key',
    account: 'acct',
    name: 'key',
    vendor: 'quave',
    scopes: [],
    options: {},
    rotateEvery,
    createdAt: at(0),
    versions,
    refusedAt: null,
  };
}

describe('dueAt', () => {
  it('is never for a key without a period or an expiry', () => {
    expect(dueAt(key(null, [version('v1', at(0))]))).toBeNull();
  });

  it('is the period after the current version was made, not the first one', () => {
    expect(dueAt(key(30, [version('v1', at(0))]))?.toISOString()).toBe(at(30));
    const rotated = key(30, [version('v1', at(0), { state: 'revoked' }), version('v2', at(25))]);
    expect(dueAt(rotated)?.toISOString()).toBe(at(55));
  });

  it('is a week before expiry for long-lived keys', () => {
    expect(dueAt(key(null, [version('v1', at(0), { expires: at(90) })]))?.toISOString()).toBe(
      at(83),
    );
  });

  it('is a fifth of the lifetime before expiry for short-lived keys', () => {
    // 10 days of life: due 2 days before it ends.
    expect(dueAt(key(null, [version('v1', at(0), { expires: at(10) })]))?.toISOString()).toBe(
      at(8),
    );
  });

  it('is whichever comes first of the period and the expiry', () => {
    expect(dueAt(key(30, [version('v1', at(0), { expires: at(90) })]))?.toISOString()).toBe(at(30));
    expect(dueAt(key(90, [version('v1', at(0), { expires: at(20) })]))?.toISOString()).toBe(at(16));
  });

  it('is never for a key with no active version (retiring or revoked only)', () => {
    expect(dueAt(key(1, [version('v1', at(0), { state: 'retiring' })]))).toBeNull();
    expect(dueAt(key(1, [version('v1', at(0), { state: 'revoked' })]))).toBeNull();
  });

  it('ignores dates it cannot read instead of calling the key due', () => {
    expect(dueAt(key(30, [version('v1', 'not a date')]))).toBeNull();
    const expiring = key(null, [version('v1', 'not a date', { expires: at(90) })]);
    expect(dueAt(expiring)?.toISOString()).toBe(at(83));
  });
});

/** The scheduler over an in-memory store and an engine whose rotations the test decides. */
function scheduling(k: Key, mint: boolean, rotate: () => Promise<unknown>) {
  const clock = { now: T0 + 40 * DAY };
  const events: Array<{ type: string; payload: unknown }> = [];
  const account: Pick<Account, 'name' | 'vendor' | 'hasCredential'> = {
    name: 'acct',
    vendor: 'quave',
    hasCredential: true,
  };
  const ctx = {
    store: { current: { keys: [k], accounts: [account], rotations: [] } },
    events: { emit: (type: string, payload: unknown) => events.push({ type, payload }) },
    auditLog: { append: () => Promise.resolve() },
    vendor: () => ({ capabilities: { mint, revoke: mint, list: mint } }),
    now: () => new Date(clock.now),
  } as unknown as RotationContext;
  const rotateSpy = vi.fn(rotate);
  const engine = {
    journal: { all: () => [], forKey: () => undefined },
    isRunning: () => false,
    rotate: rotateSpy,
    retryTime: (attempts: number) => new Date(clock.now + 1000 * 2 ** (attempts - 1)),
  } as unknown as RotationEngine;
  const due = () => events.filter((e) => e.type === 'key.due').map((e) => e.payload);
  return { clock, rotate: rotateSpy, due, scheduler: new RotationScheduler(ctx, engine, 60_000) };
}

describe('RotationScheduler', () => {
  it('rotates a due key with a key API, announcing it once', async () => {
    const s = scheduling(key(30, [version('v1', at(0))]), true, () => Promise.resolve());
    await s.scheduler.tick();
    expect(s.rotate).toHaveBeenCalledTimes(1);
    expect(s.due()).toEqual([{ key: 'acct/key', dueAt: at(30), guided: false }]);
    await s.scheduler.tick();
    expect(s.due()).toHaveLength(1);
  });

  it('backs off when the automatic rotation fails, doubling the wait', async () => {
    const s = scheduling(key(30, [version('v1', at(0))]), true, () =>
      Promise.reject(new Error('Quave is unavailable')),
    );
    await s.scheduler.tick();
    await s.scheduler.tick();
    expect(s.rotate).toHaveBeenCalledTimes(1);
    s.clock.now += 1000;
    await s.scheduler.tick();
    expect(s.rotate).toHaveBeenCalledTimes(2);
    s.clock.now += 1500;
    await s.scheduler.tick();
    expect(s.rotate).toHaveBeenCalledTimes(2);
    s.clock.now += 500;
    await s.scheduler.tick();
    expect(s.rotate).toHaveBeenCalledTimes(3);
  });

  it('only announces a due dashboard key: the user makes the new one', async () => {
    const s = scheduling(key(30, [version('v1', at(0))]), false, () => Promise.resolve());
    await s.scheduler.tick();
    expect(s.rotate).not.toHaveBeenCalled();
    expect(s.due()).toEqual([{ key: 'acct/key', dueAt: at(30), guided: true }]);
  });

  it('leaves a key alone until it is due', async () => {
    const s = scheduling(key(60, [version('v1', at(0))]), true, () => Promise.resolve());
    await s.scheduler.tick();
    expect(s.rotate).not.toHaveBeenCalled();
    expect(s.due()).toEqual([]);
  });
});
