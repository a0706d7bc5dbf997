import { describe, expect, it } from 'vitest';
import {
  API_ROTATION_STEPS,
  canonicalStep,
  mergeSteps,
  stepLabel,
  stepRows,
} from './rotation-steps';

describe('rotation steps', () => {
  it('treats "minted" and "mint" as the same step', () => {
    expect(canonicalStep('Minted')).toBe('mint');
    expect(canonicalStep('revoked')).toBe('revoke');
    expect(stepLabel('verified')).toBe('Verified it at the vendor');
    expect(stepLabel('notify')).toBe('Notify');
  });

  it('replaces a step reported twice and keeps arrival order for new ones', () => {
    const merged = mergeSteps(
      [
        { step: 'mint', ok: true, ms: 5 },
        { step: 'verify', ok: false, ms: 1 },
      ],
      [
        { step: 'verified', ok: true, ms: 9 },
        { step: 'swap', ok: true, ms: 2 },
      ],
    );
    expect(merged.map((s) => [s.step, s.ok])).toEqual([
      ['mint', true],
      ['verified', true],
      ['swap', true],
    ]);
  });

  it('ticks reported steps, marks the next one running, and the rest to do', () => {
    const rows = stepRows(
      API_ROTATION_STEPS,
      [
        { step: 'minted', ok: true, ms: 40 },
        { step: 'store', ok: true, ms: 3 },
      ],
      'running',
    );
    expect(rows.map((r) => r.state)).toEqual([
      'done',
      'done',
      'running',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(rows[0]).toMatchObject({ step: 'mint', ms: 40 });
  });

  it('after a failure shows the failed step with its message and the rest as not run', () => {
    const rows = stepRows(
      API_ROTATION_STEPS,
      [
        { step: 'mint', ok: true, ms: 40 },
        { step: 'verify', ok: false, ms: 7, message: 'the vendor refused the new key (401)' },
        { step: 'cleanup', ok: true, ms: 1 },
      ],
      'failed',
    );
    expect(rows.find((r) => r.step === 'verify')).toMatchObject({
      state: 'failed',
      message: 'the vendor refused the new key (401)',
    });
    expect(rows.find((r) => r.step === 'swap')?.state).toBe('skipped');
    expect(rows.at(-1)).toMatchObject({ step: 'cleanup', state: 'done' });
  });
});
