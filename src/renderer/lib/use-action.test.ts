import { describe, expect, it } from 'vitest';
import { KeywayError } from '../../shared/errors';
import { createNoticesStore } from '../stores/notices-store';
import { runReported } from './use-action';

describe('runReported', () => {
  it('returns the result and announces the success', async () => {
    const notices = createNoticesStore();
    const r = await runReported(notices, () => Promise.resolve(7), { success: (n) => `got ${n}` });
    expect(r).toBe(7);
    expect(notices.getState().notices.map((n) => [n.tone, n.text])).toEqual([['success', 'got 7']]);
  });

  it('turns a failure into one error notice in Keyway’s words, and resolves undefined', async () => {
    const notices = createNoticesStore();
    const r = await runReported(notices, () =>
      Promise.reject(new KeywayError('conflict', 'account team still has 2 keys')),
    );
    expect(r).toBeUndefined();
    expect(notices.getState().notices.map((n) => [n.tone, n.text])).toEqual([
      ['error', 'account team still has 2 keys'],
    ]);
  });

  it('hands the failure to onError instead of the notices when asked', async () => {
    const notices = createNoticesStore();
    const seen: string[] = [];
    await runReported(notices, () => Promise.reject(new Error('nope')), {
      onError: (m) => seen.push(m),
    });
    expect(seen).toEqual(['nope']);
    expect(notices.getState().notices).toEqual([]);
  });
});
