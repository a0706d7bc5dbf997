import type { KeychainStatus } from '../../../shared/contract';

/**
 * Where every plaintext secret lives. One real implementation, on the OS keychain; there is no
 * file or memory fallback by design — an unreachable keychain is an error the user can fix.
 */
export interface SecretStore {
  readonly backend: string;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  /** True when an entry was deleted. */
  delete(name: string): Promise<boolean>;
  status(): Promise<KeychainStatus>;
}

/** The keychain service name every Keyway entry is filed under. */
export const KEYCHAIN_SERVICE = 'keyway';

/** Entry names: one per key version, one per management credential. */
export const secretNames = {
  keyVersion: (versionId: string) => `key:${versionId}`,
  credential: (dataDirId: string, account: string) => `credential:${dataDirId}:${account}`,
  controlToken: (dataDirId: string) => `control:${dataDirId}`,
};
