/**
 * The boundaries of a rotation where a crash is the most dangerous: right after each journal
 * write, plus the two moments the journal cannot cover (the vendor answered the mint but the
 * secret is not in the keychain yet; the vendor deleted the old key but its secret is not
 * forgotten yet).
 */
export type CrashPoint =
  'mint' | 'minted' | 'stored' | 'verified' | 'swapped' | 'drained' | 'revoking' | 'revoked';

export const CRASH_POINTS: readonly CrashPoint[] = [
  'mint',
  'minted',
  'stored',
  'verified',
  'swapped',
  'drained',
  'revoking',
  'revoked',
];

/**
 * TEST HOOK (fault injection), not a feature: with `KEYWAY_TEST_CRASH_AFTER=<point>` in its
 * environment, the process kills itself with SIGKILL when a rotation reaches that point, so the
 * crash tests can prove recovery at every step boundary deterministically. SIGKILL, like a power
 * cut, runs no cleanup; the thread is then parked so not one more instruction of the rotation
 * runs while the signal lands. Without the variable this is a no-op.
 */
export function crashPoint(point: CrashPoint): void {
  if (process.env.KEYWAY_TEST_CRASH_AFTER !== point) return;
  process.kill(process.pid, 'SIGKILL');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}
