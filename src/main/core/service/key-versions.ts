import { randomUUID } from 'node:crypto';
import type { KeyView, StepResult } from '../../../shared/contract';
import { currentVersion, type Key, type KeyVersion } from '../../../shared/domain';
import { fingerprint, last4 } from '../secret-facts';

export function keyView(key: Key, serviceAccount: boolean): KeyView {
  const { versions, ...rest } = key;
  return {
    ...rest,
    version: currentVersion(key) ?? null,
    versions: versions.map((v) => ({ ...v })),
    serviceAccount,
  };
}

/** Times one step of a key change so the CLI's `--json` and the UI can show where time went. */
export async function timed<T>(
  steps: StepResult[],
  step: string,
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    steps.push({ step, ok: true, ms: Math.round(performance.now() - started) });
    return result;
  } catch (err) {
    steps.push({
      step,
      ok: false,
      ms: Math.round(performance.now() - started),
      message: (err as Error).message,
    });
    throw err;
  }
}

export function newVersion(
  secret: string,
  now: Date,
  vendorKeyId: string | null,
  expires: string | null,
): KeyVersion {
  return {
    id: randomUUID(),
    vendorKeyId,
    fingerprint: fingerprint(secret),
    last4: last4(secret),
    created: now.toISOString(),
    expires,
    state: 'active',
  };
}
