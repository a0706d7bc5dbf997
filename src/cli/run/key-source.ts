import type { KeywayApi } from '../../shared/contract';
import { KeywayError } from '../../shared/errors';
import { OsKeychain } from '../../main/core/keychain/os-keychain';
import { secretNames } from '../../main/core/keychain/secret-store';
import { findKey } from '../../main/core/store/lookups';
import type { EnvRef } from './env-refs';

/** The keys a program runs with: which version of each, and the environment they make. */
export interface HeldKeys {
  /** Current version id per key ref. */
  versions: Map<string, string>;
  env: Record<string, string>;
}

/** The current version id of each key, from the running instance (no secret crosses the API). */
export async function currentVersions(
  api: KeywayApi,
  refs: EnvRef[],
): Promise<Map<string, string>> {
  const keys = await api['key.list']({});
  const out = new Map<string, string>();
  for (const { ref } of refs) {
    const key = findKey({ keys }, ref);
    if (!key.version)
      throw new KeywayError('not_found', `key "${ref}" has no current version to run with`);
    out.set(ref, key.version.id);
  }
  return out;
}

/**
 * Reads each key's current secret from the OS keychain, for the program's environment only: it
 * is never put on a command line or in a file, and never printed.
 */
export async function readHeldKeys(api: KeywayApi, refs: EnvRef[]): Promise<HeldKeys> {
  const versions = await currentVersions(api, refs);
  const keychain = new OsKeychain();
  const env: Record<string, string> = {};
  for (const { variable, ref } of refs) {
    const versionId = versions.get(ref)!;
    const secret = await keychain.get(secretNames.keyVersion(versionId));
    if (!secret)
      throw new KeywayError(
        'not_found',
        `the secret of key "${ref}" is not in this user's keychain (version ${versionId})`,
      );
    env[variable] = secret;
  }
  return { versions, env };
}

export function sameVersions(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([ref, v]) => b.get(ref) === v);
}
