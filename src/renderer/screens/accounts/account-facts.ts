import type { VendorInfo } from '../../../shared/contract';
import type { Account } from '../../../shared/domain';

export type CredentialState = 'can-mint' | 'present' | 'missing' | 'not-needed';

/** The management credential as the user cares about it: can Keyway make keys with it? */
export function credentialState(account: Account, vendor: VendorInfo | undefined): CredentialState {
  const mints = vendor?.capabilities.mint ?? false;
  if (!account.hasCredential) return mints ? 'missing' : 'not-needed';
  return mints ? 'can-mint' : 'present';
}

export const CREDENTIAL_TEXT: Record<CredentialState, string> = {
  'can-mint': 'In the keychain; Keyway can create and revoke keys with it',
  present: 'In the keychain',
  missing: 'Missing: Keyway cannot create or revoke keys for this account',
  'not-needed': 'None (keys for this vendor are made in its dashboard)',
};
