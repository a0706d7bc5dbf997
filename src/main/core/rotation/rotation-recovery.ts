import { secretNames } from '../keychain/secret-store';
import { lookupKey } from '../store/lookups';
import { fingerprint, last4 } from '../secret-facts';
import type { RotationContext } from './rotation-context';
import type { JournalStep, RotationRecord } from '../store/store-document';
import type { RotationEngine } from './rotation-engine';

/** Nothing uses the new key yet at these steps: the proxy still sends the old one. */
const BEFORE_SWAP = new Set<JournalStep>(['mint', 'stored', 'verified', 'rolling-back']);

/**
 * Resumes or rolls back one journaled key change left behind by a crash or a failed call.
 * Up to the swap, a key Keyway minted is rolled back (revoked at the vendor, then forgotten):
 * nobody uses it yet, and the user who asked for the rotation is gone. A pasted key (guided)
 * is the user's and is never thrown away once it reached the keychain: it goes on to the swap.
 * After the swap, the rotation always runs on to revoke and forget the old key.
 */
export async function recoverRotation(
  ctx: RotationContext,
  engine: RotationEngine,
  entry: RotationRecord,
): Promise<void> {
  if (engine.isRunning(entry.key)) return;
  await engine.exclusive(entry.key, async () => {
    const current = engine.journal.byId(entry.id);
    if (!current || current.waitingFor === 'user-revoke') return;
    const keyExists = lookupKey(ctx.store.current, current.key) !== undefined;
    const minted = current.vendorName !== null;
    if (
      current.kind === 'create' ||
      !keyExists ||
      (BEFORE_SWAP.has(current.step) && (minted || current.step === 'rolling-back'))
    ) {
      await engine.rollBack(current, 'interrupted before the new key went into use');
      return;
    }
    if (current.step === 'mint' && !(await adoptPasted(ctx, engine, current))) return;
    await engine.continueFrom(engine.working(current.key));
  });
}

/**
 * Guided, interrupted between the keychain write and its journal entry: if the pasted key made
 * it into the keychain, journal it as stored; if not, nothing happened and the entry goes.
 */
async function adoptPasted(
  ctx: RotationContext,
  engine: RotationEngine,
  entry: RotationRecord,
): Promise<boolean> {
  const secret = await ctx.secrets.get(secretNames.keyVersion(entry.newVersionId));
  if (secret === undefined) {
    await engine.journal.drop(entry.id);
    engine.changed(entry.key);
    return false;
  }
  await engine.journal.advance(entry.id, {
    step: 'stored',
    newVersion: {
      id: entry.newVersionId,
      vendorKeyId: null,
      fingerprint: fingerprint(secret),
      last4: last4(secret),
      created: entry.startedAt,
      expires: null,
      state: 'active',
    },
  });
  return true;
}
