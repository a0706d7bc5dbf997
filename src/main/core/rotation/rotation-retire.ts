import { KeywayError } from '../../../shared/errors';
import { secretNames } from '../keychain/secret-store';
import { lookupVersion } from '../store/lookups';
import { announce } from '../audit/audit-record';
import { stepsWithPage } from '../vendors/guided-steps';
import type { RotationCore, Rotating } from './rotation-core';
import { crashPoint } from './rotation-crash';
import { revokeAtVendor, vendorRefuses } from './vendor-revoke';
import { guidedSteps } from './vendor-calls';

/**
 * After the drain: API vendors revoke the old key (journaled as `revoking` first, retried with
 * backoff on failure); guided vendors wait for the user, who revokes it in the dashboard.
 */
export async function revokeOld(core: RotationCore, w: Rotating): Promise<void> {
  const { ctx, journal } = core;
  const adapter = ctx.vendor(w.account.vendor);
  if (adapter.capabilities.revoke && adapter.revoke && w.old.vendorKeyId) {
    w.entry = await journal.advance(w.entry.id, {
      step: 'revoking',
      waitingFor: null,
      nextRetryAt: null,
    });
    crashPoint('revoking');
    try {
      await w.runner.run('revoke', async () =>
        revokeAtVendor(ctx, w.account, w.old, await core.credentialOf(w, 'revoke keys')),
      );
    } catch (err) {
      const attempts = w.entry.attempts + 1;
      const at = core.retryTime(attempts);
      w.entry = await journal.advance(w.entry.id, {
        step: 'revoking',
        waitingFor: 'revoke-retry',
        attempts,
        nextRetryAt: at.toISOString(),
        message: `revoking the old key (…${w.old.last4}) failed (${(err as Error).message}); retrying at ${at.toISOString()}`,
      });
      w.warnings.push(w.entry.message!);
      core.scheduleRetry(at);
      return;
    }
    crashPoint('revoked');
    await forgetOld(core, w);
    return;
  }
  const guided = guidedSteps(ctx, w.account);
  const how = guided
    ? stepsWithPage(guided, 'revokeSteps')
    : "Revoke it in the vendor's dashboard.";
  const message = `Now revoke the old key (…${w.old.last4}) yourself: ${how} Then confirm, and Keyway checks that ${adapter.displayName} refuses it.`;
  w.entry = await journal.advance(w.entry.id, {
    step: 'revoking',
    waitingFor: 'user-revoke',
    message,
  });
  await w.runner.note('revoke', true, message);
  w.warnings.push(message);
}

/**
 * The old key is dead at the vendor: forget its secret first, then mark it revoked and close the
 * journal entry. In this order a crash in between leaves a journaled rotation whose revoke is
 * simply repeated (the vendor then says "not found" and the secret is already gone).
 */
async function forgetOld(core: RotationCore, w: Rotating): Promise<void> {
  const { ctx } = core;
  await w.runner.run('forget', async () => {
    await ctx.secrets.delete(secretNames.keyVersion(w.old.id));
    ctx.versions.forget(w.old.id);
    await ctx.store.update((doc) => {
      const v = lookupVersion(doc, w.key.ref, w.old.id);
      if (v) v.state = 'revoked';
      doc.rotations = doc.rotations.filter((r) => r.id !== w.entry.id);
    });
  });
  await announce(
    ctx,
    {
      event: 'key.rotated',
      key: w.key.ref,
      client: null,
      detail: { from: w.old.fingerprint, to: w.entry.newVersion?.fingerprint },
    },
    'keys',
  );
}

/** Guided: forget the old key only once the vendor refuses it; true when the rotation is done. */
export async function confirmRevoked(core: RotationCore, w: Rotating): Promise<boolean> {
  const { ctx, journal } = core;
  const ref = w.key.ref;
  if (w.entry.waitingFor !== 'user-revoke') {
    throw new KeywayError(
      'conflict',
      `the rotation of ${ref} is not waiting for a dashboard revocation`,
    );
  }
  const secret = await ctx.secrets.get(secretNames.keyVersion(w.old.id));
  const refused =
    secret === undefined ||
    (await w.runner.run('confirm-revoked', () => vendorRefuses(ctx, w.account, secret)));
  if (!refused) {
    const message = `${ctx.vendor(w.account.vendor).displayName} still accepts the old key (…${w.old.last4}); Keyway keeps it until it is revoked.`;
    await journal.advance(w.entry.id, { message });
    core.changed(ref);
    return false;
  }
  await forgetOld(core, w);
  core.changed(ref);
  return true;
}
