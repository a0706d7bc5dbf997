import { describe, expect, it } from 'vitest';
import { CounterBook, KeyUsage } from './key-usage';

describe('KeyUsage', () => {
  it('drains a version once every lease on it is released (once each)', async () => {
    const usage = new KeyUsage();
    const a = usage.acquire('v1');
    const b = usage.acquire('v1');
    usage.acquire('v2');
    a.release();
    a.release();
    expect(usage.count('v1')).toBe(1);
    const drained = usage.waitIdle('v1', 5000);
    b.release();
    await expect(drained).resolves.toEqual({ drained: true, inFlight: 0 });
    expect(usage.count('v2')).toBe(1);
  });

  it('reports what is still in flight when the wait times out', async () => {
    const usage = new KeyUsage();
    usage.acquire('v1');
    usage.acquire('v1');
    await expect(usage.waitIdle('v1', 20)).resolves.toEqual({ drained: false, inFlight: 2 });
    await expect(usage.waitIdle('never-used', 20)).resolves.toEqual({ drained: true, inFlight: 0 });
  });
});

describe('CounterBook', () => {
  it('counts per connection and per client, with the last use and key version', () => {
    const book = new CounterBook();
    expect(book.snapshot()).toEqual({ connections: {}, clients: {} });
    book.request('qyvo', 'claude');
    book.request('qyvo', undefined);
    book.error('qyvo', 'claude');
    book.keyVersion('qyvo', 'claude', 'v2');
    const { connections, clients } = book.snapshot();
    expect(connections.qyvo).toMatchObject({ requests: 2, errors: 1, keyVersion: 'v2' });
    expect(clients.claude).toMatchObject({ requests: 1, errors: 1, keyVersion: 'v2' });
    expect(new Date(clients.claude?.lastUsed ?? '').getTime()).toBeGreaterThan(Date.now() - 5000);
  });
});
