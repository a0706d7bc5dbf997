import { KeywayError } from '../../../shared/errors';
import type { Account } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { revokeAtVendor, vendorRefuses } from '../service/key-revocation';
import { endpointFor } from '../service/vendor-calls';
import { record, type ServiceContext } from '../service/service-context';
import type { GuidedSteps } from '../vendors/vendor-adapter';
import { crashPoint } from './rotation-crash';
import type { RotationEngine, Working } from './rotation-engine';

/** The vendor's dashboard steps, on the account's own host (a sandbox, a self-hosted vendor). */
export function guidedSteps(ctx: ServiceContext, account: Account): GuidedSteps | null {
  const adapter = ctx.vendor(account.vendor);
  return adapter.guidedFor ? adapter.guidedFor(endpointFor(ctx, account)) : adapter.guided;
}

/**
 * After the drain: API vendors revoke the old key (journaled as `revoking` first, retried with
 * backoff on failure); guided vendors wait for the user, who revokes it in the dashboard.
 */
export async function revokeOld(engine: RotationEngine, w: Working): Promise<void> {
  const { ctx, journal } = engine;
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
        revokeAtVendor(ctx, w.account, w.old, await engine.credentialOf(w, 'revoke keys')),
      );
    } catch (err) {
      const attempts = w.entry.attempts + 1;
      const at = engine.retryTime(attempts);
      w.entry = await journal.advance(w.entry.id, {
        step: 'revoking',
        waitingFor: 'revoke-retry',
        attempts,
        nextRetryAt: at.toISOString(),
        message: `revoking the old key (…${w.old.last4}) failed (${(err as Error).message}); retrying at ${at.toISOString()}`,
      });
      w.warnings.push(w.entry.message!);
      engine.scheduleRetry(at);
      return;
    }
    crashPoint('revoked');
    await forgetOld(engine, w);
    return;
  }
  const guided = guidedSteps(ctx, w.account);
  const how = guided
    ? `${guided.revokeSteps.join(' ')} (${guided.dashboardUrl})`
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
async function forgetOld(engine: RotationEngine, w: Working): Promise<void> {
  const { ctx } = engine;
  await w.runner.run('forget', async () => {
    await ctx.secrets.delete(secretNames.keyVersion(w.old.id));
    ctx.hooks.versionForgotten?.(w.old.id);
    await ctx.store.update((doc) => {
      const v = doc.keys.find((k) => k.ref === w.key.ref)?.versions.find((x) => x.id === w.old.id);
      if (v) v.state = 'revoked';
      doc.rotations = doc.rotations.filter((r) => r.id !== w.entry.id);
    });
  });
  await record(ctx, {
    event: 'key.rotated',
    key: w.key.ref,
    client: null,
    detail: { from: w.old.fingerprint, to: w.entry.newVersion?.fingerprint },
  });
  ctx.events.emit('state.changed', { what: 'keys' });
}

/** Guided: forget the old key only once the vendor refuses it; true when the rotation is done. */
export async function confirmRevoked(engine: RotationEngine, w: Working): Promise<boolean> {
  const { ctx, journal } = engine;
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
    engine.changed(ref);
    return false;
  }
  await forgetOld(engine, w);
  engine.changed(ref);
  return true;
}
