// The engine's steps on a fake vendor, a keychain in a Map and the store in memory: every step's
// failure, and what is left afterwards. The real keychain and the sandbox vendors are the
// integration tests' (test/integration/rotation-*.test.ts).
import { describe, expect, it } from 'vitest';
import { secretNames } from '../keychain/secret-store';
import type { Key } from '../../../shared/domain';
import { failStoreWrite, fakeEngine, REF } from '../../../../test/support/rotation-fakes';

const ROTATION = ['mint', 'store', 'verify', 'swap', 'drain', 'revoke', 'forget'];

function draft(ref: string): Key {
  return {
    ...{ ref, account: 'acme', name: ref.split('/')[1]!, vendor: 'quave', scopes: ['read'] },
    ...{ options: {}, rotateEvery: 30, createdAt: '', versions: [], refusedAt: null },
  };
}

type Setup = Awaited<ReturnType<typeof fakeEngine>>;

/** Nothing changed: the old key in use and live, no new key anywhere, the journal empty. */
async function unchanged(s: Setup, liveBefore: string[]): Promise<void> {
  const key = s.store.current.keys.find((k) => k.ref === REF)!;
  expect(key.versions.map((v) => [v.id, v.state])).toEqual([[s.old.id, 'active']]);
  expect(await s.secrets.get(secretNames.keyVersion(s.old.id))).toBe(s.oldSecret);
  expect(s.vendor.live()).toEqual(liveBefore);
  expect(s.store.current.rotations).toEqual([]);
  const versionEntries = [...s.secrets.entries.keys()].filter((n) => n.startsWith('key:'));
  expect(versionEntries).toEqual([secretNames.keyVersion(s.old.id)]);
}

describe('rotation engine: a rotation', () => {
  it('runs mint → store → verify → swap → drain → revoke → forget, each streamed and audited', async () => {
    const s = await fakeEngine();
    const change = await s.engine.rotate(REF);
    expect(change.steps.map((x) => x.step)).toEqual(ROTATION);
    const key = s.store.current.keys[0]!;
    expect(key.versions.map((v) => v.state)).toEqual(['revoked', 'active']);
    expect(s.vendor.live()).toEqual([change.version.vendorKeyId]);
    expect(await s.secrets.get(secretNames.keyVersion(s.old.id))).toBeUndefined();
    expect(s.drained).toEqual([s.old.id]);
    const streamed = s.events.filter((e) => e.type === 'rotation.step').map((e) => e.payload);
    expect(streamed.map((p) => [p.step, p.kind])).toEqual(ROTATION.map((x) => [x, 'rotate']));
    const audited = s.audit.filter((e) => e.detail?.rotationId === streamed[0]!.rotationId);
    expect(audited.map((e) => e.event)).toEqual(ROTATION.map((x) => `rotation.${x}`));
    expect(s.audit.at(-1)?.event).toBe('key.rotated');
    expect(s.store.current.rotations).toEqual([]);
  });

  it('mint refused: nothing to undo, the old key stays', async () => {
    const s = await fakeEngine();
    const live = s.vendor.live();
    s.vendor.failNext.set('mint', { kind: 'refused' });
    await expect(s.engine.rotate(REF)).rejects.toMatchObject({ code: 'vendor_refused' });
    await unchanged(s, live);
  });

  it('mint unanswered but made: the key is found by its journaled name and withdrawn', async () => {
    const s = await fakeEngine();
    const live = s.vendor.live();
    s.vendor.failNext.set('mint', { kind: 'timeout', made: true });
    await expect(s.engine.rotate(REF)).rejects.toThrow(/no new key was left at the vendor/);
    await unchanged(s, live);
    expect(s.audit.map((e) => e.event)).toContain('rotation.rolled-back');
  });

  it('mint unanswered and the vendor still down: the journal keeps it for a retry', async () => {
    const s = await fakeEngine();
    s.vendor.failNext.set('mint', { kind: 'timeout', made: true });
    s.vendor.failNext.set('list', { kind: 'unavailable' });
    await expect(s.engine.rotate(REF)).rejects.toThrow(/keeps checking the vendor/);
    expect(s.store.current.rotations).toMatchObject([{ step: 'rolling-back', attempts: 1 }]);
    expect(s.retries).toHaveLength(1);
    // The retry finds the half-made key and withdraws it.
    await s.engine.retryRevoke(REF);
    await unchanged(s, [s.old.vendorKeyId!]);
  });

  it('store fails (keychain locked): the minted key is revoked at the vendor', async () => {
    const s = await fakeEngine();
    const live = s.vendor.live();
    s.secrets.failNext = 'set';
    await expect(s.engine.rotate(REF)).rejects.toThrow(/keychain is locked/);
    await unchanged(s, live);
  });

  it('verify refused: the new key is revoked and forgotten, the old one stays', async () => {
    const s = await fakeEngine();
    const live = s.vendor.live();
    s.vendor.failNext.set('verify', { kind: 'refused' });
    await expect(s.engine.rotate(REF)).rejects.toThrow(
      /^the new key failed verification: .*; it was revoked at the vendor and forgotten; the old key \(….{4}\) stays in use$/,
    );
    await unchanged(s, live);
  });

  it('MCP initialize refused: the same as a refused verify', async () => {
    const s = await fakeEngine();
    const live = s.vendor.live();
    s.vendor.failNext.set('mcp', { kind: 'refused' });
    await expect(s.engine.rotate(REF)).rejects.toThrow(/failed verification: fake mcp failed/);
    await unchanged(s, live);
  });

  it('swap fails (store write): the journal stays at "verified", and recovery rolls back', async () => {
    const s = await fakeEngine();
    const live = s.vendor.live();
    // begin, stored, verified, then the swap's write.
    failStoreWrite(s.store, 4);
    await expect(s.engine.rotate(REF)).rejects.toThrow(/disk full/);
    expect(s.store.current.rotations).toMatchObject([{ step: 'verified' }]);
    const { recoverRotation } = await import('./rotation-recovery');
    await recoverRotation(s.ctx, s.engine, s.store.current.rotations[0]!);
    await unchanged(s, live);
  });

  it('drain times out: reported on its step, the rotation goes on', async () => {
    const s = await fakeEngine();
    s.proxy.drainResult = { drained: false, inFlight: 2 };
    const change = await s.engine.rotate(REF);
    const drain = change.steps.find((x) => x.step === 'drain');
    expect(drain).toMatchObject({ ok: true });
    expect(drain?.message).toMatch(/2 request/);
    expect(change.steps.map((x) => x.step)).toEqual(ROTATION);
  });

  it('revoke fails: the new key is in use, the old one retiring, retried until it goes', async () => {
    const s = await fakeEngine();
    s.vendor.failNext.set('revoke', { kind: 'unavailable' });
    const change = await s.engine.rotate(REF);
    expect(change.steps.map((x) => [x.step, x.ok])).toContainEqual(['revoke', false]);
    expect(change.retired?.state).toBe('retiring');
    expect(s.store.current.rotations).toMatchObject([{ waitingFor: 'revoke-retry' }]);
    expect(await s.secrets.get(secretNames.keyVersion(s.old.id))).toBe(s.oldSecret);
    expect(s.vendor.live().sort()).toEqual([s.old.vendorKeyId, change.version.vendorKeyId].sort());
    await s.engine.retryRevoke(REF);
    expect(s.vendor.live()).toEqual([change.version.vendorKeyId]);
    expect(await s.secrets.get(secretNames.keyVersion(s.old.id))).toBeUndefined();
    expect(s.store.current.rotations).toEqual([]);
  });

  it('forget fails: the journal stays at "revoking", recovery forgets the old secret', async () => {
    const s = await fakeEngine();
    s.secrets.failNext = 'delete';
    await expect(s.engine.rotate(REF)).rejects.toThrow(/keychain is locked/);
    expect(s.store.current.rotations).toMatchObject([{ step: 'revoking' }]);
    const { recoverRotation } = await import('./rotation-recovery');
    await recoverRotation(s.ctx, s.engine, s.store.current.rotations[0]!);
    expect(await s.secrets.get(secretNames.keyVersion(s.old.id))).toBeUndefined();
    expect(s.store.current.keys[0]!.versions.map((v) => v.state)).toEqual(['revoked', 'active']);
    expect(s.store.current.rotations).toEqual([]);
  });
});

describe('rotation engine: a create runs the same steps', () => {
  it('mint → store → verify (+ mcp), streamed and audited as the create it is', async () => {
    const s = await fakeEngine();
    const change = await s.engine.create(draft('acme/new'), s.store.current.accounts[0]!);
    expect(change.steps.map((x) => x.step)).toEqual(['mint', 'store', 'verify', 'mcp']);
    const key = s.store.current.keys.find((k) => k.ref === 'acme/new')!;
    expect(key.versions).toEqual([change.version]);
    expect(key.rotateEvery).toBe(30);
    expect(await s.secrets.get(secretNames.keyVersion(change.version.id))).toBeDefined();
    const streamed = s.events.filter((e) => e.type === 'rotation.step').map((e) => e.payload);
    expect(streamed.map((p) => [p.step, p.kind])).toEqual(
      ['mint', 'store', 'verify', 'mcp'].map((x) => [x, 'create']),
    );
    const audited = s.audit.filter((e) => e.key === 'acme/new').map((e) => e.event);
    expect(audited).toEqual([
      ...['rotation.mint', 'rotation.store', 'rotation.verify', 'rotation.mcp'],
      'key.created',
    ]);
    expect(s.store.current.rotations).toEqual([]);
  });

  for (const [what, fail] of [
    ['mint refused', (s: Setup) => s.vendor.failNext.set('mint', { kind: 'refused' })],
    [
      'mint unanswered',
      (s: Setup) => s.vendor.failNext.set('mint', { kind: 'timeout', made: true }),
    ],
    ['store fails', (s: Setup) => void (s.secrets.failNext = 'set')],
    ['verify refused', (s: Setup) => s.vendor.failNext.set('verify', { kind: 'refused' })],
    ['MCP refused', (s: Setup) => s.vendor.failNext.set('mcp', { kind: 'refused' })],
    ['the last store write fails', (s: Setup) => failStoreWrite(s.store, 4)],
  ] as const) {
    it(`${what}: no key in Keyway, none left at the vendor`, async () => {
      const s = await fakeEngine();
      const live = s.vendor.live();
      fail(s);
      await expect(
        s.engine.create(draft('acme/new'), s.store.current.accounts[0]!),
      ).rejects.toThrow();
      expect(s.store.current.keys.map((k) => k.ref)).toEqual([REF]);
      await unchanged(s, live);
    });
  }
});
