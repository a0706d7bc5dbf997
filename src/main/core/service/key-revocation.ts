import { KeywayError } from '../../../shared/errors';
import type { KeyRevoked, StepResult } from '../../../shared/contract';
import type { Account, KeyVersion } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { findAccount, findKey } from './lookups';
import { timed } from './key-versions';
import { credentialFor, endpointFor, serviceError } from './vendor-calls';
import { isVendorError } from '../vendors/vendor-error';
import { record, type Handlers, type ServiceContext } from './service-context';

/**
 * Whether the vendor now refuses a secret — the only proof a dashboard revocation happened.
 * A vendor that is down proves nothing, so that is an error, not a "yes".
 */
export async function vendorRefuses(
  ctx: ServiceContext,
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
  ctx: ServiceContext,
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

/** Revokes one version at the vendor (API) or checks the user revoked it (guided). */
export async function revokeVersion(
  ctx: ServiceContext,
  account: Account,
  version: KeyVersion,
  steps: StepResult[],
): Promise<void> {
  const adapter = ctx.vendor(account.vendor);
  if (adapter.capabilities.revoke && adapter.revoke && version.vendorKeyId) {
    await timed(steps, 'revoke', () => revokeAtVendor(ctx, account, version));
    return;
  }
  const secret = await ctx.secrets.get(secretNames.keyVersion(version.id));
  if (secret === undefined) return; // nothing left that could still be live through Keyway
  const refused = await timed(steps, 'confirm-revoked', () => vendorRefuses(ctx, account, secret));
  if (!refused) {
    const guided = adapter.guidedFor
      ? adapter.guidedFor(endpointFor(ctx, account))
      : adapter.guided;
    const how = guided ? ` ${guided.revokeSteps.join(' ')} (${guided.dashboardUrl})` : '';
    throw new KeywayError(
      'conflict',
      `${adapter.displayName} still accepts this key (…${version.last4}), so Keyway keeps it. Revoke it in the vendor's dashboard first:${how} Then run this again.`,
    );
  }
}

export function keyRevokeHandler(ctx: ServiceContext): Pick<Handlers, 'key.revoke'> {
  return {
    async 'key.revoke'({ ref }) {
      const key = findKey(ctx.store.current, ref);
      const account = findAccount(ctx.store.current, key.account);
      const live = key.versions.filter((v) => v.state !== 'revoked');
      if (live.length === 0)
        throw new KeywayError(
          'conflict',
          `key "${ref}" is already revoked; \`keyway key remove\` forgets it`,
        );
      const steps: StepResult[] = [];
      const revoked: KeyVersion[] = [];
      for (const version of live) {
        // Revoke first, forget after: a secret is never deleted while it may still be live.
        await revokeVersion(ctx, account, version, steps);
        await ctx.store.update((doc) => {
          const v = doc.keys.find((k) => k.ref === ref)?.versions.find((x) => x.id === version.id);
          if (v) v.state = 'revoked';
        });
        await timed(steps, 'forget', () => ctx.secrets.delete(secretNames.keyVersion(version.id)));
        revoked.push({ ...version, state: 'revoked' });
      }
      await record(ctx, {
        event: 'key.revoked',
        key: ref,
        client: null,
        account: key.account,
        detail: { versions: revoked.map((v) => v.fingerprint) },
      });
      ctx.events.emit('state.changed', { what: 'keys' });
      const result: KeyRevoked = { ref, revoked, steps };
      return result;
    },
  };
}
