import { KeywayError } from '../../../shared/errors';
import type { KeyChange } from '../../../shared/contract';
import { currentVersion, type Account, type Key } from '../../../shared/domain';
import { newVersion } from '../secret-facts';
import { findAccount, findKey } from '../store/lookups';
import type { RotationRecord } from '../store/store-document';
import { RotationCore, type Rotating, type Working } from './rotation-core';
import { crashPoint } from './rotation-crash';
import { checkPasted, mintNewKey, storeNewKey, verifyNewKey } from './rotation-new-key';
import { confirmRevoked, revokeOld } from './rotation-retire';
import { guidedSteps } from './vendor-calls';
import { rollBack, rotationKeyName, vendorKeyName } from './rotation-rollback';
import { StepRunner } from './rotation-steps';
import { drainOld, goLive, swapIn } from './rotation-swap';
import { stepsWithPage } from '../vendors/guided-steps';

/**
 * The one pipeline for a new key version: mint → store → verify, then for a rotation
 * swap → drain → revoke → forget, and for a create the key goes into use. Each step is journaled
 * before the next. Never revoke before the swap; never delete a secret while its key may be
 * live; never lose a freshly minted secret (it reaches the keychain before anything else).
 */
export class RotationEngine extends RotationCore {
  rotate(ref: string, pasted?: string): Promise<KeyChange> {
    return this.exclusive(ref, async () => {
      const key = findKey(this.ctx.store.current, ref);
      const account = findAccount(this.ctx.store.current, key.account);
      this.assertIdle(ref);
      const old = currentVersion(key);
      if (!old) throw new KeywayError('conflict', `key ${ref} has no active version to rotate`);
      const adapter = this.ctx.vendor(account.vendor);
      const apiMint = adapter.capabilities.mint && adapter.mint !== undefined;
      if (pasted === undefined && !apiMint) {
        const guided = guidedSteps(this.ctx, account);
        const steps = guided ? ` ${stepsWithPage(guided, 'createSteps')}` : '';
        throw new KeywayError(
          'bad_input',
          `${adapter.displayName} keys are made in its dashboard: create the new key there, then paste it.${steps}`,
          'secret',
        );
      }
      if (pasted !== undefined) await checkPasted(this.ctx, key, old, account, pasted);
      const entry = await this.journal.begin(ref, 'rotate', 'mint', {
        vendorName: pasted === undefined ? rotationKeyName(ref, this.ctx.now()) : null,
        oldVersionId: old.id,
      });
      const w: Rotating = this.start(entry, key, account, old);
      this.changed(ref);
      crashPoint('mint');
      if (pasted === undefined) await mintNewKey(this, w);
      else await storeNewKey(this, w, newVersion(pasted, this.ctx.now(), null, null), pasted);
      return this.continueFrom(w);
    });
  }

  /**
   * A new key minted at an API vendor: the same journaled mint → store → verify as a rotation,
   * then the key goes into use. `draft` is the key as it will be stored (no versions yet).
   */
  create(draft: Key, account: Account): Promise<KeyChange> {
    const ref = draft.ref;
    return this.exclusive(ref, async () => {
      this.assertIdle(ref);
      // Journal before minting: if Keyway dies between the vendor's answer and the keychain
      // write, recovery finds the orphan at the vendor by this name and withdraws it.
      const entry = await this.journal.begin(ref, 'create', 'mint', {
        vendorName: vendorKeyName(ref, this.ctx.now(), 'create'),
        oldVersionId: null,
      });
      const w = this.start(entry, draft, account, null);
      crashPoint('mint');
      await mintNewKey(this, w);
      return this.continueFrom(w);
    });
  }

  rollBack(entry: RotationRecord, reason: string): Promise<boolean> {
    return rollBack(this, entry, reason);
  }

  /** Resumes a journaled change at the step after the last one known to be done. */
  async continueFrom(w: Working): Promise<KeyChange> {
    if (w.entry.step === 'stored') await verifyNewKey(this, w);
    if (!isRotation(w)) {
      const key = await goLive(this, w);
      const scopeWarnings = this.ctx.vendor(w.account.vendor).scopeWarnings(key.scopes);
      const version = key.versions[0]!;
      const warnings = [...scopeWarnings, ...w.warnings];
      return { ref: key.ref, version, retired: null, steps: w.runner.steps, warnings };
    }
    const r = w;
    const ref = r.key.ref;
    if (r.entry.step === 'verified') await swapIn(this, r);
    if (r.entry.step === 'swapped') await drainOld(this, r);
    if (
      r.entry.step === 'drained' ||
      (r.entry.step === 'revoking' && r.entry.waitingFor !== 'user-revoke')
    )
      await revokeOld(this, r);
    this.changed(ref);
    const key = findKey(this.ctx.store.current, ref);
    const version = key.versions.find((v) => v.id === r.entry.newVersionId);
    if (!version)
      throw new KeywayError('internal', `the rotation of ${ref} stopped before the swap`);
    const retired = key.versions.find((v) => v.id === r.old.id) ?? null;
    return { ref, version, retired, steps: r.runner.steps, warnings: r.warnings };
  }

  /** Guided: the user says the old key is revoked; forget it only if the vendor refuses it now. */
  confirmRevoked(ref: string): Promise<boolean> {
    return this.exclusive(ref, () => confirmRevoked(this, this.working(ref)));
  }

  /** Tries a failed revoke (or the withdrawal of an unused new key) again, now. */
  retryRevoke(ref: string): Promise<void> {
    return this.exclusive(ref, async () => {
      const w = this.working(ref);
      if (w.entry.step === 'rolling-back') {
        await this.rollBack(w.entry, 'retried');
        return;
      }
      if (w.entry.waitingFor !== 'revoke-retry')
        throw new KeywayError('conflict', `a rotation of ${ref} ${pendingState(w.entry)}`);
      await this.continueFrom(w);
    });
  }

  /** The journaled rotation of a key, as the steps need it. */
  working(ref: string): Rotating {
    const entry = this.journal.forKey(ref, 'rotate');
    if (!entry) throw new KeywayError('not_found', `no rotation of ${ref} is in progress`);
    const key = findKey(this.ctx.store.current, ref);
    const account = findAccount(this.ctx.store.current, key.account);
    const old = key.versions.find((v) => v.id === entry.oldVersionId);
    if (!old) throw new KeywayError('internal', `the old version of ${ref} is missing`);
    return this.start(entry, key, account, old);
  }

  private start<O extends Rotating['old'] | null>(
    entry: RotationRecord,
    key: Key,
    account: Account,
    old: O,
  ): Working & { old: O } {
    const owner = { rotationId: entry.id, kind: entry.kind };
    return {
      entry,
      key,
      account,
      old,
      runner: new StepRunner(this.ctx, key.ref, owner),
      warnings: [],
    };
  }

  private assertIdle(ref: string): void {
    const pending = this.journal.forKey(ref);
    if (pending) throw new KeywayError('busy', `a rotation of ${ref} ${pendingState(pending)}`);
  }
}

function isRotation(w: Working): w is Rotating {
  return w.old !== null;
}

/** What a pending rotation is waiting for, in words, after "a rotation of REF …". */
function pendingState(r: RotationRecord): string {
  if (r.waitingFor === 'user-revoke')
    return `is waiting for you to revoke the old key in the dashboard; run \`keyway key rotate ${r.key}\` once you have`;
  if (r.waitingFor === 'revoke-retry')
    return `is still retiring its old key: the vendor refused to revoke it, next attempt at ${r.nextRetryAt ?? 'the next check'}`;
  if (r.step === 'rolling-back') return 'is still withdrawing a new key that never went into use';
  // Callers hold the key's lock, so this entry is idle: an error interrupted it.
  return `was interrupted after "${r.step}"; Keyway resumes it shortly`;
}
