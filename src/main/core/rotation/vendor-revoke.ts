import { KeywayError } from '../../../shared/errors';
import type { Account, KeyVersion } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { isVendorError } from '../vendors/vendor-error';
import type { RotationContext } from './rotation-context';
import { credentialFor, endpointFor, serviceError } from './vendor-calls';

/**
 * Whether the vendor now refuses a secret — the only proof a dashboard revocation happened.
 * A vendor that is down proves nothing, so that is an error, not a "yes".
 */
export async function vendorRefuses(
  ctx: RotationContext,
  account: Account,
  secret: string,
): Promise<boolean> {
  try {
    await ctx.vendor(account.vendor).verify(endpointFor(ctx, account), secret);
    return false;
  } catch (err) {
    if (isVendorError(err) && err.kind === 'refused') return true;
    throw new KeywayError(
      'vendor_unavailable',
      `could not check the old key with the vendor: ${(err as Error).message}`,
    );
  }
}

/**
 * Deletes a key at an API vendor. A "not found" is success only if the vendor now refuses the
 * secret too (deleted already, e.g. in the dashboard); otherwise the key may belong to another
 * user and still be live, so the error stands. A caller that already read the management
 * credential (a rotation) passes it, saving a keychain round trip.
 */
export async function revokeAtVendor(
  ctx: RotationContext,
  account: Account,
  version: KeyVersion,
  knownCredential?: string,
): Promise<void> {
  const adapter = ctx.vendor(account.vendor);
  const vendorKeyId = version.vendorKeyId;
  if (!adapter.revoke || !vendorKeyId)
    throw new KeywayError('unsupported', `${adapter.displayName} keys cannot be revoked by API`);
  const credential = knownCredential ?? (await credentialFor(ctx, account, 'revoke keys'));
  try {
    await adapter.revoke(endpointFor(ctx, account), credential, vendorKeyId);
  } catch (err) {
    if (isVendorError(err) && err.kind === 'not-found') {
      const secret = await ctx.secrets.get(secretNames.keyVersion(version.id));
      if (secret === undefined || (await vendorRefuses(ctx, account, secret))) return;
    }
    throw serviceError(err);
  }
}
