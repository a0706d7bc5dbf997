// The roll-back / go-forward rule after a crash, on fakes: up to the swap a key Keyway minted
// is withdrawn (nobody uses it yet); a pasted key is the user's and goes on; after the swap the
// rotation always runs on to revoke and forget the old key; a create is always withdrawn.
import { describe, expect, it } from 'vitest';
import { secretNames } from '../keychain/secret-store';
import { fingerprint, last4 } from '../secret-facts';
import type { JournalStep, RotationRecord } from '../store/store-document';
import { recoverRotation } from './rotation-recovery';
import { fakeEngine, REF } from '../../../../test/support/rotation-fakes';

type Setup = Awaited<ReturnType<typeof fakeEngine>>;
const AFTER_SWAP: JournalStep[] = ['swapped', 'drained', 'revoking'];

/** The state a crash right after `step` leaves: journal, keychain, vendor and store. */
async function crashedAt(
  s: Setup,
  step: JournalStep,
  opts: { kind?: 'create' | 'rotate'; pasted?: boolean } = {},
): Promise<{ entry: RotationRecord; vendorKeyId: string }> {
  const kind = opts.kind ?? 'rotate';
  const ref = kind === 'create' ? 'acme/new' : REF;
  const vendorName = opts.pasted ? null : `keyway-${kind}-crash`;
  const made = s.vendor.add(vendorName ?? 'pasted in the dashboard');
  const now = new Date().toISOString();
  const stored = step !== 'mint';
  const newVersion = stored
    ? {
        ...{ id: 'v-new', vendorKeyId: opts.pasted ? null : made.id, created: now },
        ...{ fingerprint: fingerprint(made.secret), last4: last4(made.secret) },
        ...{ expires: null, state: 'active' as const },
      }
    : null;
  if (stored) await s.secrets.set(secretNames.keyVersion('v-new'), made.secret);
  const entry: RotationRecord = {
    ...{ id: 'r1', key: ref, kind, step, startedAt: now, updatedAt: now, vendorName },
    ...{ oldVersionId: kind === 'create' ? null : s.old.id, newVersionId: 'v-new', newVersion },
    ...{ waitingFor: null, attempts: 0, nextRetryAt: null, message: null },
  };
  await s.store.update((doc) => {
    doc.rotations.push(entry);
    if (!AFTER_SWAP.includes(step)) return;
    const key = doc.keys[0]!;
    key.versions[0]!.state = 'retiring';
    key.versions.push(newVersion!);
  });
  return { entry, vendorKeyId: made.id };
}

describe('recovery after a crash', () => {
  for (const step of ['mint', 'stored', 'verified'] as JournalStep[]) {
    it(`a minted key at "${step}" is rolled back: withdrawn at the vendor, the old key stays`, async () => {
      const s = await fakeEngine();
      const { entry, vendorKeyId } = await crashedAt(s, step);
      await recoverRotation(s.ctx, s.engine, entry);
      expect(s.vendor.live()).toEqual([s.old.vendorKeyId]);
      expect(s.vendor.keys.get(vendorKeyId)?.live).toBe(false);
      expect(s.store.current.keys[0]!.versions.map((v) => [v.id, v.state])).toEqual([
        [s.old.id, 'active'],
      ]);
      expect(await s.secrets.get(secretNames.keyVersion('v-new'))).toBeUndefined();
      expect(s.store.current.rotations).toEqual([]);
    });
  }

  for (const step of AFTER_SWAP) {
    it(`after the swap ("${step}") the rotation goes forward: the old key is revoked and forgotten`, async () => {
      const s = await fakeEngine();
      const { entry, vendorKeyId } = await crashedAt(s, step);
      await recoverRotation(s.ctx, s.engine, entry);
      expect(s.vendor.live()).toEqual([vendorKeyId]);
      const versions = s.store.current.keys[0]!.versions;
      expect(versions.map((v) => [v.id, v.state])).toEqual([
        [s.old.id, 'revoked'],
        ['v-new', 'active'],
      ]);
      expect(await s.secrets.get(secretNames.keyVersion(s.old.id))).toBeUndefined();
      expect(s.store.current.rotations).toEqual([]);
    });
  }

  it('a pasted key that reached the keychain is the user’s: it goes forward to the swap', async () => {
    const s = await fakeEngine();
    const { entry } = await crashedAt(s, 'stored', { pasted: true });
    await recoverRotation(s.ctx, s.engine, entry);
    const current = s.store.current.keys[0]!.versions.find((v) => v.state === 'active');
    expect(current?.id).toBe('v-new');
    expect(await s.secrets.get(secretNames.keyVersion('v-new'))).toBeDefined();
  });

  for (const step of ['mint', 'stored', 'verified'] as JournalStep[]) {
    it(`a create at "${step}" is withdrawn: no key in Keyway, none left at the vendor`, async () => {
      const s = await fakeEngine();
      const { entry } = await crashedAt(s, step, { kind: 'create' });
      await recoverRotation(s.ctx, s.engine, entry);
      expect(s.store.current.keys.map((k) => k.ref)).toEqual([REF]);
      expect(s.vendor.live()).toEqual([s.old.vendorKeyId]);
      expect(await s.secrets.get(secretNames.keyVersion('v-new'))).toBeUndefined();
      expect(s.store.current.rotations).toEqual([]);
    });
  }
});
