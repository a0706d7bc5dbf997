import { KeywayError } from '../../../../shared/errors';
import type { KeyRevoked } from '../../../../shared/contract';
import type { Account, KeyVersion } from '../../../../shared/domain';
import { secretNames } from '../../keychain/secret-store';
import { findAccount, findKey, lookupVersion } from '../../store/lookups';
import { guidedSteps } from '../../rotation/vendor-calls';
import { StepRunner } from '../../rotation/rotation-steps';
import { revokeAtVendor, vendorRefuses } from '../../rotation/vendor-revoke';
import { stepsWithPage } from '../../vendors/guided-steps';
import { announce, type Handlers, type ServiceContext } from '../service-context';

/** Revokes one version at the vendor (API) or checks the user revoked it (guided). */
async function revokeVersion(
  ctx: ServiceContext,
  account: Account,
  version: KeyVersion,
  runner: StepRunner,
): Promise<void> {
  const adapter = ctx.vendor(account.vendor);
  if (adapter.capabilities.revoke && adapter.revoke && version.vendorKeyId) {
    await runner.run('revoke', () => revokeAtVendor(ctx, account, version));
    return;
  }
  const secret = await ctx.secrets.get(secretNames.keyVersion(version.id));
  if (secret === undefined) return; // nothing left that could still be live through Keyway
  const refused = await runner.run('confirm-revoked', () => vendorRefuses(ctx, account, secret));
  if (!refused) {
    const guided = guidedSteps(ctx, account);
    const how = guided ? ` ${stepsWithPage(guided, 'revokeSteps')}` : '';
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
      const runner = new StepRunner(ctx, ref, null);
      const revoked: KeyVersion[] = [];
      for (const version of live) {
        // Revoke first, forget after: a secret is never deleted while it may still be live.
        await revokeVersion(ctx, account, version, runner);
        await ctx.store.update((doc) => {
          const v = lookupVersion(doc, ref, version.id);
          if (v) v.state = 'revoked';
        });
        await runner.run('forget', () => ctx.secrets.delete(secretNames.keyVersion(version.id)));
        revoked.push({ ...version, state: 'revoked' });
      }
      await announce(
        ctx,
        {
          event: 'key.revoked',
          key: ref,
          client: null,
          account: key.account,
          detail: { versions: revoked.map((v) => v.fingerprint) },
        },
        'keys',
      );
      const result: KeyRevoked = { ref, revoked, steps: runner.steps };
      return result;
    },
  };
}
