import { randomBytes } from 'node:crypto';
import type { Account, KeyVersion } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { findAccount, splitRef } from '../store/lookups';
import type { RotationRecord } from '../store/store-document';
import { record } from '../audit/audit-record';
import type { RotationContext } from './rotation-context';
import type { RotationCore } from './rotation-core';
import { revokeAtVendor } from './vendor-revoke';
import { credentialFor, endpointFor, vendorCall } from './vendor-calls';

/** The name a minted key carries at the vendor: says who made it, for what, and when. */
export function vendorKeyName(ref: string, now: Date, purpose: 'create' | 'rotate'): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `keyway-${ref.replace('/', '-')}-${purpose === 'rotate' ? 'rot-' : ''}${stamp}`.slice(
    0,
    64,
  );
}

/**
 * The name a rotated key is minted under. It must be unique: recovery finds a key minted just
 * before a crash by this name, and two rotations in the same second must never share one (the
 * search would find the other rotation's key — possibly the one in use).
 */
export function rotationKeyName(ref: string, now: Date): string {
  const suffix = randomBytes(3).toString('hex');
  return `${vendorKeyName(ref, now, 'rotate').slice(0, 64 - suffix.length - 1)}-${suffix}`;
}

/** Every vendor key id Keyway knows as one of its own versions. */
function knownVendorKeyIds(ctx: RotationContext): Set<string> {
  const ids = new Set<string>();
  for (const k of ctx.store.current.keys)
    for (const v of k.versions) if (v.vendorKeyId) ids.add(v.vendorKeyId);
  return ids;
}

/** The new key's ids at the vendor: journaled, else looked up by the name it was minted under. */
async function mintedKeyIds(
  ctx: RotationContext,
  account: Account,
  entry: RotationRecord,
): Promise<string[]> {
  if (entry.newVersion?.vendorKeyId) return [entry.newVersion.vendorKeyId];
  const adapter = ctx.vendor(account.vendor);
  if (!entry.vendorName || !adapter.list) return [];
  const credential = await credentialFor(ctx, account, 'look for a key minted before a crash');
  const listed = await vendorCall(() => adapter.list!(endpointFor(ctx, account), credential));
  // Never a key Keyway uses: only a key nobody holds may be withdrawn by its name.
  const known = knownVendorKeyIds(ctx);
  return listed
    .filter((k) => k.name === entry.vendorName && !known.has(k.vendorKeyId))
    .map((k) => k.vendorKeyId);
}

/**
 * Withdraws a new key that never got into use: revoked at the vendor first, then its secret
 * forgotten, then the journal entry dropped — in that order, so a secret is never deleted while
 * its key may still be live. Throws when the vendor cannot be asked; the journal then stays and
 * the caller tries again later. A pasted key (guided) has no vendor id and is only forgotten.
 */
async function withdrawNewKey(core: RotationCore, entry: RotationRecord): Promise<string[]> {
  const { ctx } = core;
  const account = findAccount(ctx.store.current, splitRef(entry.key).account);
  const ids = await mintedKeyIds(ctx, account, entry);
  const base: KeyVersion = entry.newVersion ?? {
    id: entry.newVersionId,
    vendorKeyId: null,
    fingerprint: '',
    last4: '',
    created: entry.startedAt,
    expires: null,
    state: 'failed',
  };
  for (const vendorKeyId of ids) await revokeAtVendor(ctx, account, { ...base, vendorKeyId });
  await ctx.secrets.delete(secretNames.keyVersion(entry.newVersionId));
  await core.journal.drop(entry.id);
  return ids;
}

/**
 * Undoes a new key nobody uses yet: revoked at the vendor, then forgotten. If the vendor cannot
 * be reached, the journal keeps the entry (`rolling-back`) and the scheduler tries again.
 * True when nothing is left at the vendor.
 */
export async function rollBack(
  core: RotationCore,
  entry: RotationRecord,
  reason: string,
): Promise<boolean> {
  let withdrawn: string[];
  try {
    withdrawn = await withdrawNewKey(core, entry);
  } catch (err) {
    const attempts = entry.attempts + 1;
    const at = core.retryTime(attempts);
    await core.journal.advance(entry.id, {
      step: 'rolling-back',
      waitingFor: null,
      attempts,
      nextRetryAt: at.toISOString(),
      message: `withdrawing the unused new key failed (${(err as Error).message}); retrying at ${at.toISOString()}`,
    });
    core.scheduleRetry(at);
    core.changed(entry.key);
    return false;
  }
  await record(core.ctx, {
    event: 'rotation.rolled-back',
    key: entry.key,
    client: null,
    detail: { rotationId: entry.id, reason, withdrawn },
  });
  core.changed(entry.key);
  return true;
}
